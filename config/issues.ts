/**
 * zod issues as one line each: `inputs[0].port: expected an integer 0..65535, got "abc"`.
 * zod's own English never reaches a user: `zodMessages` is passed to every parse and says what
 * was expected in our words wherever a schema did not say it itself.
 */
import type { z } from 'zod';
import { describeValue, formatPath, valueAt, type ConfigPath } from './paths.js';

/** Keys that are allowed where an unknown key was found, to list in the error. */
export type KnownKeys = (path: ConfigPath) => readonly string[] | undefined;

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping of keys to values',
  record: 'a mapping of keys to values',
  null: 'nothing',
};

const FORMAT_NAMES: Record<string, string> = { url: 'a URL', email: 'an e-mail address', uuid: 'a UUID', ipv4: 'an IPv4 address', ipv6: 'an IPv6 address' };

function quoted(value: unknown): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

function bound(issue: { origin?: string; inclusive?: boolean }, value: number | bigint, below: boolean): string {
  const [op, strictOp] = below ? ['>=', '>'] : ['<=', '<'];
  const cmp = issue.inclusive === false ? strictOp : op;
  const side = below ? 'at least' : 'at most';
  switch (issue.origin) {
    case 'string':
      return below && Number(value) === 1 ? 'expected a non-empty string' : `expected ${side} ${value} characters`;
    case 'array':
    case 'set':
      return below && Number(value) === 1 ? 'expected a non-empty list' : `expected ${side} ${value} items`;
    default:
      return `expected a number ${cmp} ${value}`;
  }
}

/** Our sentence for an issue zod raised without a message from the schema. */
export function zodMessages(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.input === undefined ? 'required' : `expected ${TYPE_NAMES[issue.expected] ?? issue.expected}`;
    case 'invalid_value':
      return issue.values.length === 1 ? `expected ${quoted(issue.values[0])}` : `expected one of ${issue.values.map(quoted).join(', ')}`;
    case 'too_small':
      return bound(issue, issue.minimum, true);
    case 'too_big':
      return bound(issue, issue.maximum, false);
    case 'invalid_format':
      return issue.format === 'regex' && 'pattern' in issue ? `expected text matching ${String(issue.pattern)}` : `expected ${FORMAT_NAMES[issue.format] ?? issue.format}`;
    case 'not_multiple_of':
      return `expected a multiple of ${issue.divisor}`;
    case 'invalid_union': {
      if (issue.input === undefined) return 'required';
      // Each alternative said what it wanted: "expected a string or a list".
      const wanted = [...new Set(issue.errors.map((branch) => branch[0]?.message).filter((m): m is string => typeof m === 'string'))];
      return wanted.length === 0 ? 'expected another value' : `expected ${wanted.map((m) => m.replace(/^expected /, '')).join(', or ')}`;
    }
    case 'invalid_key':
      return 'invalid key';
    case 'invalid_element':
      return 'invalid value';
    default:
      return 'invalid value';
  }
}

/** Options whose value must not be echoed in an error (it would land in terminals and CI logs). */
const SECRET_KEY = /pass(word|phrase)|api_key|secret|token/i;

function gotValue(path: ConfigPath, value: unknown): string {
  const last = path[path.length - 1];
  if (typeof last === 'string' && SECRET_KEY.test(last)) return `got ${Array.isArray(value) ? 'a list' : `a ${typeof value}`} (value hidden)`;
  return `got ${describeValue(value)}`;
}

/** `raw` is the value the schema checked; `prefix` is where it sits in the file, for the message. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, prefix: ConfigPath = [], knownKeys?: KnownKeys): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys?.(issue.path);
      const hint = known && known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
      for (const key of issue.keys) lines.push(`${formatPath([...path, key])}: unknown key${hint}`);
      continue;
    }
    // A refinement's message names what it checked (a file, a pair of options): the value would only repeat it.
    if (issue.code === 'custom') {
      lines.push(`${formatPath(path)}: ${issue.message}`);
      continue;
    }
    const value = valueAt(raw, issue.path);
    // Missing wins over whatever the schema would say about a wrong value.
    if (value === undefined && (issue.code === 'invalid_type' || issue.code === 'invalid_union' || issue.code === 'invalid_value')) {
      lines.push(`${formatPath(path)}: required`);
      continue;
    }
    if (value === null && (issue.code === 'invalid_type' || issue.code === 'invalid_union')) {
      lines.push(`${formatPath(path)}: required (the key is there but has no value), ${issue.message}`);
      continue;
    }
    lines.push(`${formatPath(path)}: ${issue.message}, ${gotValue(path, value)}`);
  }
  return lines;
}
