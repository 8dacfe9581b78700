/**
 * `type: stdout`. Writes through its own stream on fd 1 rather than process.stdout, whose writes
 * to a pipe are synchronous on Linux: a slow reader must slow the pipeline (backpressure), not
 * freeze the event loop. A pipe or socket gets an asynchronous libuv stream; a file an fs stream.
 */
import { createWriteStream, fstatSync } from 'node:fs';
import { Socket } from 'node:net';
import type { Writable } from 'node:stream';
import { isatty } from 'node:tty';
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { serializeEvent } from '../../pipeline/serialize.js';
import type { Event } from '../../pipeline/event.js';
import { stdoutOutputSchema } from './config.js';
import { formatPretty } from './pretty.js';

let sharedStream: Writable | undefined;

function openStdout(): Writable {
  const stat = fstatSync(1);
  if (stat.isFIFO() || stat.isSocket()) return new Socket({ fd: 1, readable: false, writable: true });
  if (isatty(1)) return process.stdout;
  return createWriteStream('', { fd: 1, autoClose: false, highWaterMark: 1024 * 1024 });
}

function stdoutStream(): Writable {
  sharedStream ??= openStdout();
  return sharedStream;
}

export const stdoutOutput: OutputPlugin<typeof stdoutOutputSchema> = {
  kind: 'output',
  type: 'stdout',
  description: 'Writes events to standard output, as JSON lines (for piping into other tools) or as a readable block per event.',
  schema: stdoutOutputSchema,
  example: { codec: 'pretty' },
  create(config, context) {
    const color = config.color === 'always' || (config.color === 'auto' && isatty(1));
    const encode =
      config.codec === 'pretty'
        ? (events: Event[]) => events.map((e) => formatPretty(e, color, config.metadata)).join('')
        : (events: Event[]) => {
            let text = '';
            for (const event of events) text += `${config.metadata ? JSON.stringify(event) : serializeEvent(event)}\n`;
            return text;
          };
    const failed = context.metrics.counter('write_failures_total', 'Events that could not be written to stdout');
    let broken: Error | undefined;
    return {
      async start() {
        stdoutStream().on('error', (err) => {
          broken = err;
          context.logger.error({ err: err.message }, 'stdout is not writable; events sent to it are counted as dropped');
        });
      },
      send(events) {
        if (broken) {
          failed.inc(events.length);
          return Promise.resolve({ delivered: 0, deadLettered: 0, dropped: events.length });
        }
        const text = encode(events);
        return new Promise((resolve) => {
          stdoutStream().write(text, (err) => {
            if (err) {
              failed.inc(events.length);
              resolve({ delivered: 0, deadLettered: 0, dropped: events.length });
            } else {
              resolve({ delivered: events.length, deadLettered: 0, dropped: 0 });
            }
          });
        });
      },
      async stop() {
        // Every send resolved only after its write completed, so nothing is buffered here.
      },
    };
  },
};
