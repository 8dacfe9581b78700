/** `type: tcp`: JSON lines or plain lines over TCP, optionally TLS / mTLS. */
import type { InputPlugin } from '../../pipeline/plugin.js';
import { LINE_CODECS } from '../codecs/index.js';
import { StreamServer } from '../stream_server.js';
import { openLineConnection } from './connection.js';
import { tcpInputSchema } from './config.js';

export const tcpInput: InputPlugin<typeof tcpInputSchema> = {
  kind: 'input',
  type: 'tcp',
  description: 'Listens on a TCP port (optionally TLS with client certificates) for newline-delimited JSON (python-logstash, pino, structlog, log4j JSON layouts) or plain lines. Pushes back on senders when the queue is full.',
  schema: tcpInputSchema,
  example: { port: 5000, codec: 'json_lines', max_line_bytes: 1048576 },
  create(config, context) {
    const { metrics, logger } = context;
    const counters = {
      events: metrics.counter('events_in_total', 'Events decoded'),
      bytes: metrics.counter('bytes_in_total', 'Bytes received'),
      decodeFailures: metrics.counter('decode_failures_total', 'Lines that were not valid for the codec (kept, tagged)'),
      oversizeLines: metrics.counter('oversize_lines_total', 'Lines dropped for exceeding max_line_bytes'),
    };
    const codec = LINE_CODECS[config.codec];
    const server = new StreamServer({
      inputType: 'tcp',
      inputId: context.id,
      host: config.host,
      port: config.port,
      maxConnections: config.max_connections,
      idleTimeout: config.idle_timeout,
      tls: config.tls,
      logger,
      metrics,
      onConnection: (socket, facts, label) =>
        openLineConnection({ socket, facts, label, codec, maxLineBytes: config.max_line_bytes, sink: context.sink, logger, counters }),
    });
    let bound: { host: string; port: number } | undefined;
    return {
      async start() {
        bound = await server.listen();
        logger.info({ transport: config.tls?.enabled ? 'tls' : 'tcp', host: bound.host, port: bound.port, codec: config.codec }, 'listening');
      },
      stop: () => server.stop(config.close_grace * 1000),
      addresses: () => (bound ? [{ transport: config.tls?.enabled ? 'tls' : 'tcp', ...bound }] : []),
    };
  },
};
