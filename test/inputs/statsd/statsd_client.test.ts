/**
 * The real Python `statsd` client (what django-statsd sends with) against the statsd input:
 * a known mix of counters with sample rates, timers, gauges with deltas and sets, in single
 * and pipelined (multi-metric) packets; the aggregates must be exact.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { exposed, startStatsd } from './helpers.js';

const VENV = process.env.SLUICE_STATSD_CLIENT_VENV ?? `${homedir()}/.cache/sluice-test/statsd-client-venv`;
const PYTHON = `${VENV}/bin/python`;

// The client drops sampled calls at random; pinning random() to 0 makes it send every one, still with `|@rate`.
const SCRIPT = `
import random, sys
random.random = lambda: 0.0
import statsd
c = statsd.StatsClient('127.0.0.1', int(sys.argv[1]), prefix='shop')
for _ in range(7): c.incr('requests')
c.incr('requests', 3)
for _ in range(5): c.incr('sampled', rate=0.1)
for ms in [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]: c.timing('view.render', ms)
c.timing('db.query', 5, rate=0.5)
c.gauge('queue', 40)
c.gauge('queue', 5, delta=True)
c.gauge('queue', -15, delta=True)
c.gauge('temperature', -3)
for user in ['ann', 'bob', 'ann', 'cid', 'bob']: c.set('users', user)
with c.pipeline() as p:
    p.incr('requests', 2)
    p.decr('errors', -4)
    p.timing('view.render', 110)
    p.gauge('queue', 1, delta=True)
`;
// Lines on the wire: 8+5+10+1+3+2 (the negative absolute gauge is "0|g" then "-3|g") +5 +4.
const LINES = 38;

describe.skipIf(!existsSync(PYTHON))('statsd input with the Python statsd client', () => {
  it('aggregates counters, timers, gauges and sets as statsd does', async () => {
    const statsd = await startStatsd({ percentiles: [90, 50], timer_buckets: [50, 100] });
    try {
      execFileSync(PYTHON, ['-c', SCRIPT, String(statsd.port)], { timeout: 10_000 });
      await statsd.received(LINES);
    } finally {
      await statsd.input.stop();
    }
    const m = statsd.metrics;
    expect(m.sum('statsd_lines_refused_total')).toBe(0);
    expect(exposed(m, 'shop_requests')).toEqual(['shop_requests 12']);
    expect(exposed(m, 'shop_sampled')).toEqual(['shop_sampled 50']);
    expect(exposed(m, 'shop_errors')).toEqual(['shop_errors 4']);
    expect(exposed(m, 'shop_queue')).toEqual(['shop_queue 31']);
    expect(exposed(m, 'shop_temperature')).toEqual(['shop_temperature -3']);
    expect(exposed(m, 'shop_users')).toEqual(['shop_users 3']);
    expect(exposed(m, 'shop_view_render')).toEqual([
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
      'shop_view_render_bucket{le="50"} 5',
      'shop_view_render_bucket{le="100"} 10',
      'shop_view_render_bucket{le="+Inf"} 11',
      'shop_view_render_sum 660',
      'shop_view_render_count 11',
    ]);
    expect(exposed(m, 'shop_db_query_interval_count')).toEqual(['shop_db_query_interval_count 2']);
  });
});
