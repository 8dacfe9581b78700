/** `type: tcp`: JSON lines, plain lines or syslog over TCP, optionally TLS / mTLS. */
import type { Input, InputContext, InputPlugin } from '../../pipeline/plugin.js';
import { LINE_CODECS, type LineCodec } from '../codecs/index.js';
import { EVENTS_DROPPED_HELP } from '../../pipeline/input_sink.js';
import { createStreamInput } from '../stream_server.js';
import { makeBatch } from '../../pipeline/batch.js';
import { MultilineStage } from '../multiline/stage.js';
import type { MultilineConfig } from '../multiline/config.js';
import { openLineConnection, SHUTDOWN_READ_AHEAD_BYTES, type ConnectionMultiline } from './connection.js';
import { tcpInputSchema, type TcpInputConfig } from './config.js';

/** The `multiline` setting and how the input's lines map to streams and texts. */
export interface TcpMultiline {
  config: MultilineConfig;
  routing: Omit<ConnectionMultiline, 'stage'>;
}

export interface TcpInputParts {
  codec: LineCodec;
  /** `@metadata.input.type` of the events (`syslog` when the syslog input owns this listener). */
  inputType: string;
  multiline?: TcpMultiline | undefined;
}

/** `codec: lines`: a connection is one stream, and the line is the text. */
const connectionStream: TcpMultiline['routing'] = { streamOf: (_raw, _event, label) => label, textOf: (raw) => raw };

/** The TCP listener, shared by `tcp` and `syslog`. */
export function createTcpInput(config: TcpInputConfig, context: InputContext, parts: TcpInputParts): Input {
  const { metrics, logger } = context;
  const counters = {
    bytes: metrics.counter('bytes_in_total', 'Bytes received'),
    decodeFailures: metrics.counter('decode_failures_total', 'Lines that were not valid for the codec (kept, tagged)'),
    oversizeLines: metrics.counter('oversize_lines_total', 'Lines or frames dropped for exceeding the size limit'),
    // Named so that the pipeline's summary counts them in `dropped`.
    shutdownDiscardedLines: metrics.counter('events_dropped_total', EVENTS_DROPPED_HELP, { reason: 'after_close_grace' }),
    shutdownDiscardedBytes: metrics.counter('shutdown_discarded_bytes_total', 'Bytes given up at shutdown, still arriving after close_grace'),
  };
  const framing = parts.codec.name === 'syslog' ? 'syslog' : 'lines';
  const readAhead = { left: SHUTDOWN_READ_AHEAD_BYTES };
  const stage = parts.multiline
    ? new MultilineStage(parts.multiline.config, {
        metrics,
        transport: 'tcp',
        // Completed by the timer or a close: one event, pushed past a full queue (a timer cannot wait).
        deliver: (events) => context.sink.push(makeBatch(events, 0)),
        onFailures: (count) => counters.decodeFailures.inc(count),
      })
    : undefined;
  const multiline = stage && parts.multiline ? { stage, ...parts.multiline.routing } : undefined;
  const input = createStreamInput(
    config,
    context,
    parts.inputType,
    (socket, facts, label) => openLineConnection({ socket, facts, label, codec: parts.codec, framing, maxLineBytes: config.max_line_bytes, sink: context.sink, logger, counters, closeGrace: config.close_grace, readAhead, multiline }),
    { codec: parts.codec.name, framing, ...(parts.multiline ? { multiline: parts.multiline.config.preset ?? 'pattern' } : {}) },
  );
  if (stage === undefined) return input;
  return {
    ...input,
    async stop() {
      await input.stop();
      // Every connection has ended its streams; what a sweep has not completed yet goes now, before the queue closes.
      stage.close();
    },
  };
}

export const tcpInput: InputPlugin<typeof tcpInputSchema> = {
  kind: 'input',
  type: 'tcp',
  description:
    'Listens on a TCP port (optionally TLS with client certificates) for newline-delimited JSON (python-logstash, pino, structlog, log4j JSON layouts), plain lines, or syslog (RFC 6587 octet counting or LF framing, detected per frame). Pushes back on senders when the queue is full.',
  schema: tcpInputSchema,
  example: { port: 5000, codec: 'json_lines', max_line_bytes: 1048576 },
  create(config, context) {
    const multiline = config.multiline ? { config: config.multiline, routing: connectionStream } : undefined;
    return createTcpInput(config, context, { codec: LINE_CODECS[config.codec], inputType: 'tcp', multiline });
  },
};
