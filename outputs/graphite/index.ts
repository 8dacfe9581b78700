/**
 * `type: graphite`: sends the metrics of the pipeline's `metrics` filters to carbon in its
 * plaintext protocol over TCP every `flush_interval`. While carbon is down it reconnects with
 * backoff and holds up to `max_buffered_lines`; beyond, the oldest lines go, counted.
 */
import net from 'node:net';
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { errorMessage } from '../../pipeline/errors.js';
import { graphiteOutputSchema } from './config.js';
import { carbonLines } from './lines.js';

export const graphiteOutput: OutputPlugin<typeof graphiteOutputSchema> = {
  kind: 'output',
  type: 'graphite',
  description:
    'Sends the metrics of the pipeline\'s `metrics` filters to Graphite\'s carbon (plaintext `path value timestamp` over TCP), cumulative like `/metrics` (rates with `nonNegativeDerivative()`), labels as path nodes or Graphite tags. With `pipeline.workers` > 1 each process writes its own series (a last node `worker_N`, or tag `worker=N`): sum them with `sumSeries()`. Reconnects with backoff; holds a bounded buffer while carbon is down, drops beyond it counted. Events that reach it are discarded and counted as delivered, like the `null` output.',
  schema: graphiteOutputSchema,
  example: { host: '127.0.0.1', port: 2003, prefix: 'sluice.', flush_interval: 10, tags: 'path' },
  create(config, context) {
    const { logger, metrics, share } = context;
    const format = { prefix: config.prefix, tags: config.tags, ...(share.count > 1 ? { worker: share.index } : {}) };
    const linesSent = metrics.counter('graphite_lines_sent_total', 'Lines the graphite output handed to a carbon connection');
    const linesDropped = metrics.counter('graphite_lines_dropped_total', 'Lines the graphite output dropped because carbon stayed unreachable past max_buffered_lines (logged once per outage)');
    const wanted = config.metrics === undefined ? undefined : new Set(config.metrics);
    let pending: string[] = [];
    let socket: net.Socket | undefined;
    let connected = false;
    let stopped = false;
    let backoffMs = 500;
    let retry: NodeJS.Timeout | undefined;
    let timer: NodeJS.Timeout | undefined;
    let outageLogged = false;
    let dropLogged = false;

    const write = () => {
      if (!connected || socket === undefined || pending.length === 0) return;
      const lines = pending;
      pending = [];
      socket.write(`${lines.join('\n')}\n`);
      linesSent.inc(lines.length);
    };

    const connect = () => {
      retry = undefined;
      const attempt = net.connect({ host: config.host, port: config.port });
      socket = attempt;
      attempt.setNoDelay(true);
      attempt.on('connect', () => {
        connected = true;
        backoffMs = 500;
        if (outageLogged) logger.info({ host: config.host, port: config.port }, 'carbon reachable again');
        outageLogged = false;
        dropLogged = false;
        write();
      });
      attempt.on('error', (err) => {
        if (!outageLogged) logger.warn({ host: config.host, port: config.port, err: errorMessage(err) }, 'carbon unreachable; holding lines and reconnecting');
        outageLogged = true;
      });
      attempt.on('close', () => {
        connected = false;
        if (socket === attempt) socket = undefined;
        if (stopped) return;
        retry = setTimeout(connect, backoffMs);
        retry.unref();
        backoffMs = Math.min(backoffMs * 2, config.reconnect_max * 1000);
      });
    };

    const flush = () => {
      const series = metrics.derived().filter((s) => wanted === undefined || wanted.has(s.name));
      pending.push(...carbonLines(series, format, Math.floor(Date.now() / 1000)));
      const excess = pending.length - config.max_buffered_lines;
      if (excess > 0) {
        pending.splice(0, excess);
        linesDropped.inc(excess);
        if (!dropLogged) logger.warn({ max_buffered_lines: config.max_buffered_lines, host: config.host, port: config.port }, 'carbon still unreachable: buffer full, dropping the oldest lines (logged once per outage; counted in graphite_lines_dropped_total)');
        dropLogged = true;
      }
      write();
    };

    return {
      async start() {
        connect();
        timer = setInterval(flush, config.flush_interval * 1000);
        timer.unref();
      },
      async send(events) {
        return { delivered: events.length, deadLettered: 0, dropped: 0 };
      },
      async stop(graceMs) {
        if (stopped) return;
        stopped = true;
        if (timer !== undefined) clearInterval(timer);
        if (retry !== undefined) clearTimeout(retry);
        flush();
        const open = socket;
        if (open === undefined || !connected) {
          if (pending.length > 0) logger.warn({ lines: pending.length }, 'graphite output stopped with carbon unreachable: lines not sent (counted in graphite_lines_dropped_total)');
          linesDropped.inc(pending.length);
          open?.destroy();
          return;
        }
        // end() sends what is written, then FIN; carbon closes after reading it.
        await new Promise<void>((resolve) => {
          const cut = setTimeout(() => {
            open.destroy();
            resolve();
          }, graceMs);
          open.once('close', () => {
            clearTimeout(cut);
            resolve();
          });
          open.end();
        });
      },
    };
  },
};
