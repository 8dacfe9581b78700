/**
 * `sluice tail`: follows documents as they become searchable. Each poll reads, in (@timestamp,
 * _id) order with search_after, everything from `lookback` before the newest timestamp seen so
 * far; a document is printed the first time it shows up and remembered while it is inside that
 * window, so a late-indexed document (a slow shipper, a refresh not yet done, a retried bulk)
 * is still printed, once. Only one whose @timestamp is older than the lookback by the time it
 * becomes searchable is missed.
 *
 * `--where` takes the `when:` condition language, compiled by pipeline/condition and evaluated
 * here on each document: it is not translated into an engine query.
 */
import { compileCondition, type Condition } from '../condition/index.js';
import { hitJson, hitKey } from './document.js';
import type { SearchArgs } from './args.js';
import type { SearchEngine } from './engine.js';
import { colorOn, prettyHit } from './render.js';
import { allInTimeOrder } from './paging.js';
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
    for await (const hit of allInTimeOrder(engine, query)) {
      const key = hitKey(hit);
      if (seen.has(key)) continue;
      const at = typeof hit.sort?.[0] === 'number' ? hit.sort[0] : from;
      seen.set(key, at);
      if (at > newest) newest = at;
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
