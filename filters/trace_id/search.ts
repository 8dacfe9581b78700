/**
 * Finds trace and span ids in an event: a walk over its fields that compares each key, once
 * simplified (lower case, no `_`, `-` or `.`), with the wanted names. A nested key is also
 * tried with its parent's name in front (`dd: {trace_id}` is `ddtraceid`).
 *
 * What a key means is worked out once and remembered as a KeyRole: the same keys come back
 * event after event, so the hot path is one map lookup per key, with no string building, and at
 * the top level, where they mostly come back in the same order too, one string compare
 * (KeyOrderMemo).
 */
import { isFieldObject, type FieldObject } from '../../pipeline/event.js';
import { KeyOrderMemo } from '../../pipeline/key_order_memo.js';
import { b3SpanId, b3TraceId, freeformId, parseB3Single, parseTraceparent, type TraceContext } from './ids.js';

/** `X-Request-ID` -> `xrequestid`. */
function simplifyKey(key: string): string {
  return key.toLowerCase().replace(/[-_.]/g, '');
}

export interface Found {
  traceparent?: TraceContext;
  b3?: TraceContext;
  b3Trace?: string;
  b3Span?: string;
  /** Best named trace id and span id so far, with their ranks (lower is better). */
  named: RankedId;
  span: RankedId;
}

export interface RankedId {
  id?: string;
  rank: number;
}

const enum Header {
  None,
  Traceparent,
  B3,
  B3TraceId,
  B3SpanId,
}

const HEADERS: ReadonlyMap<string, Header> = new Map([
  ['traceparent', Header.Traceparent],
  ['b3', Header.B3],
  ['xb3traceid', Header.B3TraceId],
  ['xb3spanid', Header.B3SpanId],
]);

interface KeyRole {
  readonly simple: string;
  readonly header: Header;
  /** Rank in the trace / span field lists; Infinity when the key is not in them. */
  readonly traceRank: number;
  readonly spanRank: number;
  /** Whether a string value can be an id at all; false lets the walk skip the key. */
  readonly wanted: boolean;
  /** Roles of the keys below this one, with this key's name in front. */
  children?: Map<string, KeyRole>;
}

/** Bounds the memory an app with ever-new key names (ids as keys) can make the caches take. */
const MAX_CACHED_ROLES = 10_000;

export class FieldSearch {
  private readonly traceRanks = new Map<string, number>();
  private readonly spanRanks = new Map<string, number>();
  private readonly roles = new Map<string, KeyRole>();
  private cachedRoles = 0;
  private readonly topRoles = new KeyOrderMemo((key) => this.keyRole(key));
  /** One answer, cleared for each search: three objects less per event. */
  private readonly found: Found = { named: { rank: Infinity }, span: { rank: Infinity } };

  constructor(traceFields: readonly string[], spanFields: readonly string[], private readonly maxDepth: number) {
    rank(traceFields, this.traceRanks);
    rank(spanFields, this.spanRanks);
  }

  /** What `root` holds; the answer is this search's own and valid until the next search. */
  search(root: FieldObject): Readonly<Found> {
    const found = this.found;
    found.traceparent = found.b3 = found.b3Trace = found.b3Span = undefined;
    found.named.id = found.span.id = undefined;
    found.named.rank = found.span.rank = Infinity;
    this.walk(root, undefined, 1, found);
    return found;
  }

  private keyRole(key: string): KeyRole {
    return this.roles.get(key) ?? this.remember(this.roles, key, simplifyKey(key));
  }

  private walk(node: FieldObject, parent: KeyRole | undefined, depth: number, found: Found): void {
    let position = -1;
    for (const key in node) {
      position++;
      const value = node[key];
      if (value === undefined || value === null || key === '@metadata') continue;
      const role = parent === undefined ? this.topRoles.at(key, position) : this.keyRole(key);
      if (isFieldObject(value)) {
        // `trace: {id}` is read directly by the filter.
        if (depth < this.maxDepth) this.walk(value, role, depth + 1, found);
        continue;
      }
      if (role.wanted) consider(role, value, found);
      if (parent !== undefined) {
        const children = (parent.children ??= new Map());
        const prefixed = children.get(key) ?? this.remember(children, key, parent.simple + role.simple);
        if (prefixed.wanted) consider(prefixed, value, found);
      }
    }
  }

  private roleOf(simple: string): KeyRole {
    const header = HEADERS.get(simple) ?? Header.None;
    const traceRank = this.traceRanks.get(simple) ?? Infinity;
    const spanRank = this.spanRanks.get(simple) ?? Infinity;
    return { simple, header, traceRank, spanRank, wanted: header !== Header.None || traceRank !== Infinity || spanRank !== Infinity };
  }

  /** The role of a key seen for the first time, kept in `cache` while the bound allows. */
  private remember(cache: Map<string, KeyRole>, key: string, simple: string): KeyRole {
    const role = this.roleOf(simple);
    if (this.cachedRoles < MAX_CACHED_ROLES) {
      cache.set(key, role);
      this.cachedRoles++;
    }
    return role;
  }
}

function rank(fields: readonly string[], into: Map<string, number>): void {
  fields.forEach((name, position) => {
    const key = simplifyKey(name);
    if (!into.has(key)) into.set(key, position);
  });
}

function considerHeader(header: Header, value: string, found: Found): void {
  switch (header) {
    case Header.Traceparent:
      found.traceparent ??= parseTraceparent(value);
      break;
    case Header.B3:
      found.b3 ??= parseB3Single(value);
      break;
    case Header.B3TraceId:
      found.b3Trace ??= b3TraceId(value);
      break;
    case Header.B3SpanId:
      found.b3Span ??= b3SpanId(value);
      break;
  }
}

/** Takes a named field's value when it outranks what was found; true when the rank qualified, usable or not. */
function offer(best: RankedId, rank: number, value: unknown): boolean {
  if (rank >= best.rank) return false;
  const id = freeformId(value);
  if (id !== undefined) {
    best.id = id;
    best.rank = rank;
  }
  return true;
}

function consider(role: KeyRole, value: unknown, found: Found): void {
  if (role.header !== Header.None && typeof value === 'string') {
    considerHeader(role.header, value, found);
    return;
  }
  if (!offer(found.named, role.traceRank, value)) offer(found.span, role.spanRank, value);
}
