/**
 * Into a real engine: (a) the engine's own ceiling, pre-built bulk bodies POSTed straight to
 * `_bulk`; (b) sluice, TCP JSON lines through the elasticsearch output. Side by side they tell
 * whether sluice or the engine is the bottleneck.
 */
import { mappings, settings } from '../outputs/elasticsearch/template.js';
import { normalizeEvent } from '../pipeline/normalize.js';
import type { Event } from '../pipeline/event.js';
import net from 'node:net';
import { once } from 'node:events';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { counter, measuredResult, pythonLogstashLines, sampleTree, startSluice, waitFor, type BenchResult } from './lib.js';

const REPO = resolve(import.meta.dirname, '..', '..');

export function engineUrl(): { url: string; started: boolean } {
  if (process.env.ELASTICSEARCH_URL) return { url: process.env.ELASTICSEARCH_URL, started: false };
  const out = execFileSync(resolve(REPO, 'test/engine/run'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SLUICE_ENGINE_STATE: '/tmp/sluice-engine-bench' } });
  return { url: out.trim().split('\n').pop() ?? '', started: true };
}

export function stopEngine(): void {
  execFileSync(resolve(REPO, 'test/engine/run'), ['stop'], { stdio: 'inherit', env: { ...process.env, SLUICE_ENGINE_STATE: '/tmp/sluice-engine-bench' } });
}

async function engineCount(url: string, index: string): Promise<number> {
  await fetch(`${url}/${index}/_refresh`, { method: 'POST' });
  const body = (await (await fetch(`${url}/${index}/_count`)).json()) as { count?: number };
  return body.count ?? 0;
}

/** The engine alone: bulk bodies built before the clock starts, `concurrency` requests at a time. */
export async function engineCeiling(url: string, seconds: number, concurrency = 2, perBulk = 5000): Promise<BenchResult> {
  const index = `bench-ceiling-${Date.now()}`;
  const lines = pythonLogstashLines(perBulk);
  let body = '';
  // The documents sluice would send for these lines (normalized: `host` -> `host.name`), so both sides index the same.
  for (const line of lines) {
    const event = JSON.parse(line) as Event;
    normalizeEvent(event, new Date().toISOString());
    body += `{"create":{"_index":"${index}"}}\n${JSON.stringify(event)}\n`;
  }
  const payload = Buffer.from(body);
  // The same mappings sluice's template installs (strings as keywords), so both sides index the same way.
  await fetch(`${url}/${index}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings: settings(), mappings: mappings() }) });
  let bulks = 0;
  const post = async (until: number): Promise<void> => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          const res = await fetch(`${url}/_bulk`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: payload });
          const reply = (await res.json()) as { errors?: boolean };
          if (reply.errors) throw new Error('engine reported bulk errors');
          bulks++;
        }
      }),
    );
  };
  // A cold JVM indexes far slower than a warm one: warm it up before measuring, as sluice's runs come after.
  await post(Date.now() + Math.min(seconds, 5) * 1000);
  bulks = 0;
  const started = process.hrtime.bigint();
  await post(Date.now() + seconds * 1000);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const events = bulks * perBulk;
  return { name: `engine ceiling: pre-built _bulk bodies (${perBulk}/request, ${concurrency} in flight)`, events, seconds: elapsed, eventsPerSecond: events / elapsed, mibPerSecond: (bulks * payload.length) / 1048576 / elapsed, cpuPercent: NaN, peakRssMiB: NaN, bytesPerEvent: payload.length / perBulk };
}

/** sluice: TCP JSON lines -> elasticsearch output; timed until the engine counts every event. */
export async function sluiceIntoEngine(url: string, seconds: number, workers: number): Promise<BenchResult> {
  const index = `bench-sluice-${Date.now()}`;
  const sluice = await startSluice(
    `api: { port: 0 }\npipeline:\n  workers: ${workers}\ninputs:\n  - { type: tcp, id: bench, port: 0 }\noutputs:\n  - { type: elasticsearch, id: es, hosts: "${url}", index: ${index}, template: { name: ${index} } }\n`,
  );
  const lines = pythonLogstashLines(8192);
  const chunk = Buffer.from(`${lines.join('\n')}\n`);
  const before = sampleTree(sluice.child.pid ?? 0);
  const started = process.hrtime.bigint();
  const socket = net.connect({ port: sluice.inputs[0].port, host: '127.0.0.1' });
  await once(socket, 'connect');
  let chunks = 0;
  const stopAt = Date.now() + seconds * 1000;
  while (Date.now() < stopAt) {
    chunks++;
    if (!socket.write(chunk)) await once(socket, 'drain');
  }
  socket.end();
  const expected = chunks * lines.length;
  const done = await waitFor(async () => (await counter(sluice, 'output_events_delivered_total')) >= expected, 300_000, 50);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = sampleTree(sluice.child.pid ?? 0);
  sluice.child.kill('SIGTERM');
  await once(sluice.child, 'exit');
  const indexed = await engineCount(url, index);
  if (!done || indexed !== expected) throw new Error(`engine holds ${indexed} of ${expected} events`);
  const name = `sluice -> engine (tcp json_lines, elasticsearch output, workers: ${workers})`;
  return measuredResult(name, expected, chunks * chunk.length, elapsed, before, after);
}
