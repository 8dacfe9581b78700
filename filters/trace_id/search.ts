/**
 * Finds trace and span ids in an event: a walk over its fields that compares each key, once
 * simplified (lower case, no `_`, `-` or `.`), with the wanted names.
 */
import { isFieldObject, type FieldObject } from '../../pipeline/event.js';
import { b3SpanId, b3TraceId, freeformId, parseB3Single, parseTraceparent, type TraceContext } from './ids.js';

const simplified = new Map<string, string>();

/** `X-Request-ID` -> `xrequestid`; memoized, since the same keys come back event after event. */
export function simplifyKey(key: string): string {
  let simple = simplified.get(key);
  if (simple === undefined) {
    simple = key.toLowerCase().replace(/[-_.]/g, '');
    if (simplified.size < 10_000) simplified.set(key, simple);
  }
  return simple;
}

export interface Found {
  traceparent?: TraceContext;
  b3?: TraceContext;
  b3Trace?: string;
  b3Span?: string;
  /** Best named trace id so far and its rank (lower is better). */
  named?: string;
  namedRank: number;
  span?: string;
  spanRank: number;
}

export class FieldSearch {
  private readonly traceRanks: Map<string, number>;
  private readonly spanRanks: Map<string, number>;

  constructor(traceFields: readonly string[], spanFields: readonly string[], private readonly maxDepth: number) {
    this.traceRanks = new Map();
    traceFields.forEach((name, rank) => {
      const key = simplifyKey(name);
      if (!this.traceRanks.has(key)) this.traceRanks.set(key, rank);
    });
    this.spanRanks = new Map();
    spanFields.forEach((name, rank) => {
      const key = simplifyKey(name);
      if (!this.spanRanks.has(key)) this.spanRanks.set(key, rank);
    });
  }

  search(root: FieldObject): Found {
    const found: Found = { namedRank: Infinity, spanRank: Infinity };
    this.walk(root, '', 1, found);
    return found;
  }

  private walk(node: FieldObject, prefix: string, depth: number, found: Found): void {
    for (const key in node) {
      const value = node[key];
      if (value === undefined || value === null || key === '@metadata') continue;
      if (isFieldObject(value)) {
        // `dd: {trace_id}` is found as `ddtraceid`; `trace: {id}` is read directly by the filter.
        if (depth < this.maxDepth) this.walk(value, simplifyKey(key), depth + 1, found);
        continue;
      }
      const simple = simplifyKey(key);
      this.consider(simple, value, found);
      if (prefix.length > 0) this.consider(prefix + simple, value, found);
    }
  }

  private consider(simple: string, value: unknown, found: Found): void {
    if (typeof value === 'string') {
      if (simple === 'traceparent') {
        found.traceparent ??= parseTraceparent(value);
        return;
      }
      if (simple === 'b3') {
        found.b3 ??= parseB3Single(value);
        return;
      }
      if (simple === 'xb3traceid') {
        found.b3Trace ??= b3TraceId(value);
        return;
      }
      if (simple === 'xb3spanid') {
        found.b3Span ??= b3SpanId(value);
        return;
      }
    }
    const traceRank = this.traceRanks.get(simple);
    if (traceRank !== undefined && traceRank < found.namedRank) {
      const id = freeformId(value);
      if (id !== undefined) {
        found.named = id;
        found.namedRank = traceRank;
      }
      return;
    }
    const spanRank = this.spanRanks.get(simple);
    if (spanRank !== undefined && spanRank < found.spanRank) {
      const id = freeformId(value);
      if (id !== undefined) {
        found.span = id;
        found.spanRank = spanRank;
      }
    }
  }
}
