/**
 * Logstash condition syntax for `when:`, compiled once at config time into a function of the
 * event, by a small recursive-descent parser: no `eval`, no `new Function` of user text.
 *
 *   or      := and (("or" | "xor") and)*
 *   and     := unary (("and" | "nand") unary)*
 *   unary   := ("not" | "!") unary | "(" or ")" | test
 *   test    := operand [ op operand | ["not"] "in" operand ]
 *   operand := [field][ref] | "string" | 'string' | number | ["list", 1] | /regex/
 */
import type { Event } from '../event.js';
import { getField } from '../fields.js';
import { syntaxError, tokenize, type ComparisonOp, type Token } from './tokens.js';
import { compareValues, contains, isTruthy, matches, valuesEqual, type Value } from './values.js';

export type Condition = (event: Event) => boolean;
type Operand = (event: Event) => Value;

/**
 * Operators (and/or/xor/nand, not/!, parentheses) one condition may hold. Both the parser and
 * the compiled closures recurse once per operator, so a machine-written condition of thousands
 * would overflow the stack, at config time or on every event; real ones hold a handful.
 */
export const MAX_CONDITION_OPERATORS = 500;

class Parser {
  private position = 0;
  private operators = 0;
  constructor(
    private readonly text: string,
    private readonly tokens: Token[],
  ) {}

  parse(): Condition {
    const condition = this.parseOr();
    const next = this.peek();
    if (next.kind !== 'end') throw this.unexpected(next, 'expected "and", "or" or the end');
    return condition;
  }

  private peek(): Token {
    return this.tokens[this.position];
  }

  private next(): Token {
    return this.tokens[this.position++];
  }

  /** Takes an operator token, counting it against MAX_CONDITION_OPERATORS. */
  private nextOperator(): Token {
    const token = this.next();
    if (++this.operators > MAX_CONDITION_OPERATORS) throw syntaxError(this.text, token.column, `more than ${MAX_CONDITION_OPERATORS} operators and parentheses in one condition`);
    return token;
  }

  private isWord(word: string): boolean {
    const token = this.peek();
    return token.kind === 'word' && token.value === word;
  }

  private unexpected(token: Token, expectation: string): Error {
    const what = token.kind === 'end' ? 'the end of the condition' : describe(token);
    return syntaxError(this.text, token.column, `${expectation}, got ${what}`);
  }

  private parseOr(): Condition {
    let left = this.parseAnd();
    while (this.isWord('or') || this.isWord('xor')) {
      const word = (this.nextOperator() as { value: string }).value;
      const a = left;
      const b = this.parseAnd();
      left = word === 'or' ? (e) => a(e) || b(e) : (e) => a(e) !== b(e);
    }
    return left;
  }

  private parseAnd(): Condition {
    let left = this.parseUnary();
    while (this.isWord('and') || this.isWord('nand')) {
      const word = (this.nextOperator() as { value: string }).value;
      const a = left;
      const b = this.parseUnary();
      left = word === 'and' ? (e) => a(e) && b(e) : (e) => !(a(e) && b(e));
    }
    return left;
  }

  private parseUnary(): Condition {
    const token = this.peek();
    if (token.kind === 'bang' || (token.kind === 'word' && token.value === 'not')) {
      this.nextOperator();
      const inner = this.parseUnary();
      return (e) => !inner(e);
    }
    if (token.kind === 'open') {
      this.nextOperator();
      const inner = this.parseOr();
      const close = this.next();
      if (close.kind !== 'close') throw this.unexpected(close, 'expected ")"');
      return inner;
    }
    return this.parseTest();
  }

  private parseTest(): Condition {
    const leftToken = this.peek();
    const left = this.parseOperand();
    const token = this.peek();
    if (token.kind === 'op') {
      this.next();
      const rightToken = this.peek();
      const right = this.parseOperand();
      if ((token.value === '=~' || token.value === '!~') && rightToken.kind !== 'regex') {
        throw syntaxError(this.text, rightToken.column, `${token.value} needs a /regex/ on its right`);
      }
      return comparison(token.value, left, right);
    }
    if (this.isWord('in')) {
      this.next();
      const right = this.parseOperand();
      return (e) => contains(right(e), left(e));
    }
    if (this.isWord('not') && this.tokens[this.position + 1]?.kind === 'word' && (this.tokens[this.position + 1] as { value: string }).value === 'in') {
      this.position += 2;
      const right = this.parseOperand();
      return (e) => !contains(right(e), left(e));
    }
    if (leftToken.kind !== 'field') throw this.unexpected(token, 'expected a comparison after a value');
    return (e) => isTruthy(left(e));
  }

  private parseOperand(): Operand {
    const token = this.next();
    switch (token.kind) {
      case 'field': {
        const path = token.path;
        return (e) => getField(e, path);
      }
      case 'string':
      case 'number': {
        const value = token.value;
        return () => value;
      }
      case 'regex': {
        const value = token.value;
        return () => value;
      }
      case 'list': {
        const values = token.values;
        return () => values;
      }
      default:
        throw this.unexpected(token, 'expected a [field], a string, a number, a list or a /regex/');
    }
  }
}

function comparison(op: ComparisonOp, left: Operand, right: Operand): Condition {
  switch (op) {
    case '==':
      return (e) => valuesEqual(left(e), right(e));
    case '!=':
      return (e) => !valuesEqual(left(e), right(e));
    case '<':
      return (e) => compareValues(left(e), right(e)) === -1;
    case '>':
      return (e) => compareValues(left(e), right(e)) === 1;
    case '<=':
      return (e) => (compareValues(left(e), right(e)) ?? 1) <= 0;
    case '>=':
      return (e) => (compareValues(left(e), right(e)) ?? -1) >= 0;
    case '=~':
      return (e) => matches(left(e), right(e));
    case '!~':
      return (e) => !matches(left(e), right(e));
  }
}

function describe(token: Token): string {
  switch (token.kind) {
    case 'field':
      return `[${token.path.join('][')}]`;
    case 'string':
      return JSON.stringify(token.value);
    case 'number':
      return String(token.value);
    case 'regex':
      return String(token.value);
    case 'list':
      return 'a list';
    case 'op':
    case 'word':
      return `"${token.value}"`;
    case 'bang':
      return '"!"';
    case 'open':
      return '"("';
    case 'close':
      return '")"';
    case 'end':
      return 'the end';
  }
}

export function compileCondition(text: string): Condition {
  if (text.trim().length === 0) throw syntaxError(text, 1, 'empty condition');
  return new Parser(text, tokenize(text)).parse();
}
