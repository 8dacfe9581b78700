/**
 * KeyIndex.present (filters/exception/locate.ts) rules keys out by first character and length
 * before it compares or looks them up: for any indexed keys and any event keys (same classes,
 * near names, non-ASCII, empty, more than 31 indexed), it must give the bits a plain lookup gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KeyIndex } from '../../filters/exception/locate.js';
import type { Event } from '../../pipeline/event.js';
import { fuzz } from '../fuzz/fuzz.js';

const key = fc.oneof(fc.constantFrom('level', 'levels', 'levee', 'log', 'log.level', 'levelname', 'message', 'messages', 'stack', 'stack_trace', 'é', 'éa', '', 'x'.repeat(40), 'x'.repeat(41)), fc.string({ maxLength: 12 }));

describe('exception key index', () => {
  it('gives the bits of the indexed keys an event has, and ALWAYS', () => {
    fuzz(
      fc.property(fc.uniqueArray(key, { maxLength: 40 }), fc.uniqueArray(key, { maxLength: 20 }), (indexed, eventKeys) => {
        const index = new KeyIndex();
        const bits = new Map(indexed.map((k) => [k, index.bit(k)]));
        const event: Event = Object.fromEntries(eventKeys.map((k) => [k, 1]));
        let expected = KeyIndex.ALWAYS;
        for (const k of eventKeys) expected |= bits.get(k) ?? 0;
        expect(index.present(event)).toBe(expected);
      }),
      1000,
    );
  });
});
