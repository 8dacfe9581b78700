/**
 * Recognizers for the id formats apps send: W3C trace context, Zipkin's B3, and free-form
 * request ids. Hex ids are lower-cased so that one trace is one term in the index.
 */

function isHex(text: string, allowDashes = false): boolean {
  if (text.length === 0) return false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i) | 0x20;
    if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (allowDashes && c === 0x2d))) return false;
  }
  return true;
}

function isAllZero(text: string): boolean {
  for (let i = 0; i < text.length; i++) if (text[i] !== '0' && text[i] !== '-') return false;
  return true;
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
  if (!isHex(traceId) || !isHex(spanId) || !isHex(text.slice(53, 55))) return undefined;
  if (isAllZero(traceId) || isAllZero(spanId)) return undefined;
  return { traceId: traceId.toLowerCase(), spanId: spanId.toLowerCase() };
}

/** B3 ids: 16 or 32 hex digits for a trace, 16 for a span. */
export function b3TraceId(value: string): string | undefined {
  const text = value.trim();
  return (text.length === 16 || text.length === 32) && isHex(text) && !isAllZero(text) ? text.toLowerCase() : undefined;
}

export function b3SpanId(value: string): string | undefined {
  const text = value.trim();
  return text.length === 16 && isHex(text) && !isAllZero(text) ? text.toLowerCase() : undefined;
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

/**
 * A free-form id from a named field: a number (Datadog's decimal ids) or a short token without spaces.
 * One pass over the characters answers every question (allowed, all zero, hex, upper case): this runs
 * on every event that carries an id.
 */
export function freeformId(value: unknown): string | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) && value > 0 ? String(value) : undefined;
  if (typeof value !== 'string' || value.length === 0) return undefined;
  const text = mayNeedTrim(value) ? value.trim() : value;
  if (text.length === 0 || text.length > MAX_ID_LENGTH) return undefined;
  let allZero = true;
  let hex = true;
  let upper = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c <= 32 || c === 34 || c === 39 || c > 126) return undefined;
    if (c === 48 || c === 45) continue;
    allZero = false;
    if (c >= 65 && c <= 70) upper = true;
    else if (!((c >= 48 && c <= 57) || (c >= 97 && c <= 102))) hex = false;
  }
  if (allZero) return undefined;
  return hex && upper ? text.toLowerCase() : text;
}

export function randomTraceId(): string {
  return crypto.getRandomValues(new Uint8Array(16)).reduce((hex, byte) => hex + byte.toString(16).padStart(2, '0'), '');
}
