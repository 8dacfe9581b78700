/**
 * What the persisted queue costs and what the disk under it can do: the disk's own sequential
 * write rate and fdatasync rate (the ceiling for any queue on it), and how long a start takes
 * to recover a full queue folder (scan every record's checksum, find the read position).
 */
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistedQueue } from '../pipeline/queue/persisted/index.js';
import { createLogger } from '../pipeline/logger.js';
import { makeBatch, type Batch } from '../pipeline/batch.js';
import type { Event, InputMetadata } from '../pipeline/event.js';
import { jsonLinesCodec } from '../inputs/codecs/json_lines.js';
import { finishEvents } from '../inputs/finish.js';
import { pythonLogstashLines } from './lib.js';

export interface DiskRates {
  sequentialMiBps: number;
  fdatasyncPerSecond: number;
  fdatasyncMs: number;
}

/** 512 MiB written in 1 MiB writes then synced; then 4 KiB writes each followed by fdatasync for 2 s. */
export function diskRates(): DiskRates {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-disk-'));
  try {
    const chunk = Buffer.alloc(1 << 20, 'x');
    let fd = openSync(join(dir, 'sequential'), 'w');
    let started = process.hrtime.bigint();
    for (let i = 0; i < 512; i++) writeSync(fd, chunk);
    fdatasyncSync(fd);
    closeSync(fd);
    const sequentialMiBps = 512 / (Number(process.hrtime.bigint() - started) / 1e9);
    fd = openSync(join(dir, 'syncs'), 'w');
    const small = Buffer.alloc(4096, 'y');
    let syncs = 0;
    started = process.hrtime.bigint();
    const stop = Date.now() + 2000;
    while (Date.now() < stop) {
      writeSync(fd, small);
      fdatasyncSync(fd);
      syncs++;
    }
    closeSync(fd);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { sequentialMiBps, fdatasyncPerSecond: syncs / seconds, fdatasyncMs: (seconds * 1000) / syncs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface RecoveryResult {
  /** How the records hold their events: `lines` as the tcp input records them, `json` as a batch without a recording is stored. */
  form: RecordForm;
  bytes: number;
  events: number;
  fillSeconds: number;
  openSeconds: number;
  readAllSeconds: number;
}

function queue(path: string): PersistedQueue {
  return new PersistedQueue(
    { path, index: 0, count: 1, maxBytes: 2 * 1024 * 1024 * 1024, memory: { maxEvents: 20_000, maxBytes: 32 << 20 }, segmentBytes: 64 << 20, sync: 'interval', syncIntervalMs: 50 },
    'queue',
    createLogger('warn'),
  );
}

export type RecordForm = 'lines' | 'json';

/** One batch of 100 python-logstash events, with the recording of its lines (as the tcp input pushes it) or without. */
function recoveryBatch(form: RecordForm): Batch {
  const lines = pythonLogstashLines(100);
  const events: Event[] = [];
  for (const line of lines) jsonLinesCodec.decode(line, events);
  const input: InputMetadata = { type: 'tcp', id: 'bench', remote: { ip: '127.0.0.1', port: 40000 } };
  const now = Date.now();
  const ids = finishEvents(events, 0, input, now);
  if (form === 'json') return makeBatch(events, 0);
  return makeBatch(events, 0, undefined, { form: 'lines', codec: 'json_lines', maxLineBytes: 1 << 20, input, now, firstId: ids.first, raw: [Buffer.from(`${lines.join('\n')}\n`)] });
}

/** Fills a queue folder with `bytes` of python-logstash-like events, closes it, and times a fresh open (the recovery a start does) and reading it all back. */
export async function queueRecovery(bytes: number, form: RecordForm): Promise<RecoveryResult> {
  const path = mkdtempSync(join(tmpdir(), 'sluice-bench-recovery-'));
  try {
    const template = recoveryBatch(form);
    let started = process.hrtime.bigint();
    const filling = queue(path);
    await filling.open();
    let events = 0;
    while (filling.bytes < bytes) {
      filling.push(template);
      events += template.events.length;
      if (events % 100_000 === 0) await new Promise((r) => setImmediate(r));
    }
    await filling.shutdown();
    const fillSeconds = Number(process.hrtime.bigint() - started) / 1e9;

    started = process.hrtime.bigint();
    const recovering = queue(path);
    await recovering.open();
    const openSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    const pending = recovering.depth;
    started = process.hrtime.bigint();
    let read = 0;
    while (read < pending) {
      const got = await recovering.read(5000);
      if (!got) break;
      read += got.events.length;
      got.done({ ok: true });
    }
    const readAllSeconds = Number(process.hrtime.bigint() - started) / 1e9;
    await recovering.shutdown();
    return { form, bytes, events: pending, fillSeconds, openSeconds, readAllSeconds };
  } finally {
    rmSync(path, { recursive: true, force: true });
  }
}
