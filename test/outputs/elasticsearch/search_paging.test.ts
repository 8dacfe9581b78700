/**
 * The time-ordered paging of the search commands against the real engine, both ways: the
 * (@timestamp, _id) search_after paging, and the @timestamp-only fallback used when the engine
 * refuses to sort on _id (Elasticsearch 8 by default), through many documents that share one
 * millisecond (more than a page of them).
 */
import { describe, expect, inject, it } from 'vitest';
import { engineJson, refresh, uniqueName } from '../../helpers/engine_client.js';
import { SearchEngine, SearchError } from '../../../pipeline/search/engine.js';
import { allInTimeOrder, byTimestampOnly, isIdSortRefused } from '../../../pipeline/search/paging.js';
import { resolveTarget } from '../../../pipeline/search/engine.js';
import type { Hit } from '../../../pipeline/search/document.js';

const url = inject('engineUrl');

async function collect(hits: AsyncGenerator<Hit>): Promise<Hit[]> {
  const out: Hit[] = [];
  for await (const hit of hits) out.push(hit);
  return out;
}

describe('time-ordered paging', () => {
  it('gives every document once, in time order, with _id ties and with the timestamp-only fallback', async () => {
    const index = uniqueName('paging');
    // 1200 documents in one millisecond, then 300 spread after it, in two indices.
    const same = '2026-11-30T10:00:00.000Z';
    const lines: string[] = [];
    for (let i = 0; i < 1500; i++) {
      const at = i < 1200 ? same : new Date(Date.parse(same) + (i - 1199) * 7).toISOString();
      lines.push(JSON.stringify({ index: { _index: `${index}-${i % 2}` } }), JSON.stringify({ '@timestamp': at, seq: i }));
    }
    await engineJson(url, '/_bulk', { method: 'POST', body: `${lines.join('\n')}\n` });
    await refresh(url, `${index}-*`);
    const engine = new SearchEngine(await resolveTarget({ url, index: `${index}-*` }, {}));
    try {
      for (const paged of [allInTimeOrder(engine, { match_all: {} }, 500), byTimestampOnly(engine, { match_all: {} }, 500)]) {
        const hits = await collect(paged);
        const seqs = hits.map((h) => (h._source as { seq: number }).seq);
        expect(new Set(hits.map((h) => `${h._index}/${h._id}`)).size).toBe(1500);
        expect(seqs).toHaveLength(1500);
        expect(seqs.slice(1200)).toEqual(Array.from({ length: 300 }, (_, i) => 1200 + i));
      }
    } finally {
      await engine.close();
    }
  });

  it('knows the engine refusing to sort on _id from other refusals', () => {
    const es8 = new SearchError('the engine refused the query: Fielddata access on the _id field is disallowed, you can re-enable it by updating the dynamic cluster setting: indices.id_field_data.enabled', true);
    expect(isIdSortRefused(es8)).toBe(true);
    expect(isIdSortRefused(new SearchError('the engine refused the query: Failed to parse query [level:(]', true))).toBe(false);
    expect(isIdSortRefused(new Error('Fielddata access on the _id field is disallowed'))).toBe(false);
  });
});
