/**
 * KeyIndex.present (filters/exception/locate.ts) rules keys out by first character and length
 * before it compares or looks them up: for any indexed keys and any event keys (same classes,
 * near names, non-ASCII, empty, more than 31 indexed), it must give the bits a plain lookup gives.
 * The filter keeps the places that apply per set of key bits: one filter fed events of many
 * shapes in a row must write what a fresh filter writes for each.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { exceptionFilter } from '../../filters/exception/index.js';
import { KeyIndex } from '../../filters/exception/locate.js';
import type { Event } from '../../pipeline/event.js';
import { fuzz } from '../fuzz/fuzz.js';
import { makeFilter } from './helpers.js';

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

  it('gives each event of a mixed stream what a fresh filter gives it alone', () => {
    const trace = 'Traceback (most recent call last):\n  File "/srv/app/shop/views.py", line 12, in order_detail\n    raise KeyError(k)\nKeyError: 42';
    const field = fc.constantFrom<[string, unknown]>(
      ['message', 'user 42 not found'],
      ['message', trace],
      ['level', 'ERROR'],
      ['level', 'info'],
      ['levelname', 'CRITICAL'],
      ['severity', 50],
      ['log', { level: 'error' }],
      ['log.level', 'fatal'],
      ['stack_trace', trace],
      ['error.stack_trace', trace],
      ['err', { stack: trace, type: 'KeyError' }],
      ['error', { type: 'Timeout', message: 'after 30 s' }],
      ['stack', 'prod'],
      ['exception', [{ exc_type: 'KeyError', exc_value: '42', frames: [] }]],
    );
    const event = fc.uniqueArray(field, { selector: ([key]) => key, maxLength: 5 }).map((pairs): Event => Object.fromEntries(pairs.map(([k, v]) => [k, structuredClone(v)])) as Event);
    fuzz(
      fc.property(fc.array(event, { minLength: 1, maxLength: 30 }), (events) => {
        const alone = events.map((e) => makeFilter(exceptionFilter, {}).run([structuredClone(e)])[0]);
        const shared = makeFilter(exceptionFilter, {});
        const inTurn = events.map((e) => shared.run([structuredClone(e)])[0]);
        expect(inTurn).toEqual(alone);
      }),
      300,
    );
  });
});
