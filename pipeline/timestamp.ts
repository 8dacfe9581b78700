/**
 * `@timestamp` rules shared by every decoder: a valid ISO-8601 value from the source is kept
 * (normalized to UTC), anything else is moved to `_@timestamp` with `_timestampparsefailure` and
 * replaced by the ingest time, as Logstash does.
 */
import { addTag, TIMESTAMP, type Event, type FieldObject } from './event.js';

export const TIMESTAMP_FAILURE_TAG = '_timestampparsefailure';
export const INVALID_TIMESTAMP_FIELD = '_@timestamp';

/** Already canonical: UTC with `Z` and any fraction. Kept as sent so micro/nanoseconds survive. */
const CANONICAL = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?Z$/;
const ISO_8601 = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(\.\d{1,9})?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/** ISO-8601 text to a canonical UTC string, or undefined. No offset means UTC. */
export function normalizeIsoTimestamp(text: string): string | undefined {
  if (CANONICAL.test(text)) return Number.isNaN(Date.parse(text)) ? undefined : text;
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
