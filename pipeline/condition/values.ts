/**
 * How conditions compare event values, following Logstash: `==` on equal types, numbers and
 * strings ordered among themselves only, `in` on lists, arrays and substrings, regexes on strings.
 */
import type { FieldValue } from '../event.js';

export type Value = FieldValue | undefined | RegExp | ReadonlyArray<string | number>;

export function isTruthy(value: Value): boolean {
  return value !== undefined && value !== null && value !== false;
}

export function valuesEqual(a: Value, b: Value): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a === null || b === null) return false;
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** -1, 0, 1, or undefined when the two cannot be ordered (then every ordering test is false). */
export function compareValues(a: Value, b: Value): number | undefined {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  return undefined;
}

export function contains(haystack: Value, needle: Value): boolean {
  if (Array.isArray(haystack)) return haystack.some((item: Value) => valuesEqual(item, needle));
  if (typeof haystack === 'string' && typeof needle === 'string') return haystack.includes(needle);
  return false;
}

export function matches(value: Value, pattern: Value): boolean {
  if (!(pattern instanceof RegExp)) return false;
  if (typeof value === 'string') return pattern.test(value);
  if (typeof value === 'number' || typeof value === 'boolean') return pattern.test(String(value));
  return false;
}
