/**
 * Logstash sprintf strings: `%{[trace][id]}`, `%{message}`, `%{+yyyy.MM.dd}` (from the
 * event's `@timestamp`, UTC). Compiled once at config time into a function of the event.
 */
import { TIMESTAMP, type Event, type FieldValue } from './event.js';
import { getField, parseFieldReference, type FieldPath } from './fields.js';
import { ConfigError } from './errors.js';

export type Template = (event: Event) => string;

type Part = string | ((event: Event) => string);

const PLACEHOLDER = /%\{([^}]*)\}/g;

export function compileTemplate(text: string): Template {
  const parts: Part[] = [];
  let last = 0;
  for (const match of text.matchAll(PLACEHOLDER)) {
    if (match.index > last) parts.push(text.slice(last, match.index));
    const inner = match[1];
    if (inner.startsWith('+')) parts.push(compileDatePart(inner.slice(1), text));
    else parts.push(compileFieldPart(inner, match[0], text));
    last = match.index + match[0].length;
  }
  if (last < text.length) parts.push(text.slice(last));
  if (parts.length === 0) return () => '';
  if (parts.length === 1) {
    const only = parts[0];
    return typeof only === 'string' ? () => only : only;
  }
  return (event) => {
    let out = '';
    for (const part of parts) out += typeof part === 'string' ? part : part(event);
    return out;
  };
}

/** True when the string holds at least one `%{...}`; a constant needs no per-event work. */
export function isTemplate(text: string): boolean {
  return /%\{[^}]*\}/.test(text);
}

/** The field a template names when it is one reference and nothing else (`%{[@metadata][_id]}`), for callers that read it straight. */
export function singleFieldReference(text: string): FieldPath | undefined {
  const only = /^%\{([^+}][^}]*)\}$/.exec(text);
  return only ? referencePath(only[1], text) : undefined;
}

function referencePath(reference: string, whole: string): FieldPath {
  try {
    return parseFieldReference(reference);
  } catch (err) {
    throw new ConfigError('SLUICE_TEMPLATE', `in ${JSON.stringify(whole)}: ${(err as Error).message}`);
  }
}

function compileFieldPart(reference: string, raw: string, whole: string): (event: Event) => string {
  const path = referencePath(reference, whole);
  return (event) => {
    const value = getField(event, path);
    // Logstash leaves an unresolved reference as it was written, so a missing field is visible.
    return value === undefined || value === null ? raw : stringifyValue(value);
  };
}

export function stringifyValue(value: FieldValue): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

const DATE_TOKEN = /yyyy|YYYY|yy|MM|dd|HH|mm|ss|SSS|'[^']*'/g;

function compileDatePart(format: string, whole: string): (event: Event) => string {
  if (format.length === 0) throw new ConfigError('SLUICE_TEMPLATE', `in ${JSON.stringify(whole)}: empty date format after %{+`);
  const tokens: Array<string | ((d: Date) => string)> = [];
  let last = 0;
  for (const match of format.matchAll(DATE_TOKEN)) {
    if (match.index > last) tokens.push(format.slice(last, match.index));
    tokens.push(dateToken(match[0]));
    last = match.index + match[0].length;
  }
  if (last < format.length) tokens.push(format.slice(last));
  const usesTimeOfDay = /HH|mm|ss|SSS/.test(format);
  // Most patterns are daily: one formatted string per calendar day is reused across events.
  let cachedKey = '';
  let cachedValue = '';
  return (event) => {
    const stamp = event[TIMESTAMP];
    const text = typeof stamp === 'string' ? stamp : new Date().toISOString();
    // Its first ten characters are the UTC day only in a UTC stamp: `...T00:00:00+10:15` is the day before.
    const utc = text.charCodeAt(text.length - 1) === 90 /* Z */;
    const key = usesTimeOfDay || !utc ? text : text.slice(0, 10);
    if (key === cachedKey && key.length > 0) return cachedValue;
    let date = new Date(text);
    // An unreadable stamp is formatted from the clock, so it is not cached (the clock moves on).
    const readable = !Number.isNaN(date.getTime());
    if (!readable) date = new Date();
    let out = '';
    for (const token of tokens) out += typeof token === 'string' ? token : token(date);
    if (readable) {
      cachedKey = key;
      cachedValue = out;
    }
    return out;
  };
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}

function dateToken(token: string): string | ((d: Date) => string) {
  switch (token) {
    case 'yyyy':
    case 'YYYY':
      return (d) => pad(d.getUTCFullYear(), 4);
    case 'yy':
      return (d) => pad(d.getUTCFullYear() % 100, 2);
    case 'MM':
      return (d) => pad(d.getUTCMonth() + 1, 2);
    case 'dd':
      return (d) => pad(d.getUTCDate(), 2);
    case 'HH':
      return (d) => pad(d.getUTCHours(), 2);
    case 'mm':
      return (d) => pad(d.getUTCMinutes(), 2);
    case 'ss':
      return (d) => pad(d.getUTCSeconds(), 2);
    case 'SSS':
      return (d) => pad(d.getUTCMilliseconds(), 3);
    default:
      return token.slice(1, -1); // a quoted literal
  }
}
