/**
 * The checksum of a record. Records are written with CRC-32 (IEEE) from zlib, which Node has in
 * native code since 20.15 (about 4 GB/s here, four times the CRC32C we compute in JavaScript: it
 * was 12% of the persisted queue's CPU per Beats event). Segments of version 1, and records
 * written by a Node without zlib.crc32, carry CRC32C: a record is good when its stored value is
 * either checksum of its bytes. Both catch what the queue guards against (torn writes, flipped
 * bits); accepting two values makes a false match 2^-31 instead of 2^-32.
 */
import * as zlib from 'node:zlib';
import { crc32c } from './crc32c.js';

type ZlibCrc32 = (data: Uint8Array, value?: number) => number;
const zlibCrc32: ZlibCrc32 | undefined = (zlib as unknown as { crc32?: ZlibCrc32 }).crc32;

/** The checksum a new record gets for `bytes[start, end)`. */
export function recordChecksum(bytes: Uint8Array, start: number, end: number): number {
  return zlibCrc32 ? zlibCrc32(bytes.subarray(start, end)) >>> 0 : crc32c(bytes, start, end);
}

/** Whether `stored` is the checksum of `bytes[start, end)` in either form. */
export function checksumMatches(bytes: Uint8Array, start: number, end: number, stored: number): boolean {
  if (zlibCrc32 && zlibCrc32(bytes.subarray(start, end)) >>> 0 === stored) return true;
  return crc32c(bytes, start, end) === stored;
}
