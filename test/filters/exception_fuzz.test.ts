/**
 * Fuzzing the exception filter with the corpus's real traces, mutated (bytes changed, inserted,
 * repeated, the tail cut), in every place a trace can be: it never throws, what it writes has
 * the documented types, and a parse failure is counted exactly when the event is tagged.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exceptionFilter } from '../../filters/exception/index.js';
import type { Event, FieldObject } from '../../pipeline/event.js';
import { fuzz, mutatedText } from '../fuzz/fuzz.js';
import { corpusDir, traceCases, traceText } from './exception_cases.js';
import { makeFilter } from './helpers.js';

const PLACES = ['stack_trace', 'exception', 'message', 'error.stack_trace', 'err.stack', 'stack'] as const;

function eventWith(place: (typeof PLACES)[number], text: string, level: string): Event {
  if (place === 'error.stack_trace') return { 'error.stack_trace': text, level };
  if (place === 'err.stack') return { err: { type: 'Error', message: 'm', stack: text }, level };
  return { [place]: text, level };
}

describe.skipIf(corpusDir === undefined)('exception filter over mutated corpus traces', () => {
  const traces = traceCases.map(traceText);

  it('never throws; writes well-typed fields; counts a failure exactly when it tags one', () => {
    const filter = makeFilter(exceptionFilter, {});
    let tagged = 0;
    fuzz(
      fc.property(mutatedText(fc.constantFrom(...traces), 6), fc.constantFrom(...PLACES), fc.constantFrom('ERROR', 'info'), (text, place, level) => {
        const out = filter.run([eventWith(place, text, level)])[0];
        const error = out.error as FieldObject | undefined;
        if (Array.isArray(out.tags) && out.tags.includes('_exceptionparsefailure')) tagged++;
        // An `error` the shipper sent is kept as it is; what the filter groups carries a fingerprint.
        if (error === undefined || error.grouped_by === undefined) return;
        expect(typeof error.fingerprint === 'string' && /^[0-9a-f]{16}$/.test(error.fingerprint), `fingerprint of ${JSON.stringify(text.slice(0, 80))}`).toBe(true);
        if (error.grouped_by === 'stack_trace') {
          expect(typeof error.type).toBe('string');
          expect(Number.isInteger(error.frames) && (error.frames as number) >= 0).toBe(true);
          expect(Array.isArray(error.chain) && error.chain.length >= 1).toBe(true);
          if (error.culprit !== undefined) expect(typeof error.culprit).toBe('string');
        }
      }),
      500,
    );
    expect(filter.metrics.sum('exception_parse_failures_total')).toBe(tagged);
  });
});
