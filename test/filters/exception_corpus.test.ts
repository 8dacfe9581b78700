/**
 * Conformance: every case of the shared exception corpus (real traces from CPython, OpenJDK,
 * Node, Go and Ruby, and real shipper records) through the exception filter: each expected
 * field, and the grouping: cases that share a group label share a fingerprint, all others differ.
 */
import { describe, expect, it } from 'vitest';
import { exceptionFilter } from '../../filters/exception/index.js';
import type { Event, FieldObject } from '../../pipeline/event.js';
import { corpusDir, expectedCulprit, shipperCases, traceCases, traceText, type ExpectedException as Expected } from './exception_cases.js';
import { makeFilter } from './helpers.js';

function filtered(event: Event): FieldObject {
  const out = makeFilter(exceptionFilter, {}).run([event])[0];
  return out.error as FieldObject;
}

function expectFields(name: string, error: FieldObject | undefined, c: Expected): void {
  expect(error, `${name}: error fields`).toBeDefined();
  expect(error!.type, `${name}: type`).toBe(c.type);
  expect(error!.message, `${name}: message`).toBe(c.message === '' ? undefined : c.message);
  expect(error!.chain, `${name}: chain`).toEqual(c.chain);
  expect(error!.frames, `${name}: frames`).toBe(c.frames);
  expect(error!.culprit, `${name}: culprit`).toBe(expectedCulprit(c));
  expect(error!.fingerprint, `${name}: fingerprint`).toMatch(/^[0-9a-f]{16}$/);
}

describe.skipIf(corpusDir === undefined)('exception corpus', () => {
  it('has cases for every language', () => {
    expect(new Set(traceCases.map((c) => c.language))).toEqual(new Set(['python', 'java', 'node', 'go', 'ruby']));
  });

  it.each(traceCases.map((c) => [c.file!, c] as const))('%s: a trace in stack_trace', (_file, c) => {
    const text = traceText(c);
    const error = filtered({ message: 'request failed', level: 'ERROR', stack_trace: text });
    expectFields(c.file!, error, c);
    expect(error.stack_trace).toBe(text);
  });

  it.each(traceCases.map((c) => [c.file!, c] as const))('%s: the trace as the message itself', (_file, c) => {
    const text = traceText(c);
    const error = filtered({ message: text });
    expectFields(c.file!, error, c);
    expect(error.stack_trace).toBe(text);
  });

  it.each(shipperCases.map((c) => [c.id!, c] as const))('shipper %s', (_id, c) => {
    const error = filtered(JSON.parse(c.line!) as Event);
    expectFields(c.id!, error, c);
    expect(error.stack_trace).toEqual(expect.stringContaining(c.message));
  });

  it('fingerprints: same group label <=> same fingerprint, across languages and shippers', () => {
    const all = [
      ...traceCases.map((c) => ({ name: c.file!, group: c.group, fingerprint: filtered({ stack_trace: traceText(c) }).fingerprint })),
      ...traceCases.map((c) => ({ name: `${c.file!} (message)`, group: c.group, fingerprint: filtered({ message: traceText(c) }).fingerprint })),
      ...shipperCases.map((c) => ({ name: c.id!, group: c.group, fingerprint: filtered(JSON.parse(c.line!) as Event).fingerprint })),
    ];
    const problems: string[] = [];
    for (let i = 0; i < all.length; i++) {
      for (let j = i + 1; j < all.length; j++) {
        const a = all[i];
        const b = all[j];
        const same = a.fingerprint === b.fingerprint;
        if (a.group === b.group && !same) problems.push(`${a.name} and ${b.name} share group ${a.group} but not a fingerprint`);
        if (a.group !== b.group && same) problems.push(`${a.name} (${a.group}) and ${b.name} (${b.group}) share fingerprint ${String(a.fingerprint)}`);
      }
    }
    expect(problems).toEqual([]);
  });
});
