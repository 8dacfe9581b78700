/** `type: stdout`: JSON lines or a readable block per event, written with backpressure. */
import { isatty } from 'node:tty';
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { serializeEvent } from '../../pipeline/serialize.js';
import type { Event } from '../../pipeline/event.js';
import { stdoutOutputSchema } from './config.js';
import { formatPretty } from './pretty.js';

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
        context.stdout.onError((err) => {
          broken = err;
          context.logger.error({ err: err.message }, 'stdout is not writable; events sent to it are counted as dropped');
        });
      },
      send(events) {
        if (broken) {
          failed.inc(events.length);
          return Promise.resolve({ delivered: 0, deadLettered: 0, dropped: events.length });
        }
        return context.stdout.write(encode(events)).then(
          () => ({ delivered: events.length, deadLettered: 0, dropped: 0 }),
          (err: unknown) => {
            failed.inc(events.length);
            context.logger.error({ err: err instanceof Error ? err.message : String(err), events: events.length }, 'write to stdout failed; events dropped');
            return { delivered: 0, deadLettered: 0, dropped: events.length };
          },
        );
      },
      async stop() {
        // Every send resolved only after its write completed, so nothing is buffered here.
      },
    };
  },
};
