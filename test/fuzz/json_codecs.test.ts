/**
 * Fuzzing the JSON codecs: json_lines (a line into events) and the udp input's json datagrams
 * (one document, pretty-printed or not, or JSON lines batched in one datagram). Valid JSON gives
 * its objects back; anything else never throws, and every failure is an event tagged and counted.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { JSON_FAILURE_TAG, jsonLinesCodec } from '../../inputs/codecs/json_lines.js';
import { decodeDatagram } from '../../inputs/udp/index.js';
import type { Event } from '../../pipeline/event.js';
import { fuzz, mutatedText } from './fuzz.js';

function failures(events: readonly Event[]): number {
  return events.filter((e) => Array.isArray(e.tags) && e.tags.includes(JSON_FAILURE_TAG)).length;
}

function isEmptyArray(text: string): boolean {
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) && value.length === 0;
  } catch {
    return false;
  }
}

function decodeLine(line: string): { events: Event[]; failed: number } {
  const events: Event[] = [];
  const failed = jsonLinesCodec.decode(line, events);
  return { events, failed };
}

function decodeJsonDatagram(text: string): { events: Event[]; failed: number } {
  const events: Event[] = [];
  const failed = decodeDatagram(text, jsonLinesCodec, 'whole_or_lines', events);
  return { events, failed };
}

/** Objects as senders write them: any JSON values inside, keys like `__proto__` included. */
const key = fc.oneof({ weight: 9, arbitrary: fc.string({ maxLength: 12 }) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', '@timestamp', 'tags', 'message') });
const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string({ maxLength: 20 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.boolean(), fc.constant(null), tie('array'), tie('object')),
  array: fc.array(tie('value'), { maxLength: 4 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
}));
const object = fc.dictionary(key, jsonValue, { maxKeys: 6 });
/** Text as a parse would give it back (-0 becomes 0, and so on). */
const roundTrip = (v: unknown): unknown => JSON.parse(JSON.stringify(v));

/** Nesting far beyond what any sender means, to find a recursion that overflows the stack. */
const deep = fc.tuple(fc.oneof(fc.integer({ min: 1, max: 1100 }), fc.integer({ min: 1, max: 20_000 })), fc.constantFrom('[]', '{}', 'o')).map(([depth, kind]) => {
  if (kind === '[]') return `${'['.repeat(depth)}${']'.repeat(depth)}`;
  if (kind === '{}') return `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
  return `[${'{"a":['.repeat(depth)}${']}'.repeat(depth)}, 1]`;
});

const anyLine = fc.oneof(object.map((o) => JSON.stringify(o)), fc.array(jsonValue, { maxLength: 5 }).map((a) => JSON.stringify(a)), jsonValue.map((v) => JSON.stringify(v)));
const line = fc.oneof({ weight: 4, arbitrary: mutatedText(anyLine, 4) }, { weight: 2, arbitrary: anyLine }, { weight: 1, arbitrary: fc.string() }, { weight: 1, arbitrary: deep });

describe('fuzz: json_lines codec', () => {
  it('gives back an object line as its event, and an array as one event per element', () => {
    fuzz(
      fc.property(fc.oneof(object, fc.array(object, { minLength: 1, maxLength: 5 })), (value) => {
        const { events, failed } = decodeLine(JSON.stringify(value));
        expect(failed).toBe(0);
        expect(events).toEqual(Array.isArray(value) ? value.map(roundTrip) : [roundTrip(value)]);
      }),
      400,
    );
  });

  it('never throws, always gives an event, and counts exactly the tagged ones as failures', () => {
    fuzz(
      fc.property(line, (text) => {
        const { events, failed } = decodeLine(text);
        expect(failed).toBe(failures(events));
        // What comes out can be written by every output (JSON.stringify recurses).
        expect(() => JSON.stringify(events)).not.toThrow();
        for (const event of events) expect(typeof event === 'object' && event !== null && !Array.isArray(event)).toBe(true);
        const parsed = (() => {
          try {
            return { ok: true, value: JSON.parse(text) as unknown };
          } catch {
            return { ok: false, value: undefined };
          }
        })();
        // Only an empty array gives no event: anything else is kept, parsed or as text.
        if (!(parsed.ok && Array.isArray(parsed.value) && parsed.value.length === 0)) expect(events.length).toBeGreaterThan(0);
        if (!parsed.ok) expect(events).toEqual([{ message: text, tags: [JSON_FAILURE_TAG] }]);
      }),
      800,
    );
  });
});

describe('fuzz: udp json datagrams', () => {
  it('reads one document, pretty-printed or not, as one event', () => {
    fuzz(
      fc.property(object, fc.constantFrom(0, 2, '\t'), (value, indent) => {
        expect(decodeJsonDatagram(JSON.stringify(value, null, indent))).toEqual({ events: [roundTrip(value)], failed: 0 });
      }),
      300,
    );
  });

  it('reads JSON lines batched in one datagram as one event each', () => {
    fuzz(
      fc.property(fc.array(fc.tuple(object, fc.constantFrom('\n', '\r\n')), { minLength: 2, maxLength: 6 }), (lines) => {
        const text = lines.map(([o, end]) => JSON.stringify(o) + end).join('');
        expect(decodeJsonDatagram(text)).toEqual({ events: lines.map(([o]) => roundTrip(o)), failed: 0 });
      }),
      300,
    );
  });

  it('never throws on mutated datagrams, and keeps every line it cannot read', () => {
    const datagram = fc.oneof(
      mutatedText(object.map((o) => JSON.stringify(o, null, 2)), 4),
      mutatedText(fc.array(object, { minLength: 1, maxLength: 4 }).map((list) => list.map((o) => JSON.stringify(o)).join('\n')), 4),
      deep,
      fc.string(),
    );
    fuzz(
      fc.property(datagram, (text) => {
        const { events, failed } = decodeJsonDatagram(text);
        expect(failed).toBe(failures(events));
        expect(() => JSON.stringify(events)).not.toThrow();
        // Read line by line, each line is an event or more, but for an empty array.
        const lines = text.split('\n').filter((l) => l.length > 0 && l !== '\r' && !isEmptyArray(l));
        if (failed > 0 && text.includes('\n')) expect(events.length).toBeGreaterThanOrEqual(lines.length);
      }),
      500,
    );
  });
});
