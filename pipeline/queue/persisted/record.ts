/**
 * The on-disk form of the persisted queue. A segment file starts with an 8-byte header (magic and
 * version); then records, each one input batch:
 *
 *   length u32 | crc32c u32 | seq u64 | count u32 | payload (JSON array of events, @metadata kept)
 *
 * little-endian; `length` is the payload's, the CRC covers seq, count and payload, and `seq` is
 * the sequence number of the record's first event (the next record's seq is seq + count), so a
 * gap in the numbers tells how many events a damaged stretch held.
 */
import { crc32c } from './crc32c.js';

export const SEGMENT_MAGIC = Buffer.from('SLUICEQ\u0001', 'latin1');
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

  encode(seq: number, count: number, payload: string): Buffer {
    // UTF-8 takes at most three bytes per UTF-16 unit: room for that means the write never falls short.
    const worst = RECORD_HEADER_BYTES + payload.length * 3;
    if (this.slab.length - this.used < worst) {
      this.slab = Buffer.allocUnsafe(Math.max(SLAB_BYTES, worst));
      this.used = 0;
    }
    const start = this.used;
    const length = this.slab.write(payload, start + RECORD_HEADER_BYTES, 'utf8');
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
