/** The `statsd` input's settings: its schema is its documentation. */
import { z } from 'zod';
import { byteSize, count, host, port } from '../../config/fields.js';

/** Timer buckets in milliseconds, the unit statsd timers are sent in. */
export const DEFAULT_TIMER_BUCKETS = [5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000];

export const statsdInputSchema = z.strictObject({
  host: host('0.0.0.0'),
  port: port(8125).describe('UDP port to listen on, statsd\'s 8125 by default (0: the OS picks one; it is logged).'),
  flush_interval: z.number().positive().default(10).describe('Seconds per aggregation interval, as statsd\'s flushInterval: at each end the interval\'s timer statistics and set sizes are computed; counters and gauges are updated as lines arrive.'),
  percentiles: z
    .array(z.number().gt(0).lte(100))
    .default([90])
    .describe('Timer percentiles computed per interval, as statsd\'s percentThreshold: for 90, `<name>_upper_90` (the largest value of the lowest 90%) and `<name>_mean_90`.'),
  timer_buckets: z
    .array(z.number().refine(Number.isFinite, { error: 'expected a finite number' }))
    .min(1)
    .refine((list) => list.every((b, i) => i === 0 || b > list[i - 1]), { error: 'expected bucket bounds in increasing order, each once' })
    .default(DEFAULT_TIMER_BUCKETS)
    .describe('Upper bounds (milliseconds) of the histogram each timer also feeds, cumulative on `/metrics` (`+Inf` is added).'),
  prefix: z
    .string()
    .regex(/^([a-zA-Z_:][a-zA-Z0-9_:]*)?$/, { error: 'expected a Prometheus name prefix: letters, digits, _ and :' })
    .default('')
    .describe('Put before every metric name, e.g. `statsd_`. statsd names are turned into Prometheus ones: `.` and other characters outside `[a-zA-Z0-9_:]` become `_`.'),
  tags: z.boolean().default(true).describe('Read DogStatsD tags (`|#service:shop,env:prod`) as labels (a tag without `:` gets the value `true`). Off: lines with tags are still counted, their tags ignored.'),
  max_series: count(10000, 'Most distinct series (name and tags) this input keeps. Lines for a new series beyond it are refused, counted in `statsd_lines_refused_total` and logged, so a tag holding a user id cannot eat the memory.'),
  receive_buffer_bytes: byteSize(8 * 1024 * 1024, 'Kernel receive buffer asked for (SO_RCVBUF), so bursts wait in the kernel instead of being lost; Linux caps it at net.core.rmem_max.'),
});

export type StatsdInputConfig = z.output<typeof statsdInputSchema>;
