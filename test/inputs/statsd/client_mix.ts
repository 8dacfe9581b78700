/** A known mix of statsd metrics sent by the real Python `statsd` client (test/interop/statsd_client/setup.sh installs it). */
import { execFileSync } from 'node:child_process';
import { homedir } from 'node:os';

export const VENV = process.env.SLUICE_STATSD_CLIENT_VENV ?? `${homedir()}/.cache/sluice-test/statsd-client-venv`;
export const PYTHON = `${VENV}/bin/python`;

// The client drops sampled calls at random; pinning random() to 0 makes it send every one, still with `|@rate`.
const SCRIPT = `
import random, sys
random.random = lambda: 0.0
import statsd
c = statsd.StatsClient('127.0.0.1', int(sys.argv[1]), prefix='shop')
for _ in range(7): c.incr('requests')
c.incr('requests', 3)
for _ in range(5): c.incr('sampled', rate=0.1)
# One packet, so a short flush interval cannot split these between two intervals.
with c.pipeline() as p:
    for ms in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110]: p.timing('view.render', ms)
    for user in ['ann', 'bob', 'ann', 'cid', 'bob']: p.set('users', user)
c.timing('db.query', 5, rate=0.5)
c.gauge('queue', 40)
c.gauge('queue', 5, delta=True)
c.gauge('queue', -15, delta=True)
c.gauge('temperature', -3)
with c.pipeline() as p:
    p.incr('requests', 2)
    p.decr('errors', -4)
    p.gauge('queue', 1, delta=True)
`;
// Lines on the wire: 8+5+(11+5)+1+3+2 (the negative absolute gauge is "0|g" then "-3|g") +3.
export const CLIENT_MIX_LINES = 38;

/** Sends the mix to 127.0.0.1:port and returns when the client has exited. */
export function sendClientMix(port: number): void {
  execFileSync(PYTHON, ['-c', SCRIPT, String(port)], { timeout: 10_000 });
}

/** The input's settings for the mix. */
export const CLIENT_MIX_SETTINGS = { percentiles: [90, 50], timer_buckets: [50, 100] };

/** What `/metrics` shows for the mix, cumulative (any order). */
export const CLIENT_MIX_CUMULATIVE: readonly string[] = [
  'shop_requests 12',
  // 5 increments sampled at 0.1 count as 50.
  'shop_sampled 50',
  'shop_errors 4',
  // 40, +5, -15, +1.
  'shop_queue 31',
  'shop_temperature -3',
  'shop_view_render_bucket{le="50"} 5',
  'shop_view_render_bucket{le="100"} 10',
  'shop_view_render_bucket{le="+Inf"} 11',
  'shop_view_render_sum 660',
  'shop_view_render_count 11',
  'shop_db_query_bucket{le="50"} 1',
  'shop_db_query_bucket{le="100"} 1',
  'shop_db_query_bucket{le="+Inf"} 1',
  'shop_db_query_sum 5',
  'shop_db_query_count 1',
];

/** The gauges of the interval that held the mix (any order). */
export const CLIENT_MIX_INTERVAL: readonly string[] = [
  'shop_users 3',
  'shop_view_render_interval_count 11',
  'shop_view_render_interval_sum 660',
  'shop_view_render_mean 60',
  'shop_view_render_lower 10',
  'shop_view_render_upper 110',
  // round(0.9 * 11) = 10 lowest values: 10..100; round(0.5 * 11) = 6: 10..60.
  'shop_view_render_upper_90 100',
  'shop_view_render_mean_90 55',
  'shop_view_render_upper_50 60',
  'shop_view_render_mean_50 35',
  // One value sampled at 0.5 counts twice in the interval count; the histogram observes it once.
  'shop_db_query_interval_count 2',
  'shop_db_query_interval_sum 5',
  'shop_db_query_mean 5',
  'shop_db_query_lower 5',
  'shop_db_query_upper 5',
  'shop_db_query_upper_90 5',
  'shop_db_query_mean_90 5',
  'shop_db_query_upper_50 5',
  'shop_db_query_mean_50 5',
];
