/**
 * `sluice errors`: the top exceptions in the window, grouped by error.fingerprint (the exception
 * filter's grouping key), with count, first and last seen, type, culprit and a sample message.
 * `--new` keeps the fingerprints never seen before the window: a second query asks, for those
 * fingerprints only, when each was first seen over all time.
 */
import type { Event } from '../event.js';
import type { SearchArgs } from './args.js';
import type { SearchEngine } from './engine.js';
import { messageOf, serviceOf } from './document.js';
import { painter, errorGroupLines, type ErrorGroup } from './render.js';
import { sinceFilter, type Write } from './search.js';

interface DateStat {
  value: number | null;
  value_as_string?: string;
}

interface FingerprintBucket {
  key: string;
  doc_count: number;
  first: DateStat;
  last: DateStat;
  sample?: { hits: { hits: Array<{ _source: Event }> } };
}

interface GroupsReply {
  aggregations?: { fingerprints: { buckets: FingerprintBucket[] } };
}

const DEFAULT_SINCE = 86_400_000;
const HAS_FINGERPRINT = { exists: { field: 'error.fingerprint' } };

const when = (stat: DateStat) => (stat.value === null ? '-' : new Date(stat.value).toISOString());

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

function groupOf(bucket: FingerprintBucket): ErrorGroup {
  const doc = bucket.sample?.hits.hits[0]?._source ?? {};
  const error = (typeof doc.error === 'object' && doc.error !== null && !Array.isArray(doc.error) ? doc.error : {}) as Record<string, unknown>;
  return {
    fingerprint: bucket.key,
    count: bucket.doc_count,
    firstSeen: when(bucket.first),
    lastSeen: when(bucket.last),
    type: str(error.type),
    culprit: str(error.culprit),
    message: str(error.message) ?? (messageOf(doc) || undefined),
    service: serviceOf(doc),
  };
}

export async function errorsCommand(engine: SearchEngine, args: SearchArgs, write: Write): Promise<number> {
  const since = args.since ?? DEFAULT_SINCE;
  const now = Date.now();
  const start = now - since;
  const size = args.size ?? 20;
  // With --new, look at more groups than shown: the new ones may not be the most frequent.
  const groupsAsked = args.newOnly ? Math.max(size, 1000) : size;
  const reply = await engine.search<GroupsReply>({
    size: 0,
    query: { bool: { filter: [HAS_FINGERPRINT, ...sinceFilter(since, now)] } },
    aggs: {
      fingerprints: {
        terms: { field: 'error.fingerprint', size: groupsAsked, order: { _count: 'desc' } },
        aggs: {
          first: { min: { field: '@timestamp' } },
          last: { max: { field: '@timestamp' } },
          sample: { top_hits: { size: 1, sort: [{ '@timestamp': { order: 'desc' } }], _source: { includes: ['error.*', 'message', 'service', 'service.*', 'host.name'] } } },
        },
      },
    },
  });
  let buckets = reply.aggregations?.fingerprints.buckets ?? [];
  if (args.newOnly && buckets.length > 0) {
    const firstEver = await firstSeenEver(engine, buckets.map((b) => b.key));
    buckets = buckets.filter((b) => (firstEver.get(b.key) ?? 0) >= start);
  }
  const groups = buckets.slice(0, size).map(groupOf);
  const paint = painter(process.stdout);
  for (const group of groups) write(args.json ? `${JSON.stringify(group)}\n` : errorGroupLines(group, paint));
  if (!args.json && groups.length === 0) process.stderr.write(`sluice errors: no ${args.newOnly ? 'new ' : ''}exceptions with an error.fingerprint in the window\n`);
  return 0;
}

/** For each fingerprint, the earliest @timestamp in the whole index pattern. */
async function firstSeenEver(engine: SearchEngine, fingerprints: string[]): Promise<Map<string, number>> {
  const reply = await engine.search<GroupsReply>({
    size: 0,
    query: { bool: { filter: [{ terms: { 'error.fingerprint': fingerprints } }] } },
    aggs: { fingerprints: { terms: { field: 'error.fingerprint', size: fingerprints.length }, aggs: { first: { min: { field: '@timestamp' } } } } },
  });
  const map = new Map<string, number>();
  for (const bucket of reply.aggregations?.fingerprints.buckets ?? []) map.set(bucket.key, bucket.first.value ?? 0);
  return map;
}
