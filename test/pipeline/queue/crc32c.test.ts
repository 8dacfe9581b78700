/** The persisted queue's CRC32C against the standard check value and a bit-at-a-time reference, at any alignment and split. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { crc32c } from '../../../pipeline/queue/persisted/crc32c.js';

function reference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return ~crc >>> 0;
}

describe('crc32c', () => {
  it('gives the check value of "123456789"', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
  });

  it('agrees with the bitwise definition over any stretch of a buffer, and continues across pieces', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), fc.nat(), fc.nat(), fc.nat(), (data, a, b, c) => {
        const bytes = Buffer.from(data);
        const start = bytes.length === 0 ? 0 : a % bytes.length;
        const end = start + (b % (bytes.length - start + 1));
        const cut = start + (c % (end - start + 1));
        const expected = reference(bytes.subarray(start, end));
        expect(crc32c(bytes, start, end)).toBe(expected);
        expect(crc32c(bytes, cut, end, crc32c(bytes, start, cut))).toBe(expected);
      }),
      { numRuns: 500 },
    );
  });
});
