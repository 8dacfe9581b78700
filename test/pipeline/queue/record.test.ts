/** The record encoder: records side by side in slabs, and a slab filled again once its records are written. */
import { describe, expect, it } from 'vitest';
import { crc32 } from 'node:zlib';
import { RecordEncoder, checkRecord } from '../../../pipeline/queue/persisted/record.js';
import { crc32c } from '../../../pipeline/queue/persisted/crc32c.js';

describe('RecordEncoder', () => {
  it('fills a written slab again instead of allocating one, and never one whose records are not all written', () => {
    const encoder = new RecordEncoder();
    const payload = JSON.stringify([{ message: 'x'.repeat(100_000) }]);
    const records = Array.from({ length: 30 }, (_, i) => encoder.encode(i, 1, payload));
    const slabs = [...new Set(records.map((r) => r.buffer))];
    expect(slabs.length).toBeGreaterThan(2);
    // Everything up to a record of the third slab is written: the first two slabs are free.
    const firstOfThird = records.find((r) => r.buffer === slabs[2]) as Buffer;
    encoder.written(firstOfThird);
    const later = Array.from({ length: 30 }, (_, i) => encoder.encode(30 + i, 1, payload));
    const reused = new Set(later.map((r) => r.buffer));
    expect(reused.has(slabs[0]) || reused.has(slabs[1])).toBe(true);
    expect(reused.has(slabs[2])).toBe(false);
    // Records still waiting for their write were not overwritten.
    for (const record of records.filter((r) => r.buffer !== slabs[0] && r.buffer !== slabs[1])) expect(checkRecord(record, 0).kind).toBe('record');
  });
});

describe('record checksums', () => {
  const record = () => Buffer.from(new RecordEncoder().encode(7, 1, JSON.stringify([{ message: 'checked' }])));

  it('are written as zlib CRC-32 and checked', () => {
    const bytes = record();
    expect(bytes.readUInt32LE(4)).toBe(crc32(bytes.subarray(8)) >>> 0);
    expect(checkRecord(bytes, 0).kind).toBe('record');
  });

  it('of version 1 segments (CRC32C) are still accepted', () => {
    const bytes = record();
    bytes.writeUInt32LE(crc32c(bytes, 8), 4);
    expect(checkRecord(bytes, 0).kind).toBe('record');
  });

  it('refuse a record with a flipped bit under either', () => {
    const bytes = record();
    bytes[bytes.length - 3] ^= 0x10;
    expect(checkRecord(bytes, 0)).toEqual({ kind: 'corrupt', why: 'checksum mismatch' });
  });
});
