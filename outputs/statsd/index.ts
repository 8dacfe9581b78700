/**
 * `type: statsd`: sends the metrics the pipeline's `metrics` filters keep to a statsd server
 * over UDP, every `flush_interval`: counters as increases, gauges when they change, histograms
 * as timers. With several workers each process sends its own share; statsd adds them up.
 */
import dgram from 'node:dgram';
import net from 'node:net';
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { errorMessage } from '../../pipeline/errors.js';
import { statsdOutputSchema } from './config.js';
import { Flusher, packLines } from './lines.js';

export const statsdOutput: OutputPlugin<typeof statsdOutputSchema> = {
  kind: 'output',
  type: 'statsd',
  description:
    'Sends the metrics of the pipeline\'s `metrics` filters to statsd (UDP, several lines per packet up to `max_packet_bytes`): counters as the increase since the last flush, gauges when they changed, histograms as timers (`|ms`, sampled with `|@rate` beyond `max_timer_samples`), labels in the name or as DogStatsD tags. It ships metrics, not events: events that reach it are discarded and counted as delivered, like the `null` output; put `drop_events: true` on the filter for a metrics-only pipeline.',
  schema: statsdOutputSchema,
  example: { host: '127.0.0.1', port: 8125, prefix: 'sluice.', flush_interval: 10, tags: 'none', timer_multiplier: 1000 },
  create(config, context) {
    const { logger, metrics } = context;
    metrics.keepObservations(config.max_timer_samples);
    const flusher = new Flusher({ prefix: config.prefix, tags: config.tags, timerMultiplier: config.timer_multiplier });
    const packetsSent = metrics.counter('statsd_packets_sent_total', 'UDP packets the statsd output sent');
    const packetsFailed = metrics.counter('statsd_packets_failed_total', 'UDP packets the statsd output could not send (logged with the error)');
    const linesTooLong = metrics.counter('statsd_lines_too_long_total', 'Metric lines longer than max_packet_bytes, not sent (logged once)');
    const wanted = config.metrics === undefined ? undefined : new Set(config.metrics);
    const socket = dgram.createSocket(net.isIPv6(config.host) ? 'udp6' : 'udp4');
    // A send error also reaches the socket as an event on some platforms; it is counted per packet below.
    socket.on('error', (err) => logger.warn({ err: err.message }, 'statsd socket error'));
    let timer: NodeJS.Timeout | undefined;
    let lastError = '';
    let loggedTooLong = false;

    const flush = (): Promise<void> => {
      const series = metrics.derived().filter((s) => wanted === undefined || wanted.has(s.name));
      const { packets, tooLong } = packLines(flusher.lines(series), config.max_packet_bytes);
      if (tooLong.length > 0) {
        linesTooLong.inc(tooLong.length);
        if (!loggedTooLong) logger.warn({ line: tooLong[0].slice(0, 200), max_packet_bytes: config.max_packet_bytes }, 'statsd line longer than max_packet_bytes, not sent (logged once; counted in statsd_lines_too_long_total)');
        loggedTooLong = true;
      }
      return Promise.all(
        packets.map(
          (packet) =>
            new Promise<void>((resolve) =>
              socket.send(packet, config.port, config.host, (err) => {
                if (err) {
                  packetsFailed.inc();
                  // One line per kind of failure, not per packet: a down server would flood the log.
                  if (err.message !== lastError) logger.warn({ err: errorMessage(err), host: config.host, port: config.port }, 'statsd packet not sent (counted in statsd_packets_failed_total)');
                  lastError = err.message;
                } else {
                  packetsSent.inc();
                  lastError = '';
                }
                resolve();
              }),
            ),
        ),
      ).then(() => undefined);
    };

    return {
      async start() {
        timer = setInterval(() => void flush(), config.flush_interval * 1000);
        timer.unref();
      },
      async send(events) {
        return { delivered: events.length, deadLettered: 0, dropped: 0 };
      },
      async stop() {
        if (timer === undefined) return;
        clearInterval(timer);
        timer = undefined;
        // What was counted since the last tick goes out before the socket closes.
        await flush();
        socket.close();
      },
    };
  },
};
