/**
 * Beats (Lumberjack v2) into sluice -> null, driven by the go-lumber client built by
 * test/interop/go_lumber/setup.sh: windows of 2048 (Filebeat's bulk_max_size), compressed at
 * Filebeat's default level 3 or not, over a few connections at once. The client encodes one
 * window's JSON once and resends it (`-reuse`), as the TCP bench sends pre-built lines: the two
 * machines share two cores, and go-lumber's per-event encoding would otherwise be what is timed.
 */
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { benchQueue, counter, measuredResult, sampleSluice, startSluice, waitFor, type BenchResult, type QueueChoice } from './lib.js';

const run = promisify(execFile);
const CLIENT = join(import.meta.dirname, '..', '..', 'test', 'interop', 'go_lumber', 'bin', 'lumber-send');

export interface BeatsBenchOptions {
  events: number;
  connections: number;
  compression: number;
  workers: number;
  queue: QueueChoice;
  ack: 'queue' | 'end_to_end';
  window: number;
}

export async function runBeatsBench(options: BeatsBenchOptions): Promise<BenchResult> {
  const queue = benchQueue(options.queue);
  const sluice = await startSluice(
    `api: { port: 0 }\npipeline:\n  workers: ${options.workers}\n  ack: ${options.ack}\n${queue.yaml}inputs:\n  - { type: beats, id: beats, port: 0 }\noutputs:\n  - { type: "null" }\n`,
  );
  const port = sluice.inputs[0].port;
  const before = sampleSluice(sluice);
  const started = process.hrtime.bigint();
  const perClient = Math.ceil(options.events / options.connections);
  const summaries = await Promise.all(
    Array.from({ length: options.connections }, (_, i) =>
      run(CLIENT, ['-addr', `127.0.0.1:${port}`, '-n', String(perClient), '-window', String(options.window), '-compression', String(options.compression), '-marker', `bench-${i}`, '-reuse'], { maxBuffer: 1 << 20 }).then(
        ({ stdout }) => JSON.parse(stdout) as { sent: number },
      ),
    ),
  );
  const sent = summaries.reduce((sum, s) => sum + s.sent, 0);
  const done = await waitFor(async () => (await counter(sluice, 'output_events_delivered_total')) >= sent, 120_000, 20);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = sampleSluice(sluice);
  const bytes = await counter(sluice, 'bytes_in_total');
  sluice.child.kill('SIGTERM');
  await once(sluice.child, 'exit');
  queue.remove();
  if (!done) throw new Error(`sluice delivered fewer than the ${sent} events sent`);
  const name = `beats v2 (go-lumber, window ${options.window}, compression ${options.compression}) -> null (queue: ${options.queue}, ack: ${options.ack}, workers: ${options.workers}, ${options.connections} connections)`;
  return measuredResult(name, sent, bytes, elapsed, before, after);
}
