/** The free-form id check (one pass over the characters) against its plain definition, on ids and on text around them. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { b3TraceId, freeformId, parseTraceparent } from '../../filters/trace_id/ids.js';

/** The definition: trimmed, 1-128 characters of printable ASCII without quotes, not only zeros and dashes; hex is lower-cased. */
function reference(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (text.length === 0 || text.length > 128 || /^[0-]+$/.test(text)) return undefined;
  if (!/^[\x21\x23-\x26\x28-\x7e]+$/.test(text)) return undefined;
  return /^[0-9a-fA-F-]+$/.test(text) ? text.toLowerCase() : text;
}

const idCharacters = fc.constantFrom(...'0123456789abcdefgABCDEFGxyzXYZ@`-_.:/"\' \t\u00a0\u2028\ufeffé'.split(''));

describe('freeformId', () => {
  it('agrees with the plain definition on short strings of the characters that decide it', () => {
    fc.assert(
      fc.property(fc.array(idCharacters, { maxLength: 40 }), (chars) => {
        const text = chars.join('');
        expect(freeformId(text)).toBe(reference(text));
      }),
      { seed: 18, numRuns: 3000 },
    );
  });

  it('agrees on any string, number and other value', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 140 }), fc.string({ unit: 'binary', maxLength: 20 }), fc.double(), fc.integer(), fc.boolean(), fc.constant(null)), (value) => {
        expect(freeformId(value)).toBe(reference(value));
      }),
      { seed: 18, numRuns: 2000 },
    );
  });

  it('lower-cases hex ids, keeps other tokens as sent, and refuses blanks, zeros and spaces', () => {
    expect(freeformId(' 4BF92F3577B34DA6A3CE929D0E0E4736 ')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(freeformId('Req-7Fq2')).toBe('Req-7Fq2');
    expect(freeformId('\u00a0abc\u00a0')).toBe('abc');
    expect(freeformId('0000-0000')).toBeUndefined();
    expect(freeformId('a b')).toBeUndefined();
    expect(freeformId('x'.repeat(129))).toBeUndefined();
    expect(freeformId(42)).toBe('42');
    expect(freeformId(-1)).toBeUndefined();
  });

  it('takes only hex digits as hex in traceparent and B3 ids, not control characters next to them in the code table', () => {
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01')).toEqual({ traceId: '4bf92f3577b34da6a3ce929d0e0e4736', spanId: '00f067aa0ba902b7' });
    expect(parseTraceparent('00-4bf92f3577b34da6a3ce929d0e0e473\x16-00f067aa0ba902b7-01')).toBeUndefined();
    expect(b3TraceId('80F198EE56343BA8')).toBe('80f198ee56343ba8');
    expect(b3TraceId('80f198ee56343ba\x18')).toBeUndefined();
    expect(b3TraceId('80f198ee5634-ba8')).toBeUndefined();
  });
});
