import { afterAll, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync, mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, REPO_ROOT, startSluice } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';
import { statusPipeline } from '../helpers/status_pipeline.js';
import { HeadlessPage } from '../interop/chromium/headless.js';

afterAll(killAllSluices);

/** Test artifacts (gitignored): the screenshot a person looks at. */
const ARTIFACTS = join(REPO_ROOT, 'test', 'artifacts');

// The engine output's host refuses connections: warnings to show and an engine to call failing.
const PIPELINE = statusPipeline(`  - type: elasticsearch
    id: engine
    hosts: http://127.0.0.1:9
    template: { install: false }
    retry: { initial_backoff: 0.05, max_backoff: 0.2 }
`);

/** The text of the element `<... data-plugin="key"> ... <td data-field="field" data-value="N">` in serialized HTML. */
function fieldValue(dom: string, plugin: string, field: string): number | undefined {
  const rowStart = dom.indexOf(`data-plugin="${plugin}"`);
  if (rowStart === -1) return undefined;
  const row = dom.slice(rowStart, dom.indexOf('</tr>', rowStart));
  const match = new RegExp(`data-field="${field.replace(/\./g, '\\.')}" data-value="(\\d+)"`).exec(row);
  return match ? Number(match[1]) : undefined;
}

describe('the status page on the API port', () => {
  it('loads in a real Chromium, shows the numbers /status.json gives, and is kept as a screenshot', async () => {
    const sluice = await startSluice(PIPELINE);
    const base = `http://${sluice.api!.host}:${sluice.api!.port}`;
    const kept = 120;
    const dropped = 30;
    const lines = [
      ...Array.from({ length: kept }, (_, i) => JSON.stringify({ message: `request ${i}`, level: 'info' })),
      ...Array.from({ length: dropped }, (_, i) => JSON.stringify({ message: `noise ${i}`, level: 'debug' })),
    ];
    // Several connections, so both workers get some.
    await Promise.all([0, 1, 2].map((c) => sendTcp(sluice.port('app'), lines.filter((_, i) => i % 3 === c).join('\n') + '\n')));
    await sluice.waitForStdoutEvents(kept);
    expect(await sluice.settledCounter('filter_events_dropped_total', 'no_debug', dropped)).toBe(dropped);
    await sluice.waitForLog((l) => l.output === 'engine' && l.level === 40);

    const status = (await (await fetch(`${base}/status.json`)).json()) as { pipeline: Record<string, number>; logs: Array<{ level: string; msg: string; worker?: number }> };
    expect(status.pipeline.workers).toBe(2);
    expect(status.logs.some((l) => l.level !== 'info' && l.worker !== undefined)).toBe(true);

    const page = await HeadlessPage.launch();
    try {
      await page.goto(`${base}/`);
      // Traffic while the page watches: the sparklines rise.
      await page.waitFor('Number(document.body.dataset.polls) >= 2');
      const rounds = [10, 30, 15, 40, 25]; // 120 events, uneven, so the sparklines have a shape
      for (const [round, count] of rounds.entries()) {
        await sendTcp(sluice.port('app'), Array.from({ length: count }, (_, i) => JSON.stringify({ message: `late ${round}-${i}`, level: 'info' })).join('\n') + '\n');
        const polls = await page.evaluate<number>('Number(document.body.dataset.polls)');
        await page.waitFor(`Number(document.body.dataset.polls) > ${polls}`);
      }
      await sluice.waitForStdoutEvents(kept + 120);
      await page.waitFor(`document.querySelector('[data-plugin="output:console"] [data-field="output_events_delivered_total"]')?.dataset.value === '${kept + 120}'`);
      const dom = await page.evaluate<string>('document.documentElement.outerHTML');
      const stats = (await (await fetch(`${base}/stats`)).json()) as { plugins: Array<Record<string, number | string>> };
      const fromApi = (id: string, name: string) => stats.plugins.find((p) => p.id === id)?.[name];
      expect(fieldValue(dom, 'input:app', 'events_in_total')).toBe(kept + dropped + 120);
      expect(fieldValue(dom, 'input:app', 'events_in_total')).toBe(fromApi('app', 'events_in_total'));
      expect(fieldValue(dom, 'input:app', 'bytes_in_total')).toBe(fromApi('app', 'bytes_in_total'));
      expect(fieldValue(dom, 'filter:no_debug', 'filter_events_in_total')).toBe(kept + dropped + 120);
      expect(fieldValue(dom, 'filter:no_debug', 'filter_events_out_total')).toBe(kept + 120);
      expect(fieldValue(dom, 'output:console', 'output_events_delivered_total')).toBe(kept + 120);
      // What a person reads matches: the cell's text is the number, formatted.
      expect(await page.evaluate<string>(`document.querySelector('[data-plugin="input:app"] [data-field="events_in_total"]').textContent`)).toBe(String(kept + dropped + 120));
      // The rate of the input rose while the page watched.
      expect(await page.evaluate<number>(`Math.max(...[...document.querySelectorAll('[data-plugin="input:app"] svg.spark polyline')].flatMap((l) => l.getAttribute('points').split(' ').map((p) => 26 - Number(p.split(',')[1]))))`)).toBeGreaterThan(5);
      // The engine refuses connections: its output says so, and so does the page's overall health.
      expect(await page.evaluate<string>(`document.querySelector('[data-plugin="output:engine"] [data-field="engine"] .pill').textContent`)).toBe('failing');
      expect(await page.evaluate<string>(`document.getElementById('health').textContent`)).toBe('failing');
      expect(dom).toContain('data-drop="filter no_debug:dropped:drop filter (on purpose)"');
      expect(dom).toContain('2 worker processes');
      // The workers' warnings reach the page through the primary.
      expect(dom).toMatch(/\[worker [01]\] engine not usable yet; retrying<span class="times"> ×\d+ since/);
      expect(await page.evaluate<number>(`document.querySelectorAll('svg.spark polyline').length`)).toBeGreaterThanOrEqual(4);
      expect(dom).not.toContain('unreachable');

      mkdirSync(ARTIFACTS, { recursive: true });
      const png = join(ARTIFACTS, 'status-page.png');
      await page.screenshot(png);
      expect(statSync(png).size).toBeGreaterThan(10_000);
      // The README's picture: refreshed on request, committed when the page changes.
      if (process.env.SLUICE_UPDATE_SCREENSHOT) copyFileSync(png, join(REPO_ROOT, 'deploy', 'status-page.png'));
    } finally {
      await page.close();
    }
    expect(await sluice.stop()).toBe(0);
  }, 120_000);

  it('shows what a persisted queue replayed at start', async () => {
    const queuePath = mkdtempSync(join(tmpdir(), 'sluice-status-queue-'));
    // The engine is unreachable: what is sent stays in the queue across the restart.
    const config = `
api: { port: 0 }
pipeline:
  queue: { type: persisted, path: ${queuePath}, sync_interval: 0.01 }
  shutdown_timeout: 1
inputs:
  - { type: tcp, id: app, port: 0 }
outputs:
  - { type: elasticsearch, id: engine, hosts: 'http://127.0.0.1:9', template: { install: false } }
`;
    const first = await startSluice(config);
    await sendTcp(first.port('app'), Array.from({ length: 25 }, (_, i) => JSON.stringify({ message: `kept ${i}` })).join('\n') + '\n');
    expect(await first.settledCounter('events_in_total', 'app', 25)).toBe(25);
    await first.stop();
    await first.waitForLog((l) => l.msg === 'events kept in the persisted queue for the next start');

    const second = await startSluice(config);
    const page = await HeadlessPage.launch(1280, 700);
    try {
      await page.goto(`http://${second.api!.host}:${second.api!.port}/`);
      await page.waitFor(`document.querySelector('[data-field="queue_recovery_replayed_events"]')`);
      const card = (field: string) => page.evaluate<string>(`document.querySelector('[data-field="${field}"]').dataset.value`);
      expect(await card('queue_recovery_replayed_events')).toBe('25');
      expect(await card('queue_recovery_lost_events')).toBe('0');
      expect(await card('queue_events')).toBe('25');
    } finally {
      await page.close();
    }
    await second.stop();
  }, 60_000);

  it('serves its files from the source tree when sluice runs from dist/', async () => {
    const sluice = await startSluice('api: { port: 0 }\ninputs: [{ type: tcp, id: app, port: 0 }]\noutputs: [{ type: stdout }]\n');
    const base = `http://${sluice.api!.host}:${sluice.api!.port}`;
    for (const [path, type] of [['/', 'text/html'], ['/status.js', 'text/javascript'], ['/status.css', 'text/css']]) {
      const res = await fetch(`${base}${path}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toContain(type);
    }
    expect((await fetch(`${base}/nothing-here.js`)).status).toBe(404);
    expect(await sluice.stop()).toBe(0);
  }, 60_000);
});
