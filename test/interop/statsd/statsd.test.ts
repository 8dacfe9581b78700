/**
 * Etsy's statsd (npm `statsd` 0.9, run in the foreground) receives the statsd output of a
 * 2-worker sluice whose metrics filter counted a known mix of events sent over TCP. statsd's
 * own graphite backend flushes its aggregates to a plaintext socket of this test, so what is
 * checked is statsd's reading of our packets: counters summed over flushes, timer counts scaled
 * by the sample rates, gauges, DogStatsD tags turned into Graphite tags.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { lineListener } from '../../helpers/net.js';
import { metricsPipeline, sendRequestMix } from '../../filters/metrics_mix.js';
import { freePort, startProgram, waitForLines, type Program } from '../lib/programs.js';

const STATSD_DIR = join(process.env.SLUICE_STATSD_DIR ?? join(homedir(), '.cache', 'sluice-test', 'statsd'), 'node_modules', 'statsd');
const programs: Program[] = [];
const closers: Array<() => void> = [];
afterAll(async () => {
  killAllSluices();
  await Promise.all(programs.map((p) => p.stop()));
  for (const close of closers) close();
});

async function plaintextSink(): Promise<{ port: number; lines: string[] }> {
  const listener = await lineListener();
  closers.push(listener.close);
  return listener;
}

/** Sum of the values of one path over all flushes. */
function total(lines: readonly string[], path: string): number {
  let sum = 0;
  for (const line of lines) {
    const [name, value] = line.split(' ');
    if (name === path) sum += Number(value);
  }
  return sum;
}

function last(lines: readonly string[], path: string): number | undefined {
  const found = lines.filter((l) => l.split(' ')[0] === path);
  return found.length > 0 ? Number(found[found.length - 1].split(' ')[1]) : undefined;
}

async function waitFor(check: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const deadline = Date.now() + timeoutMs; !check() && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 100));
}

describe('the statsd output into Etsy statsd (test/interop/statsd/setup.sh installs it)', () => {
  it('is read by statsd as the exact counts, timers and gauges of a known mix, with 2 workers', async () => {
    const carbon = await plaintextSink();
    const statsdPort = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'sluice-statsd-'));
    writeFileSync(
      join(dir, 'config.js'),
      `({ address: '127.0.0.1', port: ${statsdPort}, mgmt_address: '127.0.0.1', mgmt_port: ${await freePort()}, flushInterval: 500, deleteIdleStats: true, backends: ['./backends/graphite'], graphiteHost: '127.0.0.1', graphitePort: ${carbon.port} })\n`,
    );
    const statsd = startProgram(process.execPath, ['stats.js', join(dir, 'config.js')], { cwd: STATSD_DIR });
    programs.push(statsd);
    await waitForLines(() => statsd.lines, [(l) => l.includes('server is up')]);

    const sluice = await startSluice(
      metricsPipeline(
        [
          '{ name: http_5xx_total, type: counter, when: "[http][response][status_code] >= 500", labels: { service: "%{[service][name]}" } }',
          '{ name: request_seconds, type: histogram, field: seconds, labels: { service: "%{[service][name]}" } }',
          '{ name: build, type: gauge, field: build }',
        ],
        [`{ type: statsd, host: 127.0.0.1, port: ${statsdPort}, prefix: "sluice.", flush_interval: 0.2, tags: dogstatsd, timer_multiplier: 1000, max_timer_samples: 200 }`],
      ),
    );
    const services = ['shop', 'cart'];
    const hits = Array.from({ length: 6000 }, (_, n) => ({ service: services[n % 2], status: n % 5 === 0 ? 503 : 200, seconds: (n % 10) / 10, bytes: 0 }));
    await sendRequestMix(sluice.port('in'), hits, 6, { build: 42 });
    expect(await sluice.settledCounter('filter_events_dropped_total', 'm', hits.length, 20_000)).toBe(hits.length);

    const expected5xx = (service: string) => hits.filter((h) => h.service === service && h.status >= 500).length;
    const perService = (service: string) => hits.filter((h) => h.service === service).length;
    const path5xx = (service: string) => `stats_counts.sluice.http_5xx_total;service=${service}`;
    const pathTimerCount = (service: string) => `stats.timers.sluice.request_seconds.count;service=${service}`;
    await waitFor(() => services.every((s) => total(carbon.lines, path5xx(s)) === expected5xx(s) && Math.round(total(carbon.lines, pathTimerCount(s))) === perService(s)));
    for (const service of services) {
      expect(total(carbon.lines, path5xx(service))).toBe(expected5xx(service));
      // More observations than max_timer_samples per flush go as a sample with |@rate; statsd scales them back.
      expect(Math.round(total(carbon.lines, pathTimerCount(service)))).toBe(perService(service));
      expect(last(carbon.lines, `stats.timers.sluice.request_seconds.upper;service=${service}`)).toBeLessThanOrEqual(900);
    }
    expect(last(carbon.lines, 'stats.gauges.sluice.build')).toBe(42);
    expect(total(carbon.lines, 'stats_counts.statsd.bad_lines_seen')).toBe(0);
    expect(total(carbon.lines, 'stats_counts.statsd.metrics_received')).toBeGreaterThan(0);
    expect(await sluice.stop()).toBe(0);
  }, 90_000);
});
