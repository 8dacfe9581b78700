/**
 * CRC32C (Castagnoli), the checksum of every record of the persisted queue. Node 20 has no
 * CRC32C of its own; this is the table-driven slicing-by-16 form, reading words where the host
 * is little-endian, which checksums about twice as fast as slicing-by-8 over bytes did.
 */
const POLY = 0x82f63b78;

const SLICES = 16;

function makeTables(): Uint32Array[] {
  const tables = Array.from({ length: SLICES }, () => new Uint32Array(256));
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ POLY : c >>> 1;
    tables[0][n] = c >>> 0;
  }
  for (let n = 0; n < 256; n++) {
    let c = tables[0][n];
    for (let t = 1; t < SLICES; t++) {
      c = tables[0][c & 0xff] ^ (c >>> 8);
      tables[t][n] = c >>> 0;
    }
  }
  return tables;
}

// One flat table: sixteen 256-entry slices side by side, for cache locality.
const T = new Uint32Array(SLICES * 256);
makeTables().forEach((table, t) => T.set(table, t * 256));

/** Words are read in the host's byte order; the slices assume little-endian (x86, arm64). */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** CRC32C of `bytes[start, end)`, continuing from `seed` (0 for a fresh checksum). */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, seed = 0): number {
  let crc = ~seed >>> 0;
  let i = start;
  if (LITTLE_ENDIAN && end - i >= 64) {
    // Byte by byte up to a 4-byte boundary, then 16 bytes a turn read as four words (half the loads of reading bytes).
    while (((bytes.byteOffset + i) & 3) !== 0) crc = T[(crc ^ bytes[i++]) & 0xff] ^ (crc >>> 8);
    const words = new Uint32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >>> 2);
    const n = words.length & ~3;
    for (let w = 0; w < n; w += 4) {
      const a = words[w] ^ crc;
      const b = words[w + 1];
      const c = words[w + 2];
      const d = words[w + 3];
      crc =
        T[3840 + (a & 0xff)] ^
        T[3584 + ((a >>> 8) & 0xff)] ^
        T[3328 + ((a >>> 16) & 0xff)] ^
        T[3072 + (a >>> 24)] ^
        T[2816 + (b & 0xff)] ^
        T[2560 + ((b >>> 8) & 0xff)] ^
        T[2304 + ((b >>> 16) & 0xff)] ^
        T[2048 + (b >>> 24)] ^
        T[1792 + (c & 0xff)] ^
        T[1536 + ((c >>> 8) & 0xff)] ^
        T[1280 + ((c >>> 16) & 0xff)] ^
        T[1024 + (c >>> 24)] ^
        T[768 + (d & 0xff)] ^
        T[512 + ((d >>> 8) & 0xff)] ^
        T[256 + ((d >>> 16) & 0xff)] ^
        T[d >>> 24];
    }
    i += n * 4;
  }
  while (end - i >= 8) {
    const a = (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) ^ crc;
    crc =
      T[1792 + (a & 0xff)] ^
      T[1536 + ((a >>> 8) & 0xff)] ^
      T[1280 + ((a >>> 16) & 0xff)] ^
      T[1024 + (a >>> 24)] ^
      T[768 + bytes[i + 4]] ^
      T[512 + bytes[i + 5]] ^
      T[256 + bytes[i + 6]] ^
      T[bytes[i + 7]];
    i += 8;
  }
  while (i < end) crc = T[(crc ^ bytes[i++]) & 0xff] ^ (crc >>> 8);
  return ~crc >>> 0;
}
