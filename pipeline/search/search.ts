/**
 * `sluice search QUERY` (the engine's query_string syntax, newest `--size` hits shown oldest
 * first) and `sluice trace ID` (every event with that trace.id, across the indices, in time order).
 */
import { hitJson } from './document.js';
import { allInTimeOrder, sortedHits } from './paging.js';
import type { SearchArgs } from './args.js';
import { SearchError, type SearchEngine } from './engine.js';
import { colorOn, narrativeLine, painter, prettyHit } from './render.js';

export type Write = (text: string) => void;

/** A range on @timestamp from `since` ms ago, as a filter clause. */
export function sinceFilter(since: number | undefined, now = Date.now()): Array<Record<string, unknown>> {
  return since === undefined ? [] : [{ range: { '@timestamp': { gte: new Date(now - since).toISOString() } } }];
}

export async function searchCommand(engine: SearchEngine, args: SearchArgs, write: Write): Promise<number> {
  const query = args.positionals.join(' ').trim();
  const must = query ? [{ query_string: { query } }] : [{ match_all: {} }];
  const hits = (await sortedHits(engine, { size: args.size ?? 100, query: { bool: { must, filter: sinceFilter(args.since) } } }, 'desc')).reverse();
  const color = colorOn(process.stdout);
  for (const hit of hits) write(args.json ? hitJson(hit) : prettyHit(hit, color));
  if (!args.json && hits.length === 0) process.stderr.write('sluice search: no matches\n');
  return 0;
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
