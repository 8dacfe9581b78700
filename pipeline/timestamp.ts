/**
 * `@timestamp` rules shared by every decoder: a valid ISO-8601 value from the source is kept
 * (normalized to UTC), anything else is moved to `_@timestamp` with `_timestampparsefailure` and
 * replaced by the ingest time, as Logstash does.
 */
import { addTag, TIMESTAMP, type Event, type FieldObject } from './event.js';

export const TIMESTAMP_FAILURE_TAG = '_timestampparsefailure';
export const INVALID_TIMESTAMP_FIELD = '_@timestamp';

/** Two ASCII digits at `at` as a number, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * Already canonical (`yyyy-MM-ddTHH:mm:ss[.f{1,9}]Z`, UTC) with fields in range: most senders'
 * form, so it is checked by character, without a regex or a Date. Kept as sent, so micro- and
 * nanoseconds survive.
 */
export function isCanonicalUtc(text: string): boolean {
  const n = text.length;
  if (n < 20 || n > 30 || text.charCodeAt(n - 1) !== 90 /* Z */) return false;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return false;
  if (twoDigits(text, 0) < 0 || twoDigits(text, 2) < 0) return false;
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  const hour = twoDigits(text, 11);
  const minute = twoDigits(text, 14);
  const second = twoDigits(text, 17);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) return false;
  if (n === 20) return true;
  if (text.charCodeAt(19) !== 46 /* . */ || n === 21) return false;
  for (let i = 20; i < n - 1; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO-8601 text to a canonical UTC string, or undefined. No offset means UTC. */
export function normalizeIsoTimestamp(text: string): string | undefined {
  if (isCanonicalUtc(text)) return text;
  const m = ISO_8601.exec(text);
  if (!m) return undefined;
  const fraction = m[3] ? m[3].slice(0, 4) : '';
  let zone = m[4] ? m[4].toUpperCase() : 'Z';
  if (zone !== 'Z' && zone.length === 3) zone += ':00';
  else if (zone !== 'Z' && !zone.includes(':')) zone = `${zone.slice(0, 3)}:${zone.slice(3)}`;
  const ms = Date.parse(`${m[1]}T${m[2]}${fraction}${zone}`);
  if (Number.isNaN(ms)) return undefined;
  return new Date(ms).toISOString();
}

/** Makes `@timestamp` valid: keeps a good one, stashes a bad one, fills a missing one with `ingestTime`. */
export function coerceTimestamp(event: Event, ingestTime: string): void {
  // Decoded input may hold anything under @timestamp; read it as the untyped value it is.
  const value = (event as FieldObject)[TIMESTAMP];
  if (value === undefined || value === null) {
    event[TIMESTAMP] = ingestTime;
    return;
  }
  if (typeof value === 'string') {
    const normalized = normalizeIsoTimestamp(value);
    if (normalized !== undefined) {
      if (normalized !== value) event[TIMESTAMP] = normalized;
      return;
    }
  }
  event[INVALID_TIMESTAMP_FIELD] = value;
  event[TIMESTAMP] = ingestTime;
  addTag(event, TIMESTAMP_FAILURE_TAG);
}
