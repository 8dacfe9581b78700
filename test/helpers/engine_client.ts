/** Just enough of the search engine's REST API to check what sluice wrote. */
import { randomBytes } from 'node:crypto';

export async function engineJson<T = Record<string, unknown>>(url: string, path: string, init: { method?: string; body?: unknown } = {}): Promise<T> {
  const res = await fetch(`${url}${path}`, {
    method: init.method ?? 'GET',
    headers: { 'content-type': 'application/json' },
    ...(init.body !== undefined ? { body: typeof init.body === 'string' ? init.body : JSON.stringify(init.body) } : {}),
  });
  return (await res.json()) as T;
}

export async function refresh(url: string, index: string): Promise<void> {
  await engineJson(url, `/${index}/_refresh`, { method: 'POST' });
}

export async function count(url: string, index: string, query?: unknown): Promise<number> {
  await refresh(url, index);
  const body = await engineJson<{ count?: number }>(url, `/${index}/_count`, query === undefined ? {} : { method: 'POST', body: { query } });
  return body.count ?? 0;
}

export interface Hit {
  _id: string;
  _index: string;
  _source: Record<string, unknown>;
}

export async function search(url: string, index: string, query: unknown = { match_all: {} }, size = 10_000): Promise<Hit[]> {
  await refresh(url, index);
  const body = await engineJson<{ hits?: { hits: Hit[] } }>(url, `/${index}/_search`, { method: 'POST', body: { query, size } });
  return body.hits?.hits ?? [];
}

/** Every document id in the indices, paging with search_after (more than 10k docs). */
export async function allIds(url: string, index: string): Promise<string[]> {
  await refresh(url, index);
  const ids: string[] = [];
  let after: unknown[] | undefined;
  for (;;) {
    const body = await engineJson<{ hits: { hits: Array<Hit & { sort: unknown[] }> } }>(url, `/${index}/_search`, {
      method: 'POST',
      body: { size: 10_000, _source: false, sort: [{ seq: 'asc' }], ...(after ? { search_after: after } : {}) },
    });
    const hits = body.hits.hits;
    if (hits.length === 0) return ids;
    for (const hit of hits) ids.push(hit._id);
    after = hits[hits.length - 1].sort;
  }
}

/** Waits until the count reaches `expected` (or the timeout), returning the last count. */
export async function waitForCount(url: string, index: string, expected: number, timeoutMs = 60_000, query?: unknown): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = -1;
  while (Date.now() < deadline) {
    last = await count(url, index, query).catch(() => -1);
    if (last >= expected) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

/** An index prefix no other test uses. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}

/** How often each `seq` of events with this `marker` is in the indices (paging past 10k hits). */
export async function seqCounts(url: string, index: string, marker: string): Promise<Map<number, number>> {
  await refresh(url, `${index}*`);
  const counts = new Map<number, number>();
  let after: unknown[] | undefined;
  for (;;) {
    const body = await engineJson<{ hits: { hits: Array<{ _source: { seq: number }; sort: unknown[] }> } }>(url, `/${index}*/_search`, {
      method: 'POST',
      body: { size: 10_000, query: { term: { marker } }, _source: ['seq'], sort: [{ seq: 'asc' }, { '@timestamp': 'asc' }], ...(after ? { search_after: after } : {}) },
    });
    const hits = body.hits.hits;
    if (hits.length === 0) return counts;
    for (const hit of hits) counts.set(hit._source.seq, (counts.get(hit._source.seq) ?? 0) + 1);
    after = hits[hits.length - 1].sort;
  }
}
