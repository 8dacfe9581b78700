/**
 * Ids written into the log line itself: `trace_id=4bf9…`, `traceId: "…"`, `request_id=…`,
 * `traceparent: 00-…-…-01`. A substring check guards the regexes, so plain lines cost one scan.
 */
import { freeformId, parseTraceparent, type TraceContext } from './ids.js';

const TRACEPARENT = /traceparent["']?\s*[:=]\s*["']?([0-9a-fA-F]{2}-[0-9a-fA-F]{32}-[0-9a-fA-F]{16}-[0-9a-fA-F]{2})/i;
const TRACE_ID = /\b(?:trace[_.-]?id|request[_.-]?id|correlation[_.-]?id)["']?\s*[:=]\s*["']?([A-Za-z0-9][A-Za-z0-9._:-]{3,127})/i;
const SPAN_ID = /\bspan[_.-]?id["']?\s*[:=]\s*["']?([A-Za-z0-9][A-Za-z0-9._:-]{3,127})/i;

export function traceFromMessage(message: string): TraceContext | undefined {
  const lower = message.length > 8192 ? message.slice(0, 8192).toLowerCase() : message.toLowerCase();
  if (lower.includes('traceparent')) {
    const m = TRACEPARENT.exec(message);
    const context = m ? parseTraceparent(m[1]) : undefined;
    if (context) return context;
  }
  if (!lower.includes('trace') && !lower.includes('request') && !lower.includes('correlation')) return undefined;
  const m = TRACE_ID.exec(message);
  const traceId = m ? freeformId(m[1]) : undefined;
  if (traceId === undefined) return undefined;
  const span = lower.includes('span') ? SPAN_ID.exec(message) : null;
  const spanId = span ? freeformId(span[1]) : undefined;
  return spanId === undefined ? { traceId } : { traceId, spanId };
}
