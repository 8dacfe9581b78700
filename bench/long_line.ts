/**
 * One very long line over TCP (`lines` codec, `max_line_bytes` raised to 256 MiB) into the null
 * output: MB/s from the first byte to the event's delivery, and the slowest `/stats` answer
 * while the line streams in. A splitter that re-copies what it holds on every read turns this
 * quadratic; the run is cut at `timeoutSeconds` and then reports the rate reached so far.
 */
import net from 'node:net';
import { once } from 'node:events';
import { counter, sampleSluice, startSluice, type BenchResult } from './lib.js';

export interface LongLineBenchOptions {
  lineBytes: number;
  timeoutSeconds: number;
}

export interface LongLineResult extends BenchResult {
  finished: boolean;
  slowestStatsMs: number;
  slowestAfterNewlineMs: number;
}

const CHUNK = Buffer.alloc(64 * 1024, 'x');

export async function runLongLineBench(options: LongLineBenchOptions): Promise<LongLineResult> {
  const sluice = await startSluice(
    `api: { port: 0 }\npipeline:\n  workers: 1\ninputs:\n  - { type: tcp, id: bench, port: 0, codec: lines, max_line_bytes: 268435456 }\noutputs:\n  - { type: "null" }\n`,
  );
  const before = sampleSluice(sluice);
  const started = process.hrtime.bigint();
  const elapsed = () => Number(process.hrtime.bigint() - started) / 1e9;
  const deadline = Date.now() + options.timeoutSeconds * 1000;

  let slowestStatsMs = 0;
  /** Once the newline is sent: joining, decoding and delivering one huge event is one long task. */
  let slowestAfterNewlineMs = 0;
  let newlineSent = false;
  let delivered = 0;
  const poll = (async () => {
    while (Date.now() < deadline) {
      const asked = performance.now();
      delivered = await counter(sluice, 'output_events_delivered_total');
      const took = performance.now() - asked;
      if (newlineSent) slowestAfterNewlineMs = Math.max(slowestAfterNewlineMs, took);
      else slowestStatsMs = Math.max(slowestStatsMs, took);
      if (delivered >= 1) return;
      await new Promise((r) => setTimeout(r, 20));
    }
  })();

  const socket = net.connect({ port: sluice.inputs[0].port, host: '127.0.0.1' });
  await once(socket, 'connect');
  socket.on('error', () => undefined);
  let sent = 0;
  while (sent < options.lineBytes && Date.now() < deadline) {
    const n = Math.min(CHUNK.length, options.lineBytes - sent);
    sent += n;
    if (!socket.write(n === CHUNK.length ? CHUNK : CHUNK.subarray(0, n))) await Promise.race([once(socket, 'drain'), new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now())))]);
  }
  if (sent === options.lineBytes) {
    newlineSent = true;
    socket.write('\n');
  }
  await poll;
  const seconds = elapsed();
  const after = sampleSluice(sluice);
  const received = await counter(sluice, 'bytes_in_total');
  socket.destroy();
  sluice.child.kill('SIGKILL');
  await once(sluice.child, 'exit');
  const finished = delivered >= 1;
  const bytes = finished ? options.lineBytes : received;
  return {
    name: `tcp lines, one line of ${(options.lineBytes / 1048576).toFixed(0)} MiB -> null${finished ? '' : ` (unfinished after ${options.timeoutSeconds} s: ${(received / 1048576).toFixed(0)} MiB read)`}; slowest /stats ${slowestStatsMs.toFixed(0)} ms while it streamed, ${slowestAfterNewlineMs.toFixed(0)} ms after its newline`,
    events: finished ? 1 : 0,
    seconds,
    eventsPerSecond: (finished ? 1 : 0) / seconds,
    mibPerSecond: bytes / 1048576 / seconds,
    cpuPercent: ((after.cpuSeconds - before.cpuSeconds) / seconds) * 100,
    peakRssMiB: after.peakRssBytes / 1048576,
    peakTreeRssMiB: (after.peakTreeRssBytes ?? NaN) / 1048576,
    bytesPerEvent: options.lineBytes,
    finished,
    slowestStatsMs,
    slowestAfterNewlineMs,
  };
}
