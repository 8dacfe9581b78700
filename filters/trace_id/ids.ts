/**
 * Recognizers for the id formats apps send: W3C trace context, Zipkin's B3, and free-form
 * request ids. Hex ids are lower-cased so that one trace is one term in the index.
 */

/**
 * Character classes, looked up rather than compared: the digits and letters of a random hex id
 * come in no order a branch predictor can learn, and a chain of range checks per character cost
 * about three times the lookup (a 32-digit trace id: ~250 ns against ~80 ns here).
 */
const ID_CHAR = 1; // printable ASCII except the quotes
const ZERO_OR_DASH = 2;
const HEX_OR_DASH = 4;
const HEX_DIGIT = 8;
const UPPER_HEX = 16;

/** Indexed by UTF-16 code unit, so that no character needs a range check before its lookup. */
const CHAR_CLASSES = new Uint8Array(0x10000);
for (let c = 0x21; c <= 0x7e; c++) if (c !== 0x22 && c !== 0x27) CHAR_CLASSES[c] = ID_CHAR;
for (const c of '0-') CHAR_CLASSES[c.charCodeAt(0)] |= ZERO_OR_DASH;
for (const c of '0123456789abcdefABCDEF-') CHAR_CLASSES[c.charCodeAt(0)] |= HEX_OR_DASH;
for (const c of '0123456789abcdefABCDEF') CHAR_CLASSES[c.charCodeAt(0)] |= HEX_DIGIT;
for (const c of 'ABCDEF') CHAR_CLASSES[c.charCodeAt(0)] |= UPPER_HEX;

/** The classes every character of `text` has, with UPPER_HEX when any character is an upper-case hex digit. */
function classesOf(text: string): number {
  let every = 0xff;
  let some = 0;
  for (let i = 0; i < text.length; i++) {
    const classes = CHAR_CLASSES[text.charCodeAt(i)];
    every &= classes;
    some |= classes;
  }
  return (every & ~UPPER_HEX) | (some & UPPER_HEX);
}

function isHex(text: string): boolean {
  return text.length > 0 && (classesOf(text) & HEX_DIGIT) !== 0;
}

/** Hex digits only, not all zeros (an invalid trace or span id): one pass answers both. */
function isNonZeroHex(text: string): boolean {
  return text.length > 0 && (classesOf(text) & (HEX_DIGIT | ZERO_OR_DASH)) === HEX_DIGIT;
}

export interface TraceContext {
  traceId: string;
  spanId?: string;
}

/** `version-traceid-parentid-flags`: version 00 has exactly four parts; later versions may add more; `ff` is invalid. */
export function parseTraceparent(value: string): TraceContext | undefined {
  const text = value.trim();
  if (text.length < 55 || text[2] !== '-' || text[35] !== '-' || text[52] !== '-') return undefined;
  const version = text.slice(0, 2);
  if (!isHex(version) || version.toLowerCase() === 'ff') return undefined;
  if (version === '00' && text.length !== 55) return undefined;
  if (text.length > 55 && text[55] !== '-') return undefined;
  const traceId = text.slice(3, 35);
  const spanId = text.slice(36, 52);
  if (!isNonZeroHex(traceId) || !isNonZeroHex(spanId) || !isHex(text.slice(53, 55))) return undefined;
  return { traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase() };
}

/** B3 ids: 16 or 32 hex digits for a trace, 16 for a span. */
export function b3TraceId(value: string): string | undefined {
  const text = value.trim();
  return (text.length === 16 || text.length === 32) && isNonZeroHex(text) ? text.toLowerCase() : undefined;
}

export function b3SpanId(value: string): string | undefined {
  const text = value.trim();
  return text.length === 16 && isNonZeroHex(text) ? text.toLowerCase() : undefined;
}

/** The single `b3` header: `{trace}-{span}[-{sampled}[-{parent}]]`; a bare sampling flag carries no id. */
export function parseB3Single(value: string): TraceContext | undefined {
  const parts = value.trim().split('-');
  if (parts.length < 2) return undefined;
  const traceId = b3TraceId(parts[0]);
  const spanId = b3SpanId(parts[1]);
  return traceId && spanId ? { traceId, spanId } : undefined;
}

const MAX_ID_LENGTH = 128;

/** Whether trim() could change `text`: an end that is ASCII whitespace or a control, or beyond ASCII (Unicode spaces). */
function mayNeedTrim(text: string): boolean {
  const first = text.charCodeAt(0);
  const last = text.charCodeAt(text.length - 1);
  return first <= 32 || first > 126 || last <= 32 || last > 126;
}

/** A free-form id from a named field: a number (Datadog's decimal ids) or a short token without spaces. One pass over the characters answers every question: this runs on every event that carries an id. */
export function freeformId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const text = mayNeedTrim(value) ? value.trim() : value;
  if (text.length === 0 || text.length > MAX_ID_LENGTH) return undefined;
  const classes = classesOf(text);
  if ((classes & ID_CHAR) === 0 || (classes & ZERO_OR_DASH) !== 0) return undefined;
  return (classes & (HEX_OR_DASH | UPPER_HEX)) === (HEX_OR_DASH | UPPER_HEX) ? text.toLowerCase() : text;
}

export function randomTraceId(): string {
  return crypto.getRandomValues(new Uint8Array(16)).reduce((hex, byte) => hex + byte.toString(16).padStart(2, '0'), '');
}
