/**
 * What to do with each event of a bulk request, from the response alone (Vector's retry.rs
 * habit): a pure function, tested with tables and no server.
 */

export type Verdict =
  | { kind: 'delivered'; duplicate: boolean }
  | { kind: 'retry'; reason: string }
  | { kind: 'dead_letter'; status: number; reason: string; error: unknown };

export interface BulkItemResult {
  status: number;
  error?: { type?: string; reason?: string } | string;
}

export interface BulkResponseBody {
  errors?: boolean;
  items?: Array<Record<string, BulkItemResult>>;
}

/** The outcome of one HTTP exchange, or of a failure to have one; `taken`: a 2xx reply that took every item, seen without parsing it. */
export type BulkOutcome =
  | { kind: 'failed'; reason: string }
  | { kind: 'taken'; status: number }
  | { kind: 'response'; status: number; body: BulkResponseBody | undefined; text: string };

const TAKEN_PREFIX = Buffer.from('{"errors":false,');
const STATUS_KEY = Buffer.from('"status":');

/**
 * Whether a bulk reply (asked for `errors` and each item's status and error, in that order) says
 * every one of `count` items was taken, read from its bytes. A reply of 5000 items is ~130 KB, and
 * V8 allocates what JSON.parse makes of a text that long straight in the old generation: parsed
 * for every bulk, it was most of what the output left for full collections. Anything else,
 * including a reply this does not recognize, is parsed and judged item by item.
 */
export function repliedAllTaken(reply: Buffer, count: number): boolean {
  if (reply.length < TAKEN_PREFIX.length || !reply.subarray(0, TAKEN_PREFIX.length).equals(TAKEN_PREFIX)) return false;
  if (itemsOfOneForm(reply, count)) return true;
  let found = 0;
  for (let at = reply.indexOf(STATUS_KEY); at !== -1; at = reply.indexOf(STATUS_KEY, at + STATUS_KEY.length)) {
    if (++found > count) return false;
  }
  return found === count;
}

const ITEMS_KEY = Buffer.from('"items":[');
/** Where the first item starts: `{"errors":false,"items":[` before it. */
const ITEMS_AT = TAKEN_PREFIX.length + ITEMS_KEY.length;
const ITEM_END = Buffer.from('}}');
const [OPEN, CLOSE, COMMA, LIST_END, TWO] = [0x7b, 0x7d, 0x2c, 0x5d, 0x32];

/**
 * A taken bulk's reply is `count` items of one form, `{"create":{"status":201}}`: its length says
 * how many there are, and a few bytes at fixed places per item confirm it, where finding each
 * `"status":` was a call into C++ per item (~40 ns per event).
 */
function itemsOfOneForm(reply: Buffer, count: number): boolean {
  if (count === 0 || reply.indexOf(ITEMS_KEY, TAKEN_PREFIX.length) !== TAKEN_PREFIX.length) return false;
  const firstEnd = reply.indexOf(ITEM_END, ITEMS_AT);
  const statusAt = firstEnd - 3 - STATUS_KEY.length;
  if (firstEnd === -1 || reply.indexOf(STATUS_KEY, ITEMS_AT) !== statusAt) return false;
  const size = firstEnd + ITEM_END.length - ITEMS_AT;
  if (reply.length !== ITEMS_AT + count * (size + 1) + 1) return false;
  for (let i = 0, at = ITEMS_AT; i < count; i++, at += size + 1) {
    const end = at + size;
    if (reply[at] !== OPEN || reply[end - 1] !== CLOSE || reply[end - 2] !== CLOSE || reply[end - 5] !== TWO || reply[end] !== (i < count - 1 ? COMMA : LIST_END)) return false;
  }
  return reply[reply.length - 1] === CLOSE;
}

function describeError(error: BulkItemResult['error']): string {
  if (error === undefined) return 'no reason given';
  if (typeof error === 'string') return error;
  return [error.type, error.reason].filter(Boolean).join(': ') || JSON.stringify(error);
}

/** Per item: 2xx delivered; 409 on create delivered (it was already there); 429, 5xx, 403 (cluster blocks) and 408 retried; the rest dead-lettered. */
export function itemVerdict(item: BulkItemResult, action: 'create' | 'index'): Verdict {
  const { status } = item;
  if (status >= 200 && status < 300) return { kind: 'delivered', duplicate: false };
  if (status === 409 && action === 'create') return { kind: 'delivered', duplicate: true };
  if (status === 429 || status >= 500 || status === 403 || status === 408) return { kind: 'retry', reason: `item ${status}: ${describeError(item.error)}` };
  return { kind: 'dead_letter', status, reason: describeError(item.error), error: item.error ?? null };
}

/** The engine took every event of the request: nothing to judge one by one. */
export function takenWhole(outcome: BulkOutcome, count: number): boolean {
  if (outcome.kind === 'taken') return true;
  return outcome.kind === 'response' && outcome.status >= 200 && outcome.status < 300 && outcome.body?.errors === false && outcome.body.items?.length === count;
}

/** One verdict per event of the request, in order. */
export function bulkVerdicts(outcome: BulkOutcome, count: number, action: 'create' | 'index'): Verdict[] {
  const all = (verdict: Verdict) => Array.from({ length: count }, () => verdict);
  if (outcome.kind === 'failed') return all({ kind: 'retry', reason: outcome.reason });
  if (outcome.kind === 'taken') return all({ kind: 'delivered', duplicate: false });
  const { status, body } = outcome;
  if (status === 429 || status >= 500 || status === 401 || status === 403 || status === 408) {
    // Auth and cluster-level refusals are the operator's to fix: retrying holds the events (and pushes back) instead of losing them.
    return all({ kind: 'retry', reason: `request ${status}: ${outcome.text.slice(0, 300)}` });
  }
  if (status === 413) return all({ kind: 'retry', reason: 'request 413: body too large' });
  if (status < 200 || status >= 300 || !body || !Array.isArray(body.items)) {
    return all({ kind: 'dead_letter', status, reason: `request ${status}: ${outcome.text.slice(0, 300)}`, error: null });
  }
  if (body.items.length !== count) return all({ kind: 'retry', reason: `response has ${body.items.length} items for ${count} events` });
  if (body.errors === false) return all({ kind: 'delivered', duplicate: false });
  return body.items.map((entry) => {
    const result = entry.create ?? entry.index ?? Object.values(entry)[0];
    return result ? itemVerdict(result, action) : { kind: 'retry', reason: 'item without a result' };
  });
}
