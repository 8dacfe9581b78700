/**
 * sluice with 2 workers replacing the statsd daemon: the Python statsd client's mix goes to the
 * statsd input; the primary's `/metrics` shows the exact aggregates, and the graphite output
 * sends them to a carbon plaintext listener of this test.
 */
import { existsSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { lineListener } from '../../helpers/net.js';
import { CLIENT_MIX_CUMULATIVE, CLIENT_MIX_INTERVAL, CLIENT_MIX_LINES, CLIENT_MIX_SETTINGS, PYTHON, sendClientMix } from './client_mix.js';

const closers: Array<() => void> = [];
afterAll(() => {
  killAllSluices();
  for (const close of closers) close();
});

async function carbonListener(): Promise<{ port: number; lines: string[] }> {
  const listener = await lineListener();
  closers.push(listener.close);
  return listener;
}

async function poll<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('a 2-worker sluice as the statsd daemon', () => {
  it('shows the exact aggregates on /metrics and sends them to graphite', async () => {
    expect(existsSync(PYTHON), `no ${PYTHON}: run bash test/setup.sh (test/interop/statsd_client/setup.sh)`).toBe(true);
    const carbon = await carbonListener();
    const sluice = await startSluice(
      [
        'api: { port: 0 }',
        'pipeline: { workers: 2 }',
        'inputs:',
        `  - { type: statsd, id: statsd, host: 127.0.0.1, port: 0, flush_interval: 0.2, percentiles: ${JSON.stringify(CLIENT_MIX_SETTINGS.percentiles)}, timer_buckets: ${JSON.stringify(CLIENT_MIX_SETTINGS.timer_buckets)} }`,
        'outputs:',
        `  - { type: graphite, host: 127.0.0.1, port: ${carbon.port}, flush_interval: 0.2 }`,
        '',
      ].join('\n'),
    );
    sendClientMix(sluice.port('statsd'));
    expect(await sluice.settledCounter('statsd_lines_total', 'statsd', CLIENT_MIX_LINES)).toBe(CLIENT_MIX_LINES);
    const api = sluice.api;
    if (api === undefined) throw new Error('no API address');
    // The interval gauges of the flush that held the mix, as graphite received them (its series are per worker).
    const sent = (line: string) => {
      const [path, value] = line.split(' ');
      return carbon.lines.some((l) => l.startsWith(`${path.replace(/\{.*\}/, '')}.worker_0 ${value} `));
    };
    await poll(async () => carbon.lines.length, () => CLIENT_MIX_INTERVAL.every(sent));
    expect(CLIENT_MIX_INTERVAL.filter((line) => !sent(line))).toEqual([]);
    expect(carbon.lines.some((line) => line.includes('.worker_1 '))).toBe(false);
    // Counters, gauges and histograms are cumulative on /metrics: the primary adds the workers' series.
    const scrape = async () => (await (await fetch(`http://${api.host}:${api.port}/metrics`)).text()).split('\n');
    const cumulative = new Set(CLIENT_MIX_CUMULATIVE.map((line) => line.split(' ')[0]));
    const exposition = (await scrape()).filter((line) => cumulative.has(line.split(' ')[0]));
    expect(exposition.sort()).toEqual([...CLIENT_MIX_CUMULATIVE].sort());
    expect(await sluice.stop()).toBe(0);
  }, 60_000);
});
