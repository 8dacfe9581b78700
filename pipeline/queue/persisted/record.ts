/**
 * The on-disk form of the persisted queue. A segment file starts with an 8-byte header (magic and
 * version); then records, each one input batch:
 *
 *   length u32 | crc32c u32 | seq u64 | count u32 | payload
 *
 * little-endian; `length` is the payload's, the CRC covers seq, count and payload, and `seq` is
 * the sequence number of the record's first event (the next record's seq is seq + count), so a
 * gap in the numbers tells how many events a damaged stretch held. The payload is a JSON array
 * of the events (`@metadata` kept), the only form of version 1 segments, or what the input
 * received (version 2); recording.ts has the forms. Both versions are read.
 */
import type { BatchSource } from '../../batch.js';
import { crc32c } from './crc32c.js';
import { recordingBytes, writeRecording } from './recording.js';

export const SEGMENT_MAGIC = Buffer.from('SLUICEQ\u0002', 'latin1');
/** Segments written before records could hold recordings: every payload is JSON, which version 2 still reads. */
export const SEGMENT_MAGIC_V1 = Buffer.from('SLUICEQ\u0001', 'latin1');

/** Whether `head` (a segment's first bytes) is a header this version reads, or its start when `partial`. */
export function isSegmentHeader(head: Buffer, partial = false): boolean {
  const n = partial ? head.length : SEGMENT_HEADER_BYTES;
  return head.length >= n && (SEGMENT_MAGIC.subarray(0, n).equals(head.subarray(0, n)) || SEGMENT_MAGIC_V1.subarray(0, n).equals(head.subarray(0, n)));
}
export const SEGMENT_HEADER_BYTES = SEGMENT_MAGIC.length;
export const RECORD_HEADER_BYTES = 20;
/** A batch larger than this is refused by the writer; it also bounds what a damaged length can make a reader allocate. */
export const MAX_RECORD_BYTES = 256 * 1024 * 1024;

export interface RecordHeader {
  length: number;
  crc: number;
  seq: number;
  count: number;
}

const SLAB_BYTES = 4 * 1024 * 1024;

/**
 * Records are encoded side by side into 4 MiB slabs rather than into a buffer each: one
 * allocation per slab instead of per batch, which keeps the garbage collector out of the hot
 * path. A record is a view of its slab, kept until it is written.
 */
export class RecordEncoder {
  private slab = Buffer.allocUnsafe(0);
  private used = 0;

  /** A record holding `payload` (the JSON form). */
  encode(seq: number, count: number, payload: string): Buffer {
    // UTF-8 takes at most three bytes per UTF-16 unit: room for that means the write never falls short.
    const start = this.room(RECORD_HEADER_BYTES + payload.length * 3);
    const length = this.slab.write(payload, start + RECORD_HEADER_BYTES, 'utf8');
    return this.seal(start, length, seq, count);
  }

  /** A record holding an input's recording (recording.ts), or undefined if it has none to give. */
  encodeRecording(seq: number, count: number, source: BatchSource): Buffer | undefined {
    const bytes = recordingBytes(source);
    if (bytes === undefined) return undefined;
    const start = this.room(RECORD_HEADER_BYTES + bytes);
    const end = writeRecording(source, this.slab, start + RECORD_HEADER_BYTES);
    return this.seal(start, end - start - RECORD_HEADER_BYTES, seq, count);
  }

  /** Where `bytes` fit in the current slab (a new one if they do not). */
  private room(bytes: number): number {
    if (this.slab.length - this.used < bytes) {
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
      this.used = 0;
    }
    return this.used;
  }

  private seal(start: number, length: number, seq: number, count: number): Buffer {
    const record = this.slab.subarray(start, start + RECORD_HEADER_BYTES + length);
    this.used = start + record.length;
    record.writeUInt32LE(length, 0);
    record.writeUInt32LE(seq % 0x1_0000_0000, 8);
    record.writeUInt32LE(Math.floor(seq / 0x1_0000_0000), 12);
    record.writeUInt32LE(count, 16);
    record.writeUInt32LE(crc32c(record, 8), 4);
    return record;
  }
}

export function readHeader(bytes: Buffer, offset: number): RecordHeader {
  return {
    length: bytes.readUInt32LE(offset),
    crc: bytes.readUInt32LE(offset + 4),
    seq: bytes.readUInt32LE(offset + 8) + bytes.readUInt32LE(offset + 12) * 0x1_0000_0000,
    count: bytes.readUInt32LE(offset + 16),
  };
}

export type RecordCheck =
  | { kind: 'record'; header: RecordHeader; end: number }
  /** Fewer bytes than the header or its length announce: a write cut short (or more bytes to read). */
  | { kind: 'short' }
  | { kind: 'corrupt'; why: string };

/** Checks the record at `offset` of `bytes` (which hold the file from some point up to `limit`). */
export function checkRecord(bytes: Buffer, offset: number, limit = bytes.length): RecordCheck {
  if (limit - offset < RECORD_HEADER_BYTES) return { kind: 'short' };
  const header = readHeader(bytes, offset);
  if (header.length > MAX_RECORD_BYTES) return { kind: 'corrupt', why: `record length ${header.length} beyond the limit` };
  if (header.count === 0) return { kind: 'corrupt', why: 'record of zero events' };
  const end = offset + RECORD_HEADER_BYTES + header.length;
  if (end > limit) return { kind: 'short' };
  if (crc32c(bytes, offset + 8, end) !== header.crc) return { kind: 'corrupt', why: 'checksum mismatch' };
  return { kind: 'record', header, end };
}
