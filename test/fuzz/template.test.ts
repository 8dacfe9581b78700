/**
 * Fuzzing `%{}` templates: templates built from literals, field references and `%{+date}`
 * formats give the text the parts say for random events (any @timestamp offset), the same warm
 * as fresh; any other text compiles or fails with SLUICE_TEMPLATE, and what compiles never throws.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileTemplate } from '../../pipeline/template.js';
import { ConfigError } from '../../pipeline/errors.js';
import type { Event, FieldValue } from '../../pipeline/event.js';
import { fuzz, mutatedText } from './fuzz.js';

type Part = { kind: 'literal'; text: string } | { kind: 'field'; path: string[]; bracketed: boolean } | { kind: 'date'; tokens: string[] };

const name = fc.constantFrom('a', 'b', 'message', 'host', 'n');
const DATE_TOKENS = ['yyyy', 'YYYY', 'yy', 'MM', 'dd', 'HH', 'mm', 'ss', 'SSS', '.', '-', ':', "'T'", "'at'", ' '];

const part: fc.Arbitrary<Part> = fc.oneof(
  // A literal never holds `%{`, which would start a placeholder.
  fc.record({ kind: fc.constant('literal' as const), text: fc.string({ minLength: 1, maxLength: 12 }).filter((t) => !t.includes('%{') && !t.endsWith('%')) }),
  fc.record({ kind: fc.constant('field' as const), path: fc.array(name, { minLength: 1, maxLength: 3 }), bracketed: fc.boolean() }),
  fc.record({ kind: fc.constant('date' as const), tokens: fc.array(fc.constantFrom(...DATE_TOKENS), { minLength: 1, maxLength: 6 }) }),
);
/** Two date tokens side by side would read as one (`yy` `yy` is `yyyy`): they are kept apart. */
const parts = fc.array(part, { maxLength: 6 }).map((list) => list.map((p) => (p.kind === 'date' ? { ...p, tokens: p.tokens.flatMap((t, i) => (i > 0 ? ['_', t] : [t])) } : p)));

function renderPart(p: Part): string {
  if (p.kind === 'literal') return p.text;
  if (p.kind === 'field') return p.bracketed || p.path.length > 1 ? `%{${p.path.map((k) => `[${k}]`).join('')}}` : `%{${p.path[0]}}`;
  return `%{+${p.tokens.join('')}}`;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function formatToken(token: string, d: Date): string {
  switch (token) {
    case 'yyyy':
    case 'YYYY':
      return pad(d.getUTCFullYear(), 4);
    case 'yy':
      return pad(d.getUTCFullYear() % 100);
    case 'MM':
      return pad(d.getUTCMonth() + 1);
    case 'dd':
      return pad(d.getUTCDate());
    case 'HH':
      return pad(d.getUTCHours());
    case 'mm':
      return pad(d.getUTCMinutes());
    case 'ss':
      return pad(d.getUTCSeconds());
    case 'SSS':
      return pad(d.getUTCMilliseconds(), 3);
    default:
      return token.startsWith("'") ? token.slice(1, -1) : token;
  }
}

function valueAt(event: Event, path: readonly string[]): FieldValue | undefined {
  let node: FieldValue | undefined = event;
  for (const key of path) node = node !== null && typeof node === 'object' && !Array.isArray(node) ? node[key] : undefined;
  return node;
}

function expected(list: readonly Part[], event: Event): string {
  return list
    .map((p) => {
      if (p.kind === 'literal') return p.text;
      if (p.kind === 'date') {
        const d = new Date(event['@timestamp'] as string);
        return p.tokens.map((t) => formatToken(t, d)).join('');
      }
      const value = valueAt(event, p.path);
      if (value === undefined || value === null) return renderPart(p);
      return typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
    })
    .join('');
}

/** An instant written with any offset, as senders' @timestamps come in. */
const instant = fc.oneof(fc.integer({ min: Date.UTC(1990, 0, 1), max: Date.UTC(2090, 0, 1) }), fc.integer({ min: Date.UTC(2026, 10, 21), max: Date.UTC(2026, 10, 23) }));
/** Mostly within three days, so that events of one sample share dates written in other zones. */
const timestamp = fc.tuple(instant, fc.integer({ min: -14 * 4, max: 14 * 4 })).map(([ms, quarters]) => {
  if (quarters === 0) return new Date(ms).toISOString();
  const minutes = quarters * 15;
  const local = new Date(ms + minutes * 60_000).toISOString().slice(0, 23);
  return `${local}${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
});
const leaf = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.boolean(), fc.constant(null));
const value: fc.Arbitrary<FieldValue> = fc.oneof(leaf, fc.array(leaf, { maxLength: 3 }), fc.dictionary(name, leaf, { maxKeys: 3 }));
const event: fc.Arbitrary<Event> = fc
  .tuple(timestamp, fc.dictionary(name, fc.oneof(value, fc.dictionary(name, value, { maxKeys: 3 })), { maxKeys: 5 }))
  .map(([stamp, fields]) => ({ ...fields, '@timestamp': stamp }) as Event);

describe('fuzz: templates', () => {
  it('renders a template built from parts as the parts say, warm as fresh, whatever the timestamp offset', () => {
    fuzz(
      fc.property(parts, fc.array(event, { minLength: 1, maxLength: 6 }), (list, sample) => {
        const text = list.map(renderPart).join('');
        const warm = compileTemplate(text);
        for (const e of sample) {
          expect(warm(e)).toBe(expected(list, e));
          expect(compileTemplate(text)(e)).toBe(expected(list, e));
        }
      }),
      600,
    );
  });

  it('compiles any text or fails with SLUICE_TEMPLATE, and what compiles never throws', () => {
    const text = fc.oneof(mutatedText(parts.map((list) => list.map(renderPart).join('')), 4), fc.string({ maxLength: 30 }));
    const anyEvent = fc.oneof(event, event.map((e) => ({ ...e, '@timestamp': 'not a time' })), event.map((e) => ({ ...e, '@timestamp': 42 })));
    fuzz(
      fc.property(text, fc.array(anyEvent, { minLength: 1, maxLength: 4 }), (source, sample) => {
        let template;
        try {
          template = compileTemplate(source);
        } catch (err) {
          expect(err).toBeInstanceOf(ConfigError);
          expect((err as ConfigError).code).toBe('SLUICE_TEMPLATE');
          return;
        }
        for (const e of sample) expect(typeof template(e)).toBe('string');
      }),
      800,
    );
  });
});
