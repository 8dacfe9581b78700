/**
 * `type: statsd`: a statsd server inside sluice. Applications that emit statsd (django-statsd,
 * DogStatsD clients) point at it; it aggregates as Etsy's statsd does and feeds the pipeline's
 * metric registry, so the aggregates show on `/metrics` and leave through the statsd and
 * graphite outputs. It makes no events.
 *
 * With `pipeline.workers` > 1 only worker 0 listens: timer percentiles and set sizes cannot be
 * added up across processes, and statsd itself is one process too.
 */
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';
import { bindUdpSocket } from '../udp/bind.js';
import type { InputPlugin } from '../../pipeline/plugin.js';
import { throttledReport } from '../../pipeline/throttled_report.js';
import { StatsdAggregator } from './aggregator.js';
import { statsdInputSchema } from './config.js';
import { parseStatsdLine } from './parse.js';


export const statsdInput: InputPlugin<typeof statsdInputSchema> = {
  kind: 'input',
  type: 'statsd',
  description:
    'A statsd server (UDP, several `\\n`-separated metrics per datagram) that aggregates as Etsy\'s statsd does, each `flush_interval`: counters summed and scaled by their sample rate (`|@0.1`), gauges set or moved by `+`/`-`, sets as their distinct members per interval, timers (`ms`, DogStatsD `h`) as per-interval count, sum, mean, lower, upper and `percentiles`, plus a cumulative histogram; DogStatsD tags (`|#k:v`) become labels. The aggregates go into the metric registry, not into events: they show on the API\'s `/metrics` and leave through the `statsd` and `graphite` outputs, so sluice replaces the statsd daemon. Malformed lines are counted and logged (rate-limited) with the sender.',
  schema: statsdInputSchema,
  example: { port: 8125, flush_interval: 10, percentiles: [90, 99], prefix: 'statsd_', tags: true },
  oneProcess: 'its aggregates (percentiles, sets) cannot be added up across processes',
  create(config, context) {
    const { logger, metrics } = context;
    const counters = {
      datagrams: metrics.counter('datagrams_in_total', 'Datagrams received'),
      bytes: metrics.counter('bytes_in_total', 'Bytes received'),
      lines: metrics.counter('statsd_lines_total', 'statsd lines aggregated'),
      refused: metrics.counter('statsd_lines_refused_total', 'statsd lines refused: malformed, a name already used for another metric type, or beyond max_series (logged, rate-limited)'),
    };
    const aggregator = new StatsdAggregator(metrics, { prefix: config.prefix, percentiles: config.percentiles, timerBuckets: config.timer_buckets, tags: config.tags, maxSeries: config.max_series });
    let bound: { host: string; port: number } | undefined;
    let timer: NodeJS.Timeout | undefined;
    const refusals = throttledReport<{ text: string; reason: string; remote: RemoteInfo }>((refused, { text, reason, remote }) =>
      logger.warn(
        { code: 'SLUICE_STATSD_LINE_REFUSED', remote: { ip: remote.address, port: remote.port }, line: text.slice(0, 200), reason, refused },
        `statsd line refused from ${remote.address}:${remote.port}: ${reason} (${refused} refused since the last report; counted in statsd_lines_refused_total)`,
      ),
    );
    const refuse = (text: string, reason: string, remote: RemoteInfo): void => {
      counters.refused.inc();
      refusals.add({ text, reason, remote });
    };

    const onDatagram = (datagram: Buffer, remote: RemoteInfo): void => {
      counters.datagrams.inc();
      counters.bytes.inc(datagram.length);
      for (const raw of datagram.toString('utf8').split('\n')) {
        const text = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (text.length === 0) continue;
        const parsed = parseStatsdLine(text);
        const reason = parsed.ok ? aggregator.add(parsed.line) : parsed.reason;
        if (reason === undefined) counters.lines.inc();
        else refuse(text, reason, remote);
      }
    };

    let socket: Socket | undefined;

    return {
      async start() {
        const created = createSocket({ type: 'udp4' });
        socket = created;
        created.on('message', onDatagram);
        created.on('error', (err) => logger.error({ err: err.message }, 'statsd socket error'));
        const binding = await bindUdpSocket(created, context.id, config, logger);
        bound = { host: binding.host, port: binding.port };
        logger.info({ transport: 'udp', ...bound, receive_buffer_bytes: binding.receiveBufferBytes }, 'listening (statsd)');
        timer = setInterval(() => aggregator.flush(), config.flush_interval * 1000);
        timer.unref();
      },
      async stop() {
        const open = socket;
        if (!bound || open === undefined) return;
        bound = undefined;
        clearInterval(timer);
        await new Promise<void>((resolve) => open.close(() => resolve()));
        // The open interval ends now, so outputs flushing at their stop still send it.
        aggregator.flush();
        refusals.flush();
      },
      addresses: () => (bound ? [{ transport: 'udp', ...bound }] : []),
    };
  },
};
