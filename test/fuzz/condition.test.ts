/**
 * Fuzzing the condition compiler: conditions built from a random tree, printed with the
 * precedence the grammar gives (and extra parentheses), evaluate as the tree says on random
 * events; any other text compiles or fails with SLUICE_CONDITION_SYNTAX and a column inside it,
 * and what compiles never throws on any event.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compileCondition } from '../../pipeline/condition/index.js';
import { ConfigError } from '../../pipeline/errors.js';
import type { Event, FieldValue } from '../../pipeline/event.js';
import { fuzz, mutatedText } from './fuzz.js';

type Leaf =
  | { kind: 'truthy'; field: string }
  | { kind: 'equals'; field: string; value: string; negated: boolean }
  | { kind: 'inList'; field: string; list: string[]; negated: boolean }
  | { kind: 'substring'; field: string; needle: string }
  | { kind: 'greater'; field: string; value: number }
  | { kind: 'regex'; field: string; prefix: string };

type Node = Leaf | { kind: 'not'; bang: boolean; inner: Node } | { kind: 'binary'; op: 'and' | 'or' | 'xor' | 'nand'; left: Node; right: Node } | { kind: 'group'; inner: Node };

const FIELDS = ['a', 'b', 'c'];
const field = fc.constantFrom(...FIELDS);
const word = fc.constantFrom('x', 'y', 'xy', '', 'yes');

const leaf: fc.Arbitrary<Node> = fc.oneof(
  fc.record({ kind: fc.constant('truthy' as const), field }),
  fc.record({ kind: fc.constant('equals' as const), field, value: word, negated: fc.boolean() }),
  fc.record({ kind: fc.constant('inList' as const), field, list: fc.array(word, { minLength: 1, maxLength: 3 }), negated: fc.boolean() }),
  fc.record({ kind: fc.constant('substring' as const), field, needle: word }),
  fc.record({ kind: fc.constant('greater' as const), field, value: fc.integer({ min: -3, max: 3 }) }),
  fc.record({ kind: fc.constant('regex' as const), field, prefix: fc.constantFrom('x', 'y', '') }),
);

const { node } = fc.letrec<{ node: Node }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.record({ kind: fc.constant('not' as const), bang: fc.boolean(), inner: tie('node') }),
    fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom('and' as const, 'or' as const, 'xor' as const, 'nand' as const), left: tie('node'), right: tie('node') }),
    fc.record({ kind: fc.constant('group' as const), inner: tie('node') }),
  ),
}));

const quote = (s: string): string => JSON.stringify(s);

/** 1: or/xor, 2: and/nand, 3: not, a group or a test. */
function precedence(n: Node): number {
  if (n.kind === 'binary') return n.op === 'or' || n.op === 'xor' ? 1 : 2;
  return 3;
}

function render(n: Node): string {
  switch (n.kind) {
    case 'truthy':
      return `[${n.field}]`;
    case 'equals':
      return `[${n.field}] ${n.negated ? '!=' : '=='} ${quote(n.value)}`;
    case 'inList':
      return `[${n.field}] ${n.negated ? 'not in' : 'in'} [${n.list.map(quote).join(', ')}]`;
    case 'substring':
      return `${quote(n.needle)} in [${n.field}]`;
    case 'greater':
      return `[${n.field}] > ${n.value}`;
    case 'regex':
      return `[${n.field}] =~ /^${n.prefix}/`;
    case 'group':
      return `(${render(n.inner)})`;
    case 'not': {
      const inner = precedence(n.inner) < 3 ? `(${render(n.inner)})` : render(n.inner);
      return n.bang ? `!${inner}` : `not ${inner}`;
    }
    case 'binary': {
      // Left-associative: the right side needs parentheses at the same level already.
      const p = precedence(n);
      const left = precedence(n.left) < p ? `(${render(n.left)})` : render(n.left);
      const right = precedence(n.right) <= p ? `(${render(n.right)})` : render(n.right);
      return `${left} ${n.op} ${right}`;
    }
  }
}

function evaluate(n: Node, event: Event): boolean {
  const value = (f: string): FieldValue | undefined => event[f];
  switch (n.kind) {
    case 'truthy': {
      const v = value(n.field);
      return v !== undefined && v !== null && v !== false;
    }
    case 'equals':
      return (value(n.field) === n.value) !== n.negated;
    case 'inList':
      return n.list.includes(value(n.field) as string) !== n.negated;
    case 'substring': {
      const v = value(n.field);
      return typeof v === 'string' ? v.includes(n.needle) : Array.isArray(v) ? v.includes(n.needle) : false;
    }
    case 'greater': {
      const v = value(n.field);
      return typeof v === 'number' && v > n.value;
    }
    case 'regex': {
      const v = value(n.field);
      return (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') && String(v).startsWith(n.prefix);
    }
    case 'group':
      return evaluate(n.inner, event);
    case 'not':
      return !evaluate(n.inner, event);
    case 'binary': {
      const l = evaluate(n.left, event);
      const r = evaluate(n.right, event);
      if (n.op === 'and') return l && r;
      if (n.op === 'or') return l || r;
      if (n.op === 'xor') return l !== r;
      return !(l && r);
    }
  }
}

const fieldValue = fc.oneof(word, fc.integer({ min: -4, max: 4 }), fc.boolean(), fc.constant(null), fc.array(word, { maxLength: 3 }), fc.constant({ nested: 'x' }));
const event: fc.Arbitrary<Event> = fc.record({ a: fieldValue, b: fieldValue, c: fieldValue }, { requiredKeys: [] }) as fc.Arbitrary<Event>;
const events = fc.array(event, { minLength: 1, maxLength: 6 });

/** Nesting far beyond any real condition, to find a recursion that overflows the stack. */
const deep = fc.tuple(fc.integer({ min: 1, max: 20_000 }), fc.constantFrom('(', 'not ', '!', ' and ', ' or ', ' xor ')).map(([n, op]) => {
  if (op === '(') return `${'('.repeat(n)}[a]${')'.repeat(n)}`;
  if (op.startsWith(' ')) return Array.from({ length: n + 1 }, () => '[a]').join(op);
  return `${op.repeat(n)}[a]`;
});

/** Compiles, or fails as documented: a ConfigError with the condition code and a column in the text. */
function compileOrSyntaxError(text: string): ((e: Event) => boolean) | undefined {
  try {
    return compileCondition(text);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    const error = err as ConfigError;
    expect(error.code).toBe('SLUICE_CONDITION_SYNTAX');
    const column = error.context.column as number;
    expect(column).toBeGreaterThanOrEqual(1);
    expect(column).toBeLessThanOrEqual(text.length + 1);
    return undefined;
  }
}

describe('fuzz: conditions', () => {
  it('evaluates a condition printed from a tree as the tree says', () => {
    fuzz(
      fc.property(node, events, (tree, sample) => {
        const condition = compileCondition(render(tree));
        for (const e of sample) expect(condition(e)).toBe(evaluate(tree, e));
      }),
      800,
    );
  });

  it('compiles any text or fails with a syntax error at a column, and what compiles never throws', () => {
    const text = fc.oneof({ weight: 5, arbitrary: mutatedText(node.map(render), 4) }, { weight: 1, arbitrary: fc.string({ maxLength: 40 }) }, { weight: 1, arbitrary: deep });
    fuzz(
      fc.property(text, events, (source, sample) => {
        const condition = compileOrSyntaxError(source);
        if (condition) for (const e of sample) expect(typeof condition(e)).toBe('boolean');
      }),
      1000,
    );
  });
});
