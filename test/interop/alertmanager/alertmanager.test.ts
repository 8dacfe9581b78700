/**
 * Debian's Prometheus Alertmanager (run in the foreground with its own config and storage in a
 * temp dir) receives the alerts of a 2-worker sluice: a rule on the summed 5xx count of one
 * service fires after a burst sent over TCP, shows in Alertmanager's API with its labels, and
 * resolves there when the next window is quiet; both go through the pipeline as events too.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { sendRequestMix } from '../../filters/metrics_mix.js';
import { freePort, startProgram, waitForPort, type Program } from '../lib/programs.js';

const programs: Program[] = [];
afterAll(async () => {
  killAllSluices();
  await Promise.all(programs.map((p) => p.stop()));
});

interface ManagedAlert {
  labels: Record<string, string>;
  annotations: Record<string, string>;
  status: { state: string };
  endsAt: string;
}

async function alertsIn(port: number): Promise<ManagedAlert[]> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v2/alerts`);
  return (await response.json()) as ManagedAlert[];
}

async function waitUntil<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe('alert rules into Alertmanager', () => {
  it('fires on a burst of 5xx of one service with its labels, and resolves when it stops', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-alertmanager-'));
    const port = await freePort();
    writeFileSync(join(dir, 'alertmanager.yml'), 'route: { receiver: none, group_wait: 1s }\nreceivers:\n  - name: none\n');
    programs.push(
      startProgram('/usr/bin/prometheus-alertmanager', [`--config.file=${join(dir, 'alertmanager.yml')}`, `--storage.path=${join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--cluster.listen-address='], { cwd: dir }),
    );
    await waitForPort(port, 30_000);

    // The metrics filter leaves the alert events alone: they go on to stdout.
    const yaml = `
api: { port: 0 }
pipeline: { workers: 2 }
inputs:
  - { type: tcp, id: in, port: 0 }
filters:
  - type: metrics
    id: m
    when: '![tags] or "alert" not in [tags]'
    drop_events: true
    metrics:
      - { name: http_5xx_total, type: counter, when: "[http][response][status_code] >= 500", labels: { service: "%{[service][name]}" } }
outputs:
  - { type: stdout }
alerts:
  alertmanager: { url: "http://127.0.0.1:${port}" }
  rules:
    - { name: http_5xx_high, metric: http_5xx_total, by: [service], op: ">", threshold: 50, window: 2, cooldown: 0, summary: "5xx burst" }
`;
    const sluice = await startSluice(yaml);
    await sluice.waitForLog((l) => l.msg === 'alert rules judged once (the baseline of their first window)');
    // 120 5xx for shop, 40 for cart (under the threshold), spread over both workers.
    const hits = Array.from({ length: 400 }, (_, n) => ({ service: n % 2 === 0 ? 'shop' : 'cart', status: n % 2 === 0 ? (n % 20 < 12 ? 503 : 200) : n % 10 === 1 ? 500 : 200, seconds: 0, bytes: 0 }));
    expect(hits.filter((h) => h.service === 'shop' && h.status >= 500)).toHaveLength(120);
    await sendRequestMix(sluice.port('in'), hits, 4);

    const firing = await sluice.waitForLog((l) => l.msg === 'alert firing');
    expect(firing).toMatchObject({ alert: { alertname: 'http_5xx_high', service: 'shop' } });
    // All 120 in one window, or split over two by the window's edge: at least one part is above 50.
    expect(firing.value).toBeGreaterThan(50);
    const active = await waitUntil(() => alertsIn(port), (list) => list.length > 0);
    expect(active.map((a) => ({ labels: a.labels, summary: a.annotations.summary, state: a.status.state }))).toEqual([{ labels: { alertname: 'http_5xx_high', service: 'shop' }, summary: '5xx burst', state: 'active' }]);

    const resolved = await sluice.waitForLog((l) => l.msg === 'alert resolved');
    expect(resolved).toMatchObject({ alert: { alertname: 'http_5xx_high', service: 'shop' }, value: 0 });
    const after = await waitUntil(() => alertsIn(port), (list) => list.every((a) => Date.parse(a.endsAt) <= Date.now()));
    expect(after.every((a) => Date.parse(a.endsAt) <= Date.now())).toBe(true);
    expect(sluice.logLines.filter((l) => l.msg === 'alert firing')).toHaveLength(1);
    // Both transitions also went through the pipeline as events, to stdout.
    const events = await sluice.waitForStdoutEvents(2);
    expect(events.map((e) => [(e.event as Record<string, unknown>).action, e.labels, e.tags])).toEqual([
      ['firing', { alertname: 'http_5xx_high', service: 'shop' }, ['alert']],
      ['resolved', { alertname: 'http_5xx_high', service: 'shop' }, ['alert']],
    ]);
    expect(sluice.logLines.some((l) => l.msg === 'alerts not posted to Alertmanager')).toBe(false);
    expect(await sluice.stop()).toBe(0);
  }, 90_000);

  it('puts the alerts of a single-process sluice into its pipeline and posts them to a webhook', async () => {
    const posts: string[] = [];
    const hook = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8').on('data', (c: string) => (body += c));
      req.on('end', () => {
        posts.push(body);
        res.end('ok');
      });
    });
    hook.listen(0, '127.0.0.1');
    await once(hook, 'listening');
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: tcp, id: in, port: 0 }
filters:
  - { type: metrics, metrics: [{ name: orders_total, type: counter, when: "[order]" }] }
outputs:
  - { type: stdout }
alerts:
  webhook: { url: "http://127.0.0.1:${(hook.address() as { port: number }).port}/alerts" }
  rules:
    - { name: no_orders, metric: orders_total, op: "<", threshold: 1, window: 1 }
`);
    const [event] = await sluice.waitForStdoutEvents(1);
    expect(event).toMatchObject({ event: { kind: 'alert', action: 'firing' }, labels: { alertname: 'no_orders' }, alert: { value: 0, threshold: 1 } });
    expect(event.message).toBe('alert firing: no_orders (orders_total 0, rule < 1 over 1s)');
    for (const deadline = Date.now() + 10_000; posts.length === 0 && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(JSON.parse(posts[0])).toMatchObject({ alerts: [{ status: 'firing', labels: { alertname: 'no_orders' }, annotations: { value: '0' } }] });
    expect(await sluice.stop()).toBe(0);
    hook.close();
  }, 60_000);
});
