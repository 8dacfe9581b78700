/**
 * The on-disk form of the persisted queue. A segment file starts with an 8-byte header (magic and
 * version); then records, each one input batch:
 *
 *   length u32 | checksum u32 | seq u64 | count u32 | payload
 *
 * little-endian; `length` is the payload's, the checksum (checksum.ts) covers seq, count and payload, and `seq` is
 * the sequence number of the record's first event (the next record's seq is seq + count), so a
 * gap in the numbers tells how many events a damaged stretch held. The payload is a JSON array
 * of the events (`@metadata` kept), the only form of version 1 segments, or what the input
 * received (version 2); recording.ts has the forms. Both versions are read.
 */
import type { BatchSource } from '../../batch.js';
import { checksumMatches, recordChecksum } from './checksum.js';
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

const SLAB_BYTES = 1024 * 1024;
/** Written slabs kept for reuse: enough for the writes in flight, which the queue bounds (WRITE_BACKLOG_BYTES). */
const SPARE_SLABS = 4;

/**
 * Records are encoded side by side into 1 MiB slabs rather than into a buffer each, and a slab
 * whose records are all written is used again: no allocation per batch, and no memory outside
 * the heap waiting for the garbage collector (received lines copied out of the socket's buffers
 * let those go at once). A record is a view of its slab, kept until it is written.
 */
export class RecordEncoder {
  private slab: Buffer = Buffer.allocUnsafe(0);
  private used = 0;
  /** Slabs holding records not known to be written, oldest first (the current one last). */
  private readonly busy: Buffer[] = [];
  private readonly spare: Buffer[] = [];

  /** A record holding `payload` (the JSON form). */
  encode(seq: number, count: number, payload: string): Buffer {
    // UTF-8 takes at most three bytes per UTF-16 unit: room for that means the write never falls short.
    const start = this.room(RECORD_HEADER_BYTES + payload.length * 3);
    const length = this.slab.write(payload, start + RECORD_HEADER_BYTES, 'utf8');
    return this.seal(start, length, seq, count);
  }

  /** A record holding an input's recording (recording.ts): its bytes copied once, never serialized; undefined if it has none to give. */
  encodeRecording(seq: number, count: number, source: BatchSource): Buffer | undefined {
    const bytes = recordingBytes(source);
    if (bytes === undefined) return undefined;
    const start = this.room(RECORD_HEADER_BYTES + bytes);
    writeRecording(source, this.slab, start + RECORD_HEADER_BYTES);
    return this.seal(start, bytes, seq, count);
  }

  /**
   * Records are written in the order they were encoded: once `record` is written, so is every
   * record of the slabs before its own, and those slabs can be filled again.
   */
  written(record: Buffer): void {
    const at = this.busy.findIndex((slab) => slab.buffer === record.buffer);
    for (const slab of this.busy.splice(0, Math.max(0, at))) {
      if (slab.length === SLAB_BYTES && this.spare.length < SPARE_SLABS) this.spare.push(slab);
    }
  }

  /** Where `bytes` fit in the current slab (the next one if they do not). */
  private room(bytes: number): number {
    if (this.slab.length - this.used < bytes) {
      this.slab = (bytes <= SLAB_BYTES ? this.spare.pop() : undefined) ?? Buffer.allocUnsafe(Math.max(SLAB_BYTES, bytes));
      this.busy.push(this.slab);
      this.used = 0;
    }
    return this.used;
  }

  private seal(start: number, length: number, seq: number, count: number): Buffer {
    const record = this.slab.subarray(start, start + RECORD_HEADER_BYTES + length);
    this.used = start + record.length;
    record.writeUInt32LE(length, 0);
    writeSeqCount(record, seq, count);
    record.writeUInt32LE(recordChecksum(record, 8, record.length), 4);
    return record;
  }
}

function writeSeqCount(record: Buffer, seq: number, count: number): void {
  record.writeUInt32LE(seq % 0x1_0000_0000, 8);
  record.writeUInt32LE(Math.floor(seq / 0x1_0000_0000), 12);
  record.writeUInt32LE(count, 16);
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
  if (!checksumMatches(bytes, offset + 8, end, header.crc)) return { kind: 'corrupt', why: 'checksum mismatch' };
  return { kind: 'record', header, end };
}
