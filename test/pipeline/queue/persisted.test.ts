import { describe, expect, it } from 'vitest';
import { mkdirSync, readdirSync, readFileSync, writeFileSync, truncateSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawn } from 'node:child_process';
import { makeBatch, type BatchOutcome } from '../../../pipeline/batch.js';
import { scanFolder, segmentName } from '../../../pipeline/queue/persisted/scan.js';
import { RecordEncoder, SEGMENT_MAGIC, SEGMENT_MAGIC_V1 } from '../../../pipeline/queue/persisted/record.js';
import { drain, numbered, numberedBatch, persistedQueue, queueDir } from './helpers.js';

const segmentsOf = (folder: string) => readdirSync(folder).filter((n) => n.endsWith('.seg')).sort();

describe('PersistedQueue', () => {
  it('hands out what was pushed, in order, with @metadata, and acks inputs only once the record is synced', async () => {
    const dir = queueDir();
    const queue = persistedQueue(dir);
    await queue.open();
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(numbered('a', 0, 3), 30, (o) => outcomes.push(o)));
    expect(outcomes).toEqual([]); // not on disk yet
    const read = await queue.read(10);
    expect(read?.events.map((e) => e.n)).toEqual([0, 1, 2]);
    await expect.poll(() => outcomes).toEqual([{ ok: true }]);
    read?.done({ ok: true });
    await queue.shutdown();
    expect(scanFolder(join(dir, '0')).pendingEvents).toBe(0);
  });

  it('delivers after a restart what was not acknowledged, and nothing that was', async () => {
    const dir = queueDir();
    const first = persistedQueue(dir);
    await first.open();
    first.push(makeBatch(numbered('a', 0, 5), 0));
    first.push(makeBatch(numbered('a', 5, 5), 0));
    const read = await first.read(5);
    expect(read?.events).toHaveLength(5);
    read?.done({ ok: true });
    await first.shutdown();

    const second = persistedQueue(dir);
    await second.open();
    expect(second.recovered[0].pendingEvents).toBe(5);
    const replayed = await drain(second);
    expect(replayed.map((e) => e.n)).toEqual([5, 6, 7, 8, 9]);
    expect(replayed[0]['@metadata']).toEqual({ _id: 'a-5' });
    await second.shutdown();
  });

  it('stores what line and Beats inputs received and rebuilds the very events from it after a restart', async () => {
    const dir = queueDir();
    const first = persistedQueue(dir, { segmentBytes: 1 << 20 });
    await first.open();
    const batches = [numberedBatch('t', 0, 4, 'lines'), numberedBatch('b', 0, 3, 'json_frames'), numberedBatch('j', 0, 2, 'json')];
    const pushed = JSON.parse(JSON.stringify(batches.flatMap((b) => b.events))) as unknown[];
    for (const batch of batches) first.push(batch);
    await first.shutdown();
    const segment = readFileSync(join(dir, '0', segmentsOf(join(dir, '0'))[0]));
    expect(segment.subarray(0, SEGMENT_MAGIC.length).equals(SEGMENT_MAGIC)).toBe(true);
    // The lines as received are in the record, not a re-serialization of their events.
    expect(segment.includes('{"message":"t-0","input":"t","n":0}\n{"message":"t-1"')).toBe(true);

    const second = persistedQueue(dir);
    await second.open();
    // Compared as JSON, as `pushed` was taken: the mark of an id sluice gave (event.ts GIVEN_ID) is no part of the event's data.
    expect(JSON.parse(JSON.stringify(await drain(second)))).toEqual(pushed);
    await second.shutdown();
  });

  it('reads the segments of a version 1 queue (every record JSON), as a user upgrading with a non-empty queue has', async () => {
    const dir = queueDir();
    mkdirSync(join(dir, '0'));
    const encoder = new RecordEncoder();
    const records = [encoder.encode(0, 2, JSON.stringify(numbered('old', 0, 2))), encoder.encode(2, 1, JSON.stringify(numbered('old', 2, 1)))];
    writeFileSync(join(dir, '0', segmentName(1)), Buffer.concat([SEGMENT_MAGIC_V1, ...records]));
    const queue = persistedQueue(dir);
    await queue.open();
    expect(queue.recovered[0]).toMatchObject({ pendingEvents: 3, lostEvents: 0, setAside: [] });
    queue.push(numberedBatch('new', 0, 2, 'lines'));
    const events = await drain(queue);
    expect(events.map((e) => e.message)).toEqual(['old-0', 'old-1', 'old-2', 'new-0', 'new-1']);
    expect(events[0]['@metadata']).toEqual({ _id: 'old-0' });
    await queue.shutdown();
  });

  it('spills beyond its memory share to disk and reads it back in order; deletes acknowledged segments', async () => {
    const dir = queueDir();
    const queue = persistedQueue(dir, { memory: { maxEvents: 20, maxBytes: 1 << 20 }, segmentBytes: 2048 });
    await queue.open();
    for (let i = 0; i < 100; i++) queue.push(makeBatch(numbered('a', i * 5, 5), 0));
    expect(segmentsOf(join(dir, '0')).length).toBeGreaterThan(1);
    const all = await drain(queue);
    expect(all.map((e) => e.n)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    await queue.shutdown();
    expect(segmentsOf(join(dir, '0')).length).toBeLessThanOrEqual(1);
  });

  it('pushes back once max_bytes of unacknowledged records are on disk', async () => {
    const dir = queueDir();
    const queue = persistedQueue(dir, { maxBytes: 2000 });
    await queue.open();
    let more = true;
    let pushed = 0;
    while (more && pushed < 1000) {
      more = queue.push(makeBatch(numbered('a', pushed, 1), 0));
      pushed++;
    }
    expect(more).toBe(false);
    expect(queue.full).toBe(true);
    const writable = queue.whenWritable();
    const read = await queue.read(1000);
    read?.done({ ok: true });
    await writable;
    expect(queue.full).toBe(false);
    await queue.shutdown();
  });

  it('keeps at shutdown what an output gave up on, and acks the input batch as failed in end_to_end mode', async () => {
    const dir = queueDir();
    const queue = persistedQueue(dir, {}, 'end_to_end');
    await queue.open();
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(numbered('a', 0, 2), 0, (o) => outcomes.push(o)));
    const read = await queue.read(10);
    queue.close();
    read?.done({ ok: false, reason: 'engine down at shutdown' });
    expect(outcomes).toEqual([{ ok: false, reason: 'engine down at shutdown' }]);
    await queue.shutdown();
    const again = persistedQueue(dir);
    await again.open();
    expect((await drain(again)).map((e) => e.n)).toEqual([0, 1]);
    await again.shutdown();
  });

  it('refuses a folder another live process holds', async () => {
    const dir = queueDir();
    const queue = persistedQueue(dir);
    await queue.open();
    writeFileSync(join(dir, '0', 'lock'), String(process.ppid));
    await expect(persistedQueue(dir).open()).rejects.toMatchObject({ code: 'SLUICE_QUEUE_LOCKED' });
    writeFileSync(join(dir, '0', 'lock'), String(process.pid));
    await queue.shutdown();
  });

  it('takes over a folder whose lock names a pid now used by another program (a reboot reuses pids)', async () => {
    const dir = queueDir();
    const first = persistedQueue(dir);
    await first.open();
    first.push(makeBatch(numbered('a', 0, 2), 0));
    await first.shutdown();
    const other = spawn('sleep', ['30']);
    try {
      writeFileSync(join(dir, '0', 'lock'), String(other.pid));
      const again = persistedQueue(dir);
      await again.open();
      expect((await drain(again)).map((e) => e.n)).toEqual([0, 1]);
      await again.shutdown();
    } finally {
      other.kill();
    }
  });

  it('drains the folders of worker processes that no longer exist, then removes them', async () => {
    const dir = queueDir();
    for (const index of [0, 1, 2]) {
      const queue = persistedQueue(dir, { index, count: 3 });
      await queue.open();
      queue.push(makeBatch(numbered(`w${index}`, 0, 3), 0));
      await queue.shutdown();
    }
    const survivor = persistedQueue(dir, { index: 0, count: 1 });
    await survivor.open();
    const events = await drain(survivor);
    expect(events.map((e) => e.message).sort()).toEqual(['w0-0', 'w0-1', 'w0-2', 'w1-0', 'w1-1', 'w1-2', 'w2-0', 'w2-1', 'w2-2']);
    await survivor.shutdown();
    expect(readdirSync(dir).sort()).toEqual(['0']);
  });
});

describe('PersistedQueue recovery from damage', () => {
  async function writeRecords(dir: string, batches: number, size = 5): Promise<string> {
    const queue = persistedQueue(dir, { segmentBytes: 1 << 20 });
    await queue.open();
    for (let i = 0; i < batches; i++) queue.push(makeBatch(numbered('a', i * size, size), 0));
    await queue.shutdown();
    const folder = join(dir, '0');
    return join(folder, segmentsOf(folder)[0]);
  }

  it('cuts a torn tail at the last good record and starts', async () => {
    const dir = queueDir();
    const segment = await writeRecords(dir, 10);
    truncateSync(segment, statSync(segment).size - 7);
    const queue = persistedQueue(dir);
    await queue.open();
    expect(queue.recovered[0].cutBytes).toBeGreaterThan(0);
    const events = await drain(queue);
    expect(events.map((e) => e.n)).toEqual(Array.from({ length: 45 }, (_, i) => i));
    await queue.shutdown();
  });

  it('sets aside a segment with a flipped bit, loses only the damaged record, and says how many events it held', async () => {
    const dir = queueDir();
    const segment = await writeRecords(dir, 10);
    const bytes = readFileSync(segment);
    bytes[Math.floor(bytes.length / 2)] ^= 0x10;
    writeFileSync(segment, bytes);
    const queue = persistedQueue(dir);
    await queue.open();
    const report = queue.recovered[0];
    expect(report.lostEvents).toBe(5);
    expect(report.setAside).toHaveLength(1);
    expect(readdirSync(join(dir, '0')).some((n) => n.includes('.damaged-'))).toBe(true);
    const events = await drain(queue);
    expect(events).toHaveLength(45);
    const numbers = events.map((e) => e.n as number);
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    await queue.shutdown();
  });

  it('cuts a segment holding only its header and half a record back to the header, and what is written next survives a restart', async () => {
    const dir = queueDir();
    const segment = await writeRecords(dir, 1);
    truncateSync(segment, 8 + 10);
    const queue = persistedQueue(dir);
    await queue.open();
    expect(queue.recovered[0].setAside).toEqual([]);
    queue.push(makeBatch(numbered('b', 0, 3), 0));
    await queue.shutdown();
    const again = persistedQueue(dir);
    await again.open();
    expect((await drain(again)).map((e) => e.message)).toEqual(['b-0', 'b-1', 'b-2']);
    await again.shutdown();
  });

  it('starts on a checkpoint that is garbage, replaying everything on disk', async () => {
    const dir = queueDir();
    await writeRecords(dir, 4);
    writeFileSync(join(dir, '0', 'checkpoint.json'), '{"body":"x","crc":1}');
    const queue = persistedQueue(dir);
    await queue.open();
    expect(queue.recovered[0].checkpointProblem).toMatch(/checksum/);
    expect(await drain(queue)).toHaveLength(20);
    await queue.shutdown();
  });
});
