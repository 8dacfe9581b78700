/**
 * The real Python `statsd` client (what django-statsd sends with) against the statsd input:
 * a known mix of counters with sample rates, timers, gauges with deltas and sets, in single
 * and pipelined (multi-metric) packets; the aggregates must be exact.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { exposed, startStatsd } from './helpers.js';
import { CLIENT_MIX_CUMULATIVE, CLIENT_MIX_INTERVAL, CLIENT_MIX_LINES, CLIENT_MIX_SETTINGS, PYTHON, sendClientMix } from './client_mix.js';

describe('statsd input with the Python statsd client', () => {
  it('aggregates counters, timers, gauges and sets as statsd does', async () => {
    expect(existsSync(PYTHON), `no ${PYTHON}: run bash test/setup.sh (test/interop/statsd_client/setup.sh)`).toBe(true);
    const statsd = await startStatsd(CLIENT_MIX_SETTINGS);
    try {
      sendClientMix(statsd.port);
      await statsd.received(CLIENT_MIX_LINES);
    } finally {
      await statsd.input.stop();
    }
    const m = statsd.metrics;
    expect(m.sum('statsd_lines_refused_total')).toBe(0);
    expect(exposed(m, 'shop_').sort()).toEqual([...CLIENT_MIX_CUMULATIVE, ...CLIENT_MIX_INTERVAL].sort());
  });
});
