/**
 * The `file` target: a file of nginx access lines (~150 bytes each) written before sluice
 * starts, read whole (`start_position: beginning`) into the null output by one worker: lines/s
 * from start to the last delivery, and the CPU the process used meanwhile.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { counter, measuredResult, sampleSluice, startSluice, waitFor, type BenchResult } from './lib.js';

function accessLines(count: number): string {
  const paths = ['/api/v1/orders/', '/static/app.js?v=', '/api/v1/users/', '/healthz?n='];
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    parts.push(`10.0.${(i >> 8) & 255}.${i & 255} - - [01/Dec/2026:19:46:${String(i % 60).padStart(2, '0')} +0000] "GET ${paths[i % 4]}${i} HTTP/1.1" ${i % 50 === 0 ? 500 : 200} ${(i * 37) % 9000} "-" "curl/7.88.1"\n`);
  }
  return parts.join('');
}

export async function runFileTailBench(lines: number, timeoutSeconds: number): Promise<BenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-file-'));
  try {
    const text = accessLines(lines);
    writeFileSync(join(dir, 'access.log'), text);
    const sluice = await startSluice(
      `api: { port: 0 }\npipeline:\n  workers: 1\n  queue: { max_events: 50000, max_bytes: 67108864 }\ninputs:\n  - { type: file, id: bench, paths: ["${dir}/*.log"], start_position: beginning, checkpoint_path: "${dir}/checkpoint" }\noutputs:\n  - { type: "null" }\n`,
    );
    // The clock starts when sluice said it started: the first read is already under way.
    const before = sampleSluice(sluice);
    const started = process.hrtime.bigint();
    let delivered = 0;
    await waitFor(async () => (delivered = await counter(sluice, 'output_events_delivered_total')) >= lines, timeoutSeconds * 1000, 20);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    const after = sampleSluice(sluice);
    sluice.child.kill('SIGTERM');
    return measuredResult('file -> null (1 worker, nginx access lines)', delivered, Buffer.byteLength(text) * (delivered / lines), seconds, before, after);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
