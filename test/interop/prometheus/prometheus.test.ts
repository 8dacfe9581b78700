/**
 * A real Prometheus (Debian's package, run in the foreground with its own config and storage in
 * a temp dir) scrapes a sluice of 2 worker processes whose metrics filter counted a known mix of
 * events sent over TCP; PromQL must answer with the exact counts.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { metricsPipeline, sendRequestMix, type RequestHit } from '../../filters/metrics_mix.js';
import { freePort, startProgram, type Program } from '../lib/programs.js';

const PROMETHEUS = '/usr/bin/prometheus';
const programs: Program[] = [];
afterAll(async () => {
  killAllSluices();
  await Promise.all(programs.map((p) => p.stop()));
});

const PIPELINE = metricsPipeline(
  [
    '{ name: http_5xx_total, type: counter, when: "[http][response][status_code] >= 500", labels: { service: "%{[service][name]}" } }',
    '{ name: http_request_duration_seconds, type: histogram, field: "[event][duration]", scale: 0.000000001, buckets: [0.1, 0.5, 1], labels: { service: "%{[service][name]}" } }',
    '{ name: http_response_bytes_total, type: counter, field: "[http][response][bytes]" }',
  ],
  ['{ type: "null" }'],
);

const SERVICES = ['shop', 'cart', 'auth'];
const STATUSES = [200, 200, 404, 500, 503, 200, 502];

function mix(count: number): RequestHit[] {
  return Array.from({ length: count }, (_, n) => ({ service: SERVICES[n % 3], status: STATUSES[n % 7], seconds: (n % 12) / 10, bytes: n % 1000 }));
}

async function query(port: number, promql: string): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/query?query=${encodeURIComponent(promql)}`);
  const body = (await response.json()) as { status: string; data: { result: Array<{ metric: Record<string, string>; value: [number, string] }> } };
  if (body.status !== 'success') throw new Error(`query ${promql}: ${JSON.stringify(body)}`);
  return body.data.result;
}

/** Polls a query until its answer, as {label value: number}, equals `expected` (a scrape is due every second). */
async function waitForAnswer(port: number, promql: string, label: string, expected: Record<string, number>, timeoutMs = 30_000): Promise<Record<string, number>> {
  const deadline = Date.now() + timeoutMs;
  let answer: Record<string, number> = {};
  for (;;) {
    answer = Object.fromEntries((await query(port, promql).catch(() => [])).map((r) => [r.metric[label] ?? '', Number(r.value[1])]));
    if (JSON.stringify(answer, Object.keys(answer).sort()) === JSON.stringify(expected, Object.keys(expected).sort()) || Date.now() > deadline) return answer;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

describe('Prometheus scrapes the metrics filter of a 2-worker sluice', () => {
  it('answers PromQL with the exact counts of a known mix sent over TCP', async () => {
    const sluice = await startSluice(PIPELINE);
    const all = mix(12_000);
    await sendRequestMix(sluice.port('in'), all, 8);
    expect(await sluice.settledCounter('filter_events_dropped_total', 'm', all.length, 20_000)).toBe(all.length);

    const expected5xx: Record<string, number> = {};
    const expectedFast: Record<string, number> = {};
    for (const h of all) {
      if (h.status >= 500) expected5xx[h.service] = (expected5xx[h.service] ?? 0) + 1;
      if (h.seconds <= 0.5) expectedFast[h.service] = (expectedFast[h.service] ?? 0) + 1;
    }
    const expectedBytes = all.reduce((sum, h) => sum + h.bytes, 0);

    // Prometheus' own linter on the exposition as scraped (HELP, TYPE, names, suffixes, histogram shape).
    const exposition = await (await fetch(`http://${sluice.api?.host}:${sluice.api?.port}/metrics`)).text();
    const lint = spawnSync('/usr/bin/promtool', ['check', 'metrics'], { input: exposition, encoding: 'utf8' });
    expect({ status: lint.status, problems: `${lint.stdout}${lint.stderr}` }).toEqual({ status: 0, problems: '' });
    expect(exposition).toContain('# TYPE http_request_duration_seconds histogram\n');

    const dir = mkdtempSync(join(tmpdir(), 'sluice-prometheus-'));
    const webPort = await freePort();
    writeFileSync(
      join(dir, 'prometheus.yml'),
      `global: { scrape_interval: 1s, evaluation_interval: 1s }\nscrape_configs:\n  - job_name: sluice\n    static_configs:\n      - targets: ['${sluice.api?.host ?? '127.0.0.1'}:${sluice.api?.port}']\n`,
    );
    programs.push(startProgram(PROMETHEUS, [`--config.file=${join(dir, 'prometheus.yml')}`, `--storage.tsdb.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${webPort}`], { cwd: dir }));

    expect(await waitForAnswer(webPort, 'sum by (service) (http_5xx_total)', 'service', expected5xx)).toEqual(expected5xx);
    expect(await waitForAnswer(webPort, 'sum by (service) (http_request_duration_seconds_bucket{le="0.5"})', 'service', expectedFast)).toEqual(expectedFast);
    expect(await waitForAnswer(webPort, 'sum(http_request_duration_seconds_count)', '', { '': all.length })).toEqual({ '': all.length });
    expect(await waitForAnswer(webPort, 'http_response_bytes_total', '', { '': expectedBytes })).toEqual({ '': expectedBytes });
    // sluice's own series sit beside them, summed over both workers.
    expect(await waitForAnswer(webPort, 'sluice_workers', '', { '': 2 })).toEqual({ '': 2 });
    expect(await waitForAnswer(webPort, 'sum(sluice_events_in_total)', '', { '': all.length })).toEqual({ '': all.length });
    expect(await sluice.stop()).toBe(0);
  }, 90_000);
});
