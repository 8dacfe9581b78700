/**
 * Tokens of Logstash's condition syntax. Every token keeps its column so that `sluice check`
 * can point at the character where a condition goes wrong.
 */
import { ConfigError } from '../errors.js';
import type { FieldPath } from '../fields.js';

export type Token =
  | { kind: 'field'; path: FieldPath; column: number }
  | { kind: 'string'; value: string; column: number }
  | { kind: 'number'; value: number; column: number }
  | { kind: 'regex'; value: RegExp; column: number }
  | { kind: 'list'; values: Array<string | number>; column: number }
  | { kind: 'op'; value: ComparisonOp; column: number }
  | { kind: 'word'; value: 'and' | 'or' | 'xor' | 'nand' | 'not' | 'in'; column: number }
  | { kind: 'bang' | 'open' | 'close' | 'end'; column: number };

export type ComparisonOp = '==' | '!=' | '<' | '>' | '<=' | '>=' | '=~' | '!~';

export function syntaxError(text: string, column: number, why: string): ConfigError {
  const message = `${why} at column ${column} of ${JSON.stringify(text)}`;
  return new ConfigError('SLUICE_CONDITION_SYNTAX', message, [message], { column });
}

const WORDS = new Set(['and', 'or', 'xor', 'nand', 'not', 'in']);
const OPERATORS: readonly ComparisonOp[] = ['==', '!=', '<=', '>=', '=~', '!~', '<', '>'];

function isSpace(c: string): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\r';
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

/** A quoted string with backslash escapes; returns the value and the index after the closing quote. */
function readQuoted(text: string, start: number): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && i + 1 < text.length) {
      const next = text[++i];
      value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
    } else if (c === quote) {
      return { value, end: i + 1 };
    } else {
      value += c;
    }
  }
  throw syntaxError(text, start + 1, `unterminated string`);
}

function readNumber(text: string, start: number): { value: number; end: number } {
  let i = start;
  if (text[i] === '-') i++;
  while (isDigit(text[i]) || text[i] === '.') i++;
  const raw = text.slice(start, i);
  const value = Number(raw);
  if (raw === '-' || Number.isNaN(value)) throw syntaxError(text, start + 1, `malformed number ${JSON.stringify(raw)}`);
  return { value, end: i };
}

/** `[a][b]` (a field) or `["x", 1]` (a list): a list holds quoted strings or numbers, or a comma. */
function readBracket(text: string, start: number): { token: Token; end: number } {
  let i = start + 1;
  while (isSpace(text[i] ?? '')) i++;
  const first = text[i];
  const close = text.indexOf(']', start);
  const looksLikeList = first === '"' || first === "'" || first === ']' || (close !== -1 && text.slice(start, close).includes(','));
  if (looksLikeList) return readList(text, start);
  const path: string[] = [];
  i = start;
  while (text[i] === '[') {
    const end = text.indexOf(']', i);
    if (end === -1) throw syntaxError(text, i + 1, `unclosed field reference`);
    const name = text.slice(i + 1, end);
    if (name.length === 0 || name.includes('[')) throw syntaxError(text, i + 1, `malformed field reference`);
    path.push(name);
    i = end + 1;
  }
  return { token: { kind: 'field', path, column: start + 1 }, end: i };
}

function readList(text: string, start: number): { token: Token; end: number } {
  const values: Array<string | number> = [];
  let i = start + 1;
  for (;;) {
    while (isSpace(text[i] ?? '')) i++;
    const c = text[i];
    if (c === ']') return { token: { kind: 'list', values, column: start + 1 }, end: i + 1 };
    if (c === '"' || c === "'") {
      const quoted = readQuoted(text, i);
      values.push(quoted.value);
      i = quoted.end;
    } else if (isDigit(c) || c === '-') {
      const number = readNumber(text, i);
      values.push(number.value);
      i = number.end;
    } else {
      throw syntaxError(text, i + 1, c === undefined ? `unclosed list` : `expected a quoted string or a number in the list, got ${JSON.stringify(c)}`);
    }
    while (isSpace(text[i] ?? '')) i++;
    if (text[i] === ',') i++;
    else if (text[i] !== ']') throw syntaxError(text, i + 1, `expected "," or "]" in the list`);
  }
}

function readRegex(text: string, start: number): { token: Token; end: number } {
  let source = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === '\\' && text[i + 1] === '/') {
      source += '/';
      i++;
    } else if (c === '\\' && i + 1 < text.length) {
      source += c + text[++i];
    } else if (c === '/') {
      try {
        return { token: { kind: 'regex', value: new RegExp(source), column: start + 1 }, end: i + 1 };
      } catch (err) {
        throw syntaxError(text, start + 1, `invalid regular expression (${(err as Error).message})`);
      }
    } else {
      source += c;
    }
  }
  throw syntaxError(text, start + 1, `unterminated regular expression`);
}

export function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    const column = i + 1;
    if (isSpace(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ kind: c === '(' ? 'open' : 'close', column });
      i++;
    } else if (c === '[') {
      const read = readBracket(text, i);
      tokens.push(read.token);
      i = read.end;
    } else if (c === '"' || c === "'") {
      const read = readQuoted(text, i);
      tokens.push({ kind: 'string', value: read.value, column });
      i = read.end;
    } else if (c === '/') {
      const read = readRegex(text, i);
      tokens.push(read.token);
      i = read.end;
    } else if (isDigit(c) || (c === '-' && isDigit(text[i + 1]))) {
      const read = readNumber(text, i);
      tokens.push({ kind: 'number', value: read.value, column });
      i = read.end;
    } else {
      const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
      if (op) {
        tokens.push({ kind: 'op', value: op, column });
        i += op.length;
      } else if (c === '!') {
        tokens.push({ kind: 'bang', column });
        i++;
      } else {
        let end = i;
        while (end < text.length && /[A-Za-z_]/.test(text[end])) end++;
        const word = text.slice(i, end);
        if (!WORDS.has(word)) {
          const shown = word.length > 0 ? word : c;
          throw syntaxError(text, column, `unexpected ${JSON.stringify(shown)} (fields are written [name], strings in quotes)`);
        }
        tokens.push({ kind: 'word', value: word as 'and', column });
        i = end;
      }
    }
  }
  tokens.push({ kind: 'end', column: text.length + 1 });
  return tokens;
}
