/**
 * Shared pieces of the benchmarks: start sluice as a real process, sample its CPU and memory
 * from /proc, and read its counters from the monitoring API.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { PIPELINE_NODE_FLAGS } from '../pipeline/cluster/node_flags.js';
import { filterPlugins } from '../filters/index.js';
import type { Filter } from '../pipeline/plugin.js';
import { standaloneContext } from '../pipeline/plugin_context.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const CLOCK_TICKS = 100; // USER_HZ on Linux
/** `SLUICE_BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof"`: node flags for the sluice under test (NODE_OPTIONS refuses --cpu-prof). */
const NODE_ARGS = (process.env.SLUICE_BENCH_NODE_ARGS ?? '').split(' ').filter((arg) => arg !== '');

export interface RunningSluice {
  child: ChildProcess;
  inputs: Array<{ id: string; transport: string; port: number }>;
  api: { host: string; port: number };
  /** The tree's RSS with shared pages once, sampled from its start to its exit. */
  memory: PeakTreeRss;
}

/** Every sluice the bench started that has not exited: a target that fails must not leave its sluice running after the bench. */
const unfinished = new Set<ChildProcess>();
process.on('exit', () => {
  for (const child of unfinished) child.kill('SIGKILL');
});

export function startSluice(yaml: string): Promise<RunningSluice> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  const path = join(dir, 'pipeline.yml');
  writeFileSync(path, yaml);
  // As `npm start` runs it: the pipeline's node flags, then the bench's own.
  const child = spawn(process.execPath, [...PIPELINE_NODE_FLAGS, ...NODE_ARGS, join(REPO, 'bin', 'sluice.js'), 'run', '-c', path, '--log-level', 'info'], { stdio: ['ignore', 'ignore', 'pipe'] });
  unfinished.add(child);
  const memory = new PeakTreeRss(child.pid ?? 0);
  child.once('exit', () => {
    unfinished.delete(child);
    memory.stop();
  });
  return new Promise((resolvePromise, reject) => {
    let carry = '';
    child.stderr?.setEncoding('utf8').on('data', (text: string) => {
      const lines = (carry + text).split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.includes('"sluice started"')) continue;
        const started = JSON.parse(line) as Pick<RunningSluice, 'inputs' | 'api'>;
        resolvePromise({ child, inputs: started.inputs, api: started.api, memory });
      }
    });
    child.once('exit', (code) => reject(new Error(`sluice exited with ${code} before starting`)));
  });
}

export async function counter(sluice: RunningSluice, name: string): Promise<number> {
  const res = await fetch(`http://${sluice.api.host}:${sluice.api.port}/stats`);
  const stats = (await res.json()) as { pipeline: Record<string, number>; plugins: Array<Record<string, unknown>> };
  let total = stats.pipeline[name] ?? 0;
  for (const plugin of stats.plugins) if (typeof plugin[name] === 'number') total += plugin[name];
  return total;
}

export interface ProcessSample {
  cpuSeconds: number;
  /** The processes' RSS high-water marks, added up: pages they share (Node's own code) count once per process. */
  peakRssBytes: number;
  /** The peak of the tree's RSS with the pages its processes share counted once: what it takes from the machine. */
  peakTreeRssBytes?: number;
}

/** A `Name:   123 kB` line of /proc/<pid>/status, in bytes. */
function statusBytes(status: string, name: string): number {
  const m = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status);
  return m ? Number(m[1]) * 1024 : 0;
}

export function sampleProcess(pid: number): ProcessSample {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]); // utime + stime
  return { cpuSeconds: ticks / CLOCK_TICKS, peakRssBytes: statusBytes(readFileSync(`/proc/${pid}/status`, 'utf8'), 'VmHWM') };
}

function childrenOf(pid: number): number[] {
  try {
    const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
    return text ? text.split(' ').map(Number) : [];
  } catch {
    return [];
  }
}

/** CPU of a process and its children (cluster workers); peak RSS summed over them, and the tree's peak when `memory` watches it. */
export function sampleTree(pid: number, memory?: PeakTreeRss): ProcessSample {
  const all = [pid, ...childrenOf(pid)];
  let cpuSeconds = 0;
  let peakRssBytes = 0;
  for (const p of all) {
    const s = sampleProcess(p);
    cpuSeconds += s.cpuSeconds;
    peakRssBytes += s.peakRssBytes;
  }
  return memory ? { cpuSeconds, peakRssBytes, peakTreeRssBytes: memory.sample() } : { cpuSeconds, peakRssBytes };
}

/** sampleTree of a running sluice, with the tree's peak its watch saw. */
export function sampleSluice(sluice: RunningSluice): ProcessSample {
  return sampleTree(sluice.child.pid ?? 0, sluice.memory);
}

/**
 * The resident memory of a process and its children with the file pages they share counted once:
 * each one's anonymous and shared-memory pages, plus the largest of their file-backed ones (the
 * same Node binary and libraries, mapped by every process of the tree; workers are spawned, not
 * forked, so no anonymous page is shared). Read from the counters in /proc/<pid>/status:
 * smaps_rollup would be exact but walks the page tables under the process's memory lock, and
 * sampling it every 100 ms cost a 2-worker sluice 15% of its events/s. A process that is gone
 * counts 0.
 */
function treeRssBytes(pid: number): number {
  let own = 0;
  let files = 0;
  for (const p of [pid, ...childrenOf(pid)]) {
    let status: string;
    try {
      status = readFileSync(`/proc/${p}/status`, 'utf8');
    } catch {
      continue; // exited between the listing and the read
    }
    own += statusBytes(status, 'RssAnon') + statusBytes(status, 'RssShmem');
    files = Math.max(files, statusBytes(status, 'RssFile'));
  }
  return own + files;
}

/**
 * The peak of a process tree's RSS with shared pages counted once, sampled every `everyMs` (Linux
 * keeps a high-water mark per process only). Adding up the processes' own peaks counts what a
 * primary and its workers share, about 43 MiB of Node's code here, once per process. PSS is no
 * answer either: it also divides those pages with any other Node process on the machine (the
 * bench itself), which a deployment does not have.
 */
export class PeakTreeRss {
  private peak = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.sample(), everyMs);
    this.timer.unref();
  }

  /** Takes a sample now; returns the peak so far. */
  sample(): number {
    this.peak = Math.max(this.peak, treeRssBytes(this.pid));
    return this.peak;
  }

  stop(): void {
    clearInterval(this.timer);
  }
}

/** Lines shaped like python-logstash's formatter output (~300 bytes each), varied so parsing is real work. */
export function pythonLogstashLines(count: number): string[] {
  const levels = ['INFO', 'WARNING', 'ERROR', 'DEBUG'];
  const lines: string[] = [];
  for (let i = 0; i < count; i++) {
    lines.push(
      JSON.stringify({
        '@timestamp': new Date(Date.UTC(2026, 10, 22, 12, 0, 0, i % 1000)).toISOString(),
        '@version': '1',
        message: `GET /api/v1/orders/${100000 + i} completed in ${(i * 7) % 500}ms`,
        host: `web-${i % 8}`,
        path: '/srv/app/orders/views.py',
        tags: ['django'],
        type: 'logstash',
        level: levels[i % levels.length],
        logger_name: 'orders.views',
        stack_info: null,
        trace_id: (i * 2654435761).toString(16).padStart(32, '0').slice(-32),
        user_id: i % 997,
      }),
    );
  }
  return lines;
}

/** A filter as a pipeline would make it from these settings, for benchmarks that run filters in process. */
export function benchFilter(type: string, settings: Record<string, unknown>): Filter {
  const plugin = filterPlugins.find((p) => p.type === type);
  if (!plugin) throw new Error(`no filter ${type}`);
  return plugin.create(plugin.schema.parse(settings), standaloneContext(type));
}

export function formatRate(n: number): string {
  return n >= 1e6 ? `${(n / 1e6).toFixed(2)}M` : n >= 1e3 ? `${(n / 1e3).toFixed(1)}k` : n.toFixed(0);
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs: number, intervalMs = 100): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await check()) return true;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  return false;
}

export interface BenchResult {
  name: string;
  events: number;
  seconds: number;
  eventsPerSecond: number;
  mibPerSecond: number;
  cpuPercent: number;
  peakRssMiB: number;
  /** NaN where the run did not watch it (older history lines, runs of other programs). */
  peakTreeRssMiB: number;
  bytesPerEvent: number;
}

/** A run of sluice: `events` and wire `bytes` over `seconds`, its CPU and memory from two samples of its process tree. */
export function measuredResult(name: string, events: number, bytes: number, seconds: number, before: ProcessSample, after: ProcessSample): BenchResult {
  return {
    name,
    events,
    seconds,
    eventsPerSecond: events / seconds,
    mibPerSecond: bytes / 1048576 / seconds,
    cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
    peakRssMiB: after.peakRssBytes / 1048576,
    peakTreeRssMiB: after.peakTreeRssBytes === undefined ? NaN : after.peakTreeRssBytes / 1048576,
    bytesPerEvent: bytes / events,
  };
}

export function printResult(r: BenchResult): void {
  process.stdout.write(
    `${r.name}\n  ${formatRate(r.eventsPerSecond)} events/s  ${r.mibPerSecond.toFixed(1)} MiB/s  CPU ${Number.isNaN(r.cpuPercent) ? 'n/a' : `${r.cpuPercent.toFixed(0)}%`}  peak RSS ${Number.isNaN(r.peakRssMiB) ? 'n/a' : `${r.peakRssMiB.toFixed(0)} MiB`}${Number.isFinite(r.peakTreeRssMiB) ? `  tree ${r.peakTreeRssMiB.toFixed(0)} MiB` : ''}  (${r.events} events of ~${r.bytesPerEvent.toFixed(0)} B in ${r.seconds.toFixed(2)} s)\n`,
  );
}

export type QueueChoice = 'memory' | 'persisted';

/** The queue block of a bench pipeline; a persisted queue gets a temporary folder, removed after the run. */
export function benchQueue(choice: QueueChoice): { yaml: string; remove: () => void } {
  if (choice === 'memory') return { yaml: '  queue: { max_events: 50000, max_bytes: 67108864 }\n', remove: () => undefined };
  const path = mkdtempSync(join(tmpdir(), 'sluice-bench-queue-'));
  return { yaml: `  queue: { type: persisted, path: ${path}, max_events: 50000, memory_bytes: 67108864 }\n`, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/**
 * Writes `chunk` over and over on `connections` sockets to `port` for `seconds`, as fast as they
 * take it, or with `chunksPerSecond` at that pace over all of them; resolves with the chunks
 * written once all are closed.
 */
export async function sendChunksFor(port: number, chunk: Buffer, seconds: number, connections: number, chunksPerSecond?: number): Promise<number> {
  let chunksSent = 0;
  const startedAt = Date.now();
  const stopAt = startedAt + seconds * 1000;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      const socket = net.connect({ port, host: '127.0.0.1' });
      await once(socket, 'connect');
      while (Date.now() < stopAt) {
        if (chunksPerSecond !== undefined && chunksSent >= ((Date.now() - startedAt) / 1000) * chunksPerSecond) {
          await new Promise((resolvePause) => setTimeout(resolvePause, 2));
          continue;
        }
        chunksSent++;
        if (!socket.write(chunk)) await once(socket, 'drain');
      }
      socket.end();
      await once(socket, 'close');
    }),
  );
  return chunksSent;
}

/** A timed run: the events and bytes sent, sluice's samples around it, and whether its outputs delivered them all. */
export interface TimedRun {
  expected: number;
  bytes: number;
  elapsed: number;
  before: ProcessSample;
  after: ProcessSample;
  done: boolean;
  /** Events the outputs had delivered when the wait ended. */
  delivered: number;
}

/**
 * Writes `chunk` (`linesInChunk` events) again and again over `connections` TCP sockets into
 * sluice's first input for `seconds`, paced at `chunksPerSecond` when given, waits up to
 * `timeoutMs` until its outputs delivered every event, samples it and stops it.
 */
export async function sendUntilDelivered(
  sluice: RunningSluice,
  chunk: Buffer,
  linesInChunk: number,
  seconds: number,
  connections: number,
  wait: { timeoutMs: number; pollMs: number; chunksPerSecond?: number },
): Promise<TimedRun> {
  const before = sampleSluice(sluice);
  const started = process.hrtime.bigint();
  const chunks = await sendChunksFor(sluice.inputs[0].port, chunk, seconds, connections, wait.chunksPerSecond);
  const expected = chunks * linesInChunk;
  const done = await waitFor(async () => (await counter(sluice, 'output_events_delivered_total')) >= expected, wait.timeoutMs, wait.pollMs);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = sampleSluice(sluice);
  const delivered = await counter(sluice, 'output_events_delivered_total');
  sluice.child.kill('SIGTERM');
  await once(sluice.child, 'exit');
  return { expected, bytes: chunks * chunk.length, elapsed, before, after, done, delivered };
}

/** The result of a timed run under `name`. */
export function timedResult(name: string, run: TimedRun): BenchResult {
  return measuredResult(name, run.expected, run.bytes, run.elapsed, run.before, run.after);
}

/** `lines` as one chunk through sendUntilDelivered, as fast as sluice takes them: the run's result. */
export async function blastLines(sluice: RunningSluice, name: string, lines: string[], seconds: number, connections: number): Promise<BenchResult> {
  const run = await sendUntilDelivered(sluice, Buffer.from(`${lines.join('\n')}\n`), lines.length, seconds, connections, { timeoutMs: 120_000, pollMs: 20 });
  if (!run.done) throw new Error(`sluice delivered ${run.delivered} of ${run.expected} events`);
  return timedResult(name, run);
}
