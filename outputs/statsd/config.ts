/** The `statsd` output's settings: its schema is its documentation. */
import { z } from 'zod';
import { byteSize, count, port, host } from '../../config/fields.js';

export const statsdOutputSchema = z.strictObject({
  host: host('127.0.0.1', 'The statsd server (an IP address or a name).'),
  port: port(8125).describe('Its UDP port.'),
  prefix: z.string().default('').describe('Put before every metric name, e.g. `sluice.` (statsd joins path parts with dots).'),
  flush_interval: z.number().positive().default(10).describe('Seconds between two sends. Counters go as the increase since the previous send, as statsd expects; gauges when they changed; histograms as timers.'),
  max_packet_bytes: byteSize(1432, 'Largest UDP payload: several metric lines share one packet up to this size (1432 fits Ethernet\'s MTU; 512 for paths across the internet).'),
  tags: z
    .enum(['none', 'dogstatsd'])
    .default('none')
    .describe('How labels travel. `none`: their values are appended to the name (`http_5xx_total.shop`); `dogstatsd`: as `|#service:shop` (DogStatsD; Etsy\'s statsd 0.9 turns them into Graphite tags).'),
  timer_multiplier: z.number().positive().default(1).describe('Multiplies histogram observations into timer values: statsd timers are milliseconds, so `1000` for a histogram in seconds.'),
  max_timer_samples: count(1000, 'Most observations per histogram series sent per flush; beyond, a uniform sample goes with its sample rate (`|@0.25`) so statsd still counts them all.'),
  metrics: z.array(z.string().min(1)).optional().describe('Names of the metrics to send (those of the `metrics` filters). Default: all of them.'),
});

export type StatsdOutputConfig = z.output<typeof statsdOutputSchema>;
