/**
 * `sluice search QUERY` (the engine's query_string syntax, newest `--size` hits shown oldest
 * first) and `sluice trace ID` (every event with that trace.id, across the indices, in time order).
 */
import { hitJson, type Hit, type HitsReply } from './document.js';
import type { SearchArgs } from './args.js';
import { SearchError, type SearchEngine } from './engine.js';
import { colorOn, narrativeLine, painter, prettyHit } from './render.js';

export type Write = (text: string) => void;

/** A range on @timestamp from `since` ms ago, as a filter clause. */
export function sinceFilter(since: number | undefined, now = Date.now()): Array<Record<string, unknown>> {
  return since === undefined ? [] : [{ range: { '@timestamp': { gte: new Date(now - since).toISOString() } } }];
}

/** Time order, `_id` breaking ties so pages never overlap or skip (both engine flavours sort on _id). */
export const TIME_ORDER = (direction: 'asc' | 'desc') => [{ '@timestamp': { order: direction, unmapped_type: 'date' } }, { _id: direction }];

export async function searchCommand(engine: SearchEngine, args: SearchArgs, write: Write): Promise<number> {
  const query = args.positionals.join(' ').trim();
  const must = query ? [{ query_string: { query } }] : [{ match_all: {} }];
  const reply = await engine.search<HitsReply>({
    size: args.size ?? 100,
    query: { bool: { must, filter: sinceFilter(args.since) } },
    sort: TIME_ORDER('desc'),
  });
  const hits = reply.hits.hits.reverse();
  const color = colorOn(process.stdout);
  for (const hit of hits) write(args.json ? hitJson(hit) : prettyHit(hit, color));
  if (!args.json && hits.length === 0) process.stderr.write('sluice search: no matches\n');
  return 0;
}

const PAGE = 1000;

/** Every hit of `query`, oldest first, paged with search_after. */
export async function* allInTimeOrder(engine: SearchEngine, query: Record<string, unknown>, page = PAGE): AsyncGenerator<Hit> {
  let after: unknown[] | undefined;
  for (;;) {
    const reply = await engine.search<HitsReply>({ size: page, query, sort: TIME_ORDER('asc'), ...(after ? { search_after: after } : {}) });
    const hits = reply.hits.hits;
    for (const hit of hits) yield hit;
    if (hits.length < page) return;
    after = hits[hits.length - 1].sort;
  }
}

export async function traceCommand(engine: SearchEngine, args: SearchArgs, write: Write): Promise<number> {
  const id = args.positionals[0];
  if (!id || args.positionals.length > 1) throw new SearchError('sluice trace: expected one trace id', true);
  const paint = painter(process.stdout);
  let found = 0;
  for await (const hit of allInTimeOrder(engine, { bool: { filter: [{ term: { 'trace.id': id } }, ...sinceFilter(args.since)] } })) {
    found++;
    write(args.json ? hitJson(hit) : narrativeLine(hit, paint));
  }
  if (found === 0) {
    process.stderr.write(`sluice trace: no event carries trace.id ${JSON.stringify(id)} in ${engine.target.index}\n`);
    return 1;
  }
  return 0;
}
