/**
 * Every hit of a query in time order, page by page. The (@timestamp, _id) sort with
 * search_after never skips or repeats a document. Elasticsearch 8 refuses to sort on `_id`
 * unless `indices.id_field_data.enabled` is set; there paging falls back to @timestamp alone:
 * each page starts at the last page's timestamp (gte), and the hits at that very timestamp
 * already given are skipped. A page full of one millisecond grows until it holds them all.
 */
import { hitKey, type Hit, type HitsReply } from './document.js';
import { SearchError, type SearchEngine } from './engine.js';

export const PAGE = 1000;
/** The engines' default index.max_result_window: the largest page one request may ask for. */
const MAX_PAGE = 10_000;

const byTime = (direction: 'asc' | 'desc') => ({ '@timestamp': { order: direction, unmapped_type: 'date' } });

/** Time order, `_id` breaking ties so that pages never overlap or skip. */
export const TIME_ORDER = (direction: 'asc' | 'desc') => [byTime(direction), { _id: direction }];

/** The engine's answer when sorting on `_id` is disabled (Elasticsearch 8's default). */
export const isIdSortRefused = (err: unknown) => err instanceof SearchError && err.usage && /_id\b/.test(err.message) && /fielddata|id_field_data/i.test(err.message);

const refusedEngines = new WeakSet<SearchEngine>();

/** Sorted newest (or oldest) first, up to `size` hits, with the `_id` tie-break where allowed. */
export async function sortedHits(engine: SearchEngine, body: Record<string, unknown>, direction: 'asc' | 'desc'): Promise<Hit[]> {
  if (!refusedEngines.has(engine)) {
    try {
      return (await engine.search<HitsReply>({ ...body, sort: TIME_ORDER(direction) })).hits.hits;
    } catch (err) {
      if (!isIdSortRefused(err)) throw err;
      refusedEngines.add(engine);
    }
  }
  return (await engine.search<HitsReply>({ ...body, sort: [byTime(direction)] })).hits.hits;
}

/** `extra`: more of the request body (`_source: false` for a scan that needs only ids). */
export async function* allInTimeOrder(engine: SearchEngine, query: Record<string, unknown>, page = PAGE, extra: Record<string, unknown> = {}): AsyncGenerator<Hit> {
  if (!refusedEngines.has(engine)) {
    let after: unknown[] | undefined;
    for (;;) {
      let hits: Hit[];
      try {
        hits = (await engine.search<HitsReply>({ ...extra, size: page, query, sort: TIME_ORDER('asc'), ...(after ? { search_after: after } : {}) })).hits.hits;
      } catch (err) {
        if (after !== undefined || !isIdSortRefused(err)) throw err;
        refusedEngines.add(engine);
        break;
      }
      for (const hit of hits) yield hit;
      if (hits.length < page) return;
      after = hits[hits.length - 1].sort;
    }
  }
  yield* byTimestampOnly(engine, query, page, extra);
}

/** The fallback paging: see the file's comment. */
export async function* byTimestampOnly(engine: SearchEngine, query: Record<string, unknown>, page = PAGE, extra: Record<string, unknown> = {}): AsyncGenerator<Hit> {
  let from: number | undefined;
  let atFrom = new Set<string>();
  let size = page;
  for (;;) {
    const bounded = from === undefined ? query : { bool: { filter: [query, { range: { '@timestamp': { gte: from, format: 'epoch_millis' } } }] } };
    const hits = (await engine.search<HitsReply>({ ...extra, size, query: bounded, sort: [byTime('asc')] })).hits.hits;
    let fresh = 0;
    for (const hit of hits) {
      if (atFrom.has(hitKey(hit))) continue;
      fresh++;
      yield hit;
    }
    if (hits.length < size) return;
    const last = hits[hits.length - 1].sort?.[0];
    if (typeof last !== 'number') return;
    if (last === from && fresh === 0) {
      if (size >= MAX_PAGE) throw new SearchError(`more than ${MAX_PAGE} documents share the @timestamp ${new Date(last).toISOString()}; this engine cannot sort on _id to page through them (set indices.id_field_data.enabled)`, false);
      size = Math.min(MAX_PAGE, size * 2);
      continue;
    }
    if (last !== from) atFrom = new Set();
    from = last;
    for (const hit of hits) if (hit.sort?.[0] === last) atFrom.add(hitKey(hit));
  }
}
