/** `type: tcp`: JSON lines, plain lines or syslog over TCP, optionally TLS / mTLS. */
import type { Input, InputContext, InputPlugin } from '../../pipeline/plugin.js';
import { LINE_CODECS, type LineCodec } from '../codecs/index.js';
import { EVENTS_DROPPED_HELP } from '../../pipeline/input_sink.js';
import { createStreamInput } from '../stream_server.js';
import { openLineConnection, SHUTDOWN_READ_AHEAD_BYTES } from './connection.js';
import { tcpInputSchema, type TcpInputConfig } from './config.js';

export interface TcpInputParts {
  codec: LineCodec;
  /** `@metadata.input.type` of the events (`syslog` when the syslog input owns this listener). */
  inputType: string;
}

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
  return createStreamInput(
    config,
    context,
    parts.inputType,
    (socket, facts, label) => openLineConnection({ socket, facts, label, codec: parts.codec, framing, maxLineBytes: config.max_line_bytes, sink: context.sink, logger, counters, closeGrace: config.close_grace, readAhead }),
    { codec: parts.codec.name, framing },
  );
}

export const tcpInput: InputPlugin<typeof tcpInputSchema> = {
  kind: 'input',
  type: 'tcp',
  description:
    'Listens on a TCP port (optionally TLS with client certificates) for newline-delimited JSON (python-logstash, pino, structlog, log4j JSON layouts), plain lines, or syslog (RFC 6587 octet counting or LF framing, detected per frame). Pushes back on senders when the queue is full.',
  schema: tcpInputSchema,
  example: { port: 5000, codec: 'json_lines', max_line_bytes: 1048576 },
  create(config, context) {
    return createTcpInput(config, context, { codec: LINE_CODECS[config.codec], inputType: 'tcp' });
  },
};
