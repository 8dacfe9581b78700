/**
 * Into a real engine: (a) the engine's own ceiling, bulk bodies POSTed straight to `_bulk`, with
 * the ids sluice sends and with ids the engine picks; (b) sluice, TCP JSON lines through the
 * elasticsearch output. Side by side they tell whether sluice or the engine is the bottleneck.
 */
import { mappings, settings } from '../outputs/elasticsearch/template.js';
import { normalizeEvent } from '../pipeline/normalize.js';
import { nextEventId } from '../pipeline/id.js';
import type { Event } from '../pipeline/event.js';
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';
import { pythonLogstashLines, sendUntilDelivered, startSluice, timedResult, type BenchResult } from './lib.js';

const REPO = resolve(import.meta.dirname, '..', '..');

export function engineUrl(): { url: string; started: boolean } {
  if (process.env.ELASTICSEARCH_URL) return { url: process.env.ELASTICSEARCH_URL, started: false };
  const out = execFileSync(resolve(REPO, 'test/engine/run'), ['start'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], env: { ...process.env, SLUICE_ENGINE_STATE: '/tmp/sluice-engine-bench' } });
  return { url: out.trim().split('\n').pop() ?? '', started: true };
}

export function stopEngine(): void {
  execFileSync(resolve(REPO, 'test/engine/run'), ['stop'], { stdio: 'inherit', env: { ...process.env, SLUICE_ENGINE_STATE: '/tmp/sluice-engine-bench' } });
}

/** Each run indexes into its own index, deleted after it: left behind, their merges would slow the next runs. */
async function deleteIndex(url: string, index: string): Promise<void> {
  await fetch(`${url}/${index}`, { method: 'DELETE' });
}

async function engineCount(url: string, index: string): Promise<number> {
  await fetch(`${url}/${index}/_refresh`, { method: 'POST' });
  const body = (await (await fetch(`${url}/${index}/_count`)).json()) as { count?: number };
  return body.count ?? 0;
}

/**
 * How the ceiling's documents get their ids: `engine` lets the engine pick them (its fastest
 * path: no lookup of an existing id), `stable` sends a fresh UUIDv7 per document in a `create`,
 * as sluice does for exactly-once delivery, which costs the engine a lookup per document.
 */
export type CeilingIds = 'engine' | 'stable';

/** Warm-up slices of this long, until one is within WARM_TOLERANCE of the one before, for at most WARM_MAX_MS. */
const WARM_SLICE_MS = 3000;
const WARM_TOLERANCE = 0.1;
const WARM_MAX_MS = 90_000;

/**
 * A cold JVM indexes far slower than a warm one, and on a slow host it took over a minute to
 * settle (the stable-id ceiling rose from 18k to 40k events/s across one bench run): bulks are
 * posted in slices until the rate holds, so that the ceiling and sluice's runs after it meet a
 * warm engine.
 */
async function warmUp(bulksSoFar: () => number, post: (until: number) => Promise<void>): Promise<void> {
  const deadline = Date.now() + WARM_MAX_MS;
  let previous = 0;
  while (Date.now() < deadline) {
    const before = bulksSoFar();
    await post(Date.now() + WARM_SLICE_MS);
    const rate = bulksSoFar() - before;
    if (previous > 0 && Math.abs(rate - previous) <= WARM_TOLERANCE * previous) return;
    previous = rate;
  }
}

/** The engine alone, `concurrency` requests at a time: bodies built before the clock, or (with stable ids) per request from pre-serialized documents. */
export async function engineCeiling(url: string, seconds: number, ids: CeilingIds, label = 'engine ceiling', concurrency = 2, perBulk = 5000): Promise<BenchResult> {
  const index = `bench-ceiling-${Date.now()}`;
  // The documents sluice would send for these lines (normalized: `host` -> `host.name`), so both sides index the same.
  const sources = pythonLogstashLines(perBulk).map((line) => {
    const event = JSON.parse(line) as Event;
    normalizeEvent(event, new Date().toISOString());
    return `${JSON.stringify(event)}\n`;
  });
  const fixed = Buffer.from(sources.map((source) => `{"create":{"_index":"${index}"}}\n${source}`).join(''));
  const actionPrefix = `{"create":{"_index":"${index}","_id":"`;
  const body = (): Buffer => (ids === 'engine' ? fixed : Buffer.from(sources.map((source) => `${actionPrefix}${nextEventId()}"}}\n${source}`).join('')));
  // The same mappings sluice's template installs (strings as keywords), so both sides index the same way.
  await fetch(`${url}/${index}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings: settings(), mappings: mappings() }) });
  let bulks = 0;
  let bytes = 0;
  const post = async (until: number): Promise<void> => {
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (Date.now() < until) {
          const payload = body();
          const res = await fetch(`${url}/_bulk?filter_path=errors`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body: payload });
          const reply = (await res.json()) as { errors?: boolean };
          if (reply.errors) throw new Error('engine reported bulk errors');
          bulks++;
          bytes += payload.length;
        }
      }),
    );
  };
  await warmUp(() => bulks, post);
  bulks = 0;
  bytes = 0;
  const started = process.hrtime.bigint();
  await post(Date.now() + seconds * 1000);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const events = bulks * perBulk;
  await deleteIndex(url, index);
  const what = ids === 'engine' ? 'pre-built _bulk bodies' : '_bulk create with a stable _id per document, as sluice sends';
  return { name: `${label}: ${what} (${perBulk}/request, ${concurrency} in flight)`, events, seconds: elapsed, eventsPerSecond: events / elapsed, mibPerSecond: bytes / 1048576 / elapsed, cpuPercent: NaN, peakRssMiB: NaN, peakTreeRssMiB: NaN, bytesPerEvent: bytes / events };
}

/** sluice: TCP JSON lines -> elasticsearch output; timed until the engine counts every event. */
export async function sluiceIntoEngine(url: string, seconds: number, workers: number, connections: number): Promise<BenchResult> {
  const index = `bench-sluice-${Date.now()}`;
  const sluice = await startSluice(
    `api: { port: 0 }\npipeline:\n  workers: ${workers}\ninputs:\n  - { type: tcp, id: bench, port: 0 }\noutputs:\n  - { type: elasticsearch, id: es, hosts: "${url}", index: ${index}, template: { name: ${index} } }\n`,
  );
  const lines = pythonLogstashLines(8192);
  // Several connections, so that with several workers each has senders (one connection is served by one worker).
  const run = await sendUntilDelivered(sluice, Buffer.from(`${lines.join('\n')}\n`), lines.length, seconds, connections, { timeoutMs: 300_000, pollMs: 50 });
  const { expected } = run;
  const indexed = await engineCount(url, index);
  await deleteIndex(url, index);
  if (!run.done || indexed !== expected) throw new Error(`engine holds ${indexed} of ${expected} events`);
  const name = `sluice -> engine (tcp json_lines, ${connections} connections, elasticsearch output, workers: ${workers})`;
  return timedResult(name, run);
}

/**
 * sluice into the null output, fed at `eventsPerSecond` (the rate a run into the engine reached)
 * in pieces of 256 lines: its CPU per event is what the engine path's is compared with. Against
 * the null output at full rate, the engine path's figure held a part that is only its lower rate:
 * paced into the null output, the same events took 5.1-6.3 us each at 45k events/s, 4.1-4.5 at 100k.
 */
export async function sluiceNullAtRate(eventsPerSecond: number, seconds: number, workers: number, connections: number): Promise<BenchResult> {
  const sluice = await startSluice(`api: { port: 0 }\npipeline:\n  workers: ${workers}\ninputs:\n  - { type: tcp, id: bench, port: 0 }\noutputs:\n  - { type: "null", id: out }\n`);
  const lines = pythonLogstashLines(256);
  const run = await sendUntilDelivered(sluice, Buffer.from(`${lines.join('\n')}\n`), lines.length, seconds, connections, { timeoutMs: 60_000, pollMs: 50, chunksPerSecond: eventsPerSecond / lines.length });
  if (!run.done) throw new Error(`sluice did not deliver ${run.expected} events to the null output`);
  return timedResult(`tcp json_lines -> null at the engine run's rate (${connections} connections, workers: ${workers})`, run);
}

/** CPU microseconds per event of a run. */
export function cpuPerEvent(result: BenchResult): number {
  return (result.cpuPercent / 100 / result.eventsPerSecond) * 1e6;
}

