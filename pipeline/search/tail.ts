/**
 * `sluice tail`: follows documents as they become searchable. Each poll reads, in (@timestamp,
 * _id) order with search_after, everything from `lookback` before the newest timestamp seen so
 * far; a document is printed the first time it shows up and remembered while it is inside that
 * window, so a late-indexed document (a slow shipper, a refresh not yet done, a retried bulk)
 * is still printed, once. Only one whose @timestamp is older than the lookback by the time it
 * becomes searchable is missed.
 *
 * Each poll reads only ids and sort values over the window, then fetches the documents not
 * printed yet: re-reading the window stays cheap (20k documents in about 100 ms, 4 times faster
 * than with their sources, on the test engine).
 *
 * `--where` takes the `when:` condition language, compiled by pipeline/condition and evaluated
 * here on each document: it is not translated into an engine query.
 */
import { compileCondition, type Condition } from '../condition/index.js';
import { hitJson, hitKey, type Hit, type HitsReply } from './document.js';
import type { SearchArgs } from './args.js';
import type { SearchEngine } from './engine.js';
import { colorOn, prettyHit } from './render.js';
import { allInTimeOrder, PAGE } from './paging.js';
import type { Write } from './search.js';

export interface TailOptions {
  /** Resolves when the tail should stop (a signal, a test). */
  stop: Promise<void>;
}

const sleep = (ms: number, stop: Promise<void>) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    void stop.then(() => {
      clearTimeout(timer);
      resolve();
    });
  });

/** The hits again, in their order, with their documents (an ids query per page of them). */
async function withSources(engine: SearchEngine, hits: Hit[]): Promise<Hit[]> {
  const out: Hit[] = [];
  for (let i = 0; i < hits.length; i += PAGE) {
    const chunk = hits.slice(i, i + PAGE);
    const reply = await engine.search<HitsReply>({ size: PAGE * 2, query: { ids: { values: [...new Set(chunk.map((h) => h._id))] } } });
    const byKey = new Map(reply.hits.hits.map((h) => [hitKey(h), h]));
    for (const hit of chunk) {
      const full = byKey.get(hitKey(hit));
      // Deleted between the two requests (an ILM rollover, a delete): nothing left to print.
      if (full) out.push({ ...hit, _source: full._source });
    }
  }
  return out;
}

export async function tailCommand(engine: SearchEngine, args: SearchArgs, write: Write, options: TailOptions): Promise<number> {
  const where: Condition | undefined = args.where === undefined ? undefined : compileCondition(args.where);
  const color = colorOn(process.stdout);
  let stopped = false;
  void options.stop.then(() => (stopped = true));
  // From now, or from --since ago; never earlier than that, however far the lookback reaches.
  const origin = Date.now() - (args.since ?? 0);
  let newest = origin;
  const seen = new Map<string, number>();
  while (!stopped) {
    const from = Math.max(origin, newest - args.lookback);
    const query = { bool: { filter: [{ range: { '@timestamp': { gte: new Date(from).toISOString() } } }] } };
    // The scan reads ids and sort values only; the documents not seen yet are fetched after.
    const unseen: Hit[] = [];
    for await (const hit of allInTimeOrder(engine, query, PAGE, { _source: false })) {
      const key = hitKey(hit);
      if (seen.has(key)) continue;
      const at = typeof hit.sort?.[0] === 'number' ? hit.sort[0] : from;
      seen.set(key, at);
      if (at > newest) newest = at;
      unseen.push(hit);
    }
    for (const hit of await withSources(engine, unseen)) {
      if (where && !where(hit._source)) continue;
      write(args.json ? hitJson(hit) : prettyHit(hit, color));
    }
    // Forget what the next poll cannot return any more.
    const floor = Math.max(origin, newest - args.lookback);
    for (const [key, at] of seen) if (at < floor) seen.delete(key);
    await sleep(args.interval, options.stop);
  }
  return 0;
}
