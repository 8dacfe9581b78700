/** The `graphite` output's settings: its schema is its documentation. */
import { z } from 'zod';
import { count, port, seconds, host } from '../../config/fields.js';

export const graphiteOutputSchema = z.strictObject({
  host: host('127.0.0.1', 'The carbon daemon (carbon-cache, carbon-relay, go-carbon...).'),
  port: port(2003).describe('Its plaintext TCP port.'),
  prefix: z.string().default('').describe('Put before every metric path, e.g. `sluice.`.'),
  flush_interval: z.number().positive().default(10).describe('Seconds between two sends; match the finest retention of the storage schema (a later value in the same slot replaces the earlier).'),
  tags: z
    .enum(['path', 'graphite'])
    .default('path')
    .describe('How labels travel. `path`: their values become path nodes (`http_5xx_total.shop`); `graphite`: the tagged form `http_5xx_total;service=shop` (Graphite 1.1 or later).'),
  max_buffered_lines: count(100000, 'Lines held while carbon cannot be reached; beyond, the oldest go, counted in `graphite_lines_dropped_total` and logged once per outage. Values are cumulative, so a dropped line costs resolution, not counts.'),
  reconnect_max: seconds(30, 'Longest wait between two connection attempts (waits double from 0.5 s).'),
  metrics: z.array(z.string().min(1)).optional().describe('Names of the metrics to send (those of the `metrics` filters). Default: all of them.'),
});

export type GraphiteOutputConfig = z.output<typeof graphiteOutputSchema>;
