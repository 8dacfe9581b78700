/**
 * End to end: the corpus traces and the shipper records over TCP through the default
 * pipeline's filters into a real engine, with sluice's index template: each document carries
 * its error fields, a terms aggregation on `error.fingerprint` has one bucket per bug, and the
 * template makes the grouping fields keywords and traces searchable text.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../helpers/sluice.js';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';
import { engineJson, search, uniqueName, waitForCount, type Hit } from '../helpers/engine_client.js';
import { corpusDir, expectedCulprit, shipperCases, traceCases, traceText } from './exception_cases.js';

afterAll(killAllSluices);

const url = inject('engineUrl');

function pipeline(prefix: string): string {
  const output = (id: string, index: string, when: string) => `
  - type: elasticsearch
    id: ${id}
    when: '${when}'
    hosts: ${url}
    index: ${index}-%{+yyyy.MM.dd}
    template: { name: ${index} }
    batch: { timeout: 0.2 }`;
  // structlog's dict_tracebacks make \`exception\` a list of objects where its text form is a string:
  // one index cannot map both, so the dicts get an index of their own.
  return `
api: { port: 0 }
inputs:
  - { type: tcp, id: in, port: 0 }
filters:
  - { type: json, skip_on_invalid_json: true }
  - { type: trace_id }
  - { type: exception }
outputs:${output('es', prefix, 'not [exception][0]')}${output('es_dicts', `${prefix}dicts`, '[exception][0]')}
`;
}

interface Buckets {
  buckets: Array<{ key: string; doc_count: number }>;
}

interface Sent {
  case: string;
  group: string;
}

/** The README's "top exceptions by fingerprint" query, read from the README so the two stay in step. */
function readmeQuery(): Record<string, unknown> {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('POST /sluice-*/_search\n');
  expect(start, 'README shows the top exceptions query').toBeGreaterThan(-1);
  const body = readme.slice(start + 'POST /sluice-*/_search\n'.length, readme.indexOf('```', start));
  return JSON.parse(body) as Record<string, unknown>;
}

describe.skipIf(corpusDir === undefined)('exception filter into the engine', () => {
  it('indexes every trace with its error fields; one fingerprint bucket per bug; keyword and text mappings', async () => {
    const prefix = uniqueName('exceptions');
    const sluice = await startSluice(pipeline(prefix));
    const sent: Sent[] = [];
    const lines: string[] = [];
    for (const c of traceCases) {
      // As python-logstash or logback would ship it (the trace beside the message), and as a bare log line.
      lines.push(JSON.stringify({ case: `${c.file}#field`, message: 'request failed', level: 'ERROR', stack_trace: traceText(c) }));
      lines.push(JSON.stringify({ case: `${c.file}#message`, message: traceText(c) }));
      sent.push({ case: `${c.file}#field`, group: c.group }, { case: `${c.file}#message`, group: c.group });
    }
    for (const c of shipperCases) {
      lines.push(JSON.stringify({ ...(JSON.parse(c.line!) as Record<string, unknown>), case: c.id }));
      sent.push({ case: c.id!, group: c.group });
    }
    // A trace far longer than the keyword sub-field keeps: still indexed, its keyword cut.
    const deep = `Traceback (most recent call last):\n${'  File "/srv/app/shop/tree.py", line 4, in depth\n    return 1 + depth(node)\n'.repeat(3000)}RecursionError: maximum recursion depth exceeded\n`;
    lines.push(JSON.stringify({ case: 'deep', level: 'ERROR', message: 'deep', stack_trace: deep }));
    await sendTcp(sluice.port('in'), `${lines.join('\n')}\n`);

    const indices = `${prefix}-*,${prefix}dicts-*`;
    expect(await waitForCount(url, indices, lines.length, 60_000)).toBe(lines.length);
    expect(await sluice.settledCounter('output_events_delivered_total', undefined, lines.length)).toBe(lines.length);
    expect(await sluice.counter('output_events_dead_lettered_total')).toBe(0);
    const hits = await search(url, indices);
    const byCase = new Map<string, Hit['_source']>(hits.map((h) => [String(h._source.case), h._source]));
    for (const c of [...traceCases.flatMap((t) => [{ ...t, key: `${t.file}#field` }, { ...t, key: `${t.file}#message` }]), ...shipperCases.map((s) => ({ ...s, key: s.id! }))]) {
      const error = byCase.get(c.key)?.error as Record<string, unknown> | undefined;
      expect(error, c.key).toMatchObject({ type: c.type, chain: c.chain, frames: c.frames, fingerprint: expect.stringMatching(/^[0-9a-f]{16}$/) });
      expect(error?.culprit, c.key).toBe(expectedCulprit(c));
    }

    // One bucket per bug: every bucket holds one group label, and there are as many buckets as labels.
    const groups = new Set(sent.map((s) => s.group));
    const aggs = await engineJson<{ aggregations: { bugs: { value: number }; by: { buckets: Array<{ key: string; cases: { buckets: Array<{ key: string }> } }> } } }>(url, `/${indices}/_search`, {
      method: 'POST',
      body: {
        size: 0,
        query: { bool: { must_not: { term: { case: 'deep' } } } },
        aggs: { bugs: { cardinality: { field: 'error.fingerprint' } }, by: { terms: { field: 'error.fingerprint', size: 500 }, aggs: { cases: { terms: { field: 'case', size: 500 } } } } },
      },
    });
    const groupOf = new Map(sent.map((s) => [s.case, s.group]));
    const labelsPerBucket = aggs.aggregations.by.buckets.map((b) => new Set(b.cases.buckets.map((k) => groupOf.get(k.key))));
    expect(labelsPerBucket.filter((labels) => labels.size !== 1)).toEqual([]);
    expect(aggs.aggregations.by.buckets).toHaveLength(groups.size);
    expect(aggs.aggregations.bugs.value).toBe(groups.size);

    // The README's query: one bucket per bug with its first and last sighting, type and culprit.
    const top = await engineJson<{ aggregations: { bugs: { buckets: Array<{ key: string; doc_count: number; first_seen: { value: number }; last_seen: { value: number }; type: Buckets; culprit: Buckets }> } } }>(
      url,
      `/${prefix}-*/_search`,
      { method: 'POST', body: readmeQuery() },
    );
    expect(top.aggregations.bugs.buckets.length).toBeGreaterThan(10);
    for (const bug of top.aggregations.bugs.buckets) {
      expect(bug.first_seen.value).toBeLessThanOrEqual(bug.last_seen.value);
      expect(bug.type.buckets[0].key).toEqual(expect.any(String));
    }

    // The template: grouping fields are keywords, traces are text searchable inside, with a cut keyword.
    const mapping = await engineJson<Record<string, { mappings: { properties: { error: { properties: Record<string, { type: string; fields?: Record<string, { type: string }> }> } } } }>>(url, `/${prefix}-*/_mapping`);
    const error = Object.values(mapping)[0].mappings.properties.error.properties;
    expect([error.type.type, error.fingerprint.type, error.culprit.type]).toEqual(['keyword', 'keyword', 'keyword']);
    expect(error.stack_trace.type).toBe('text');
    expect(error.stack_trace.fields?.keyword.type).toBe('keyword');
    const inside = await search(url, `${prefix}-*`, { match_phrase: { 'error.stack_trace': 'in load_config' } });
    expect(new Set(inside.map((h) => String(h._source.case)))).toEqual(new Set(['python/chained_from.txt#field', 'python/chained_from.txt#message']));
    const cut = await engineJson<{ aggregations: { k: { buckets: Array<{ key: string }> } } }>(url, `/${prefix}-*/_search`, {
      method: 'POST',
      body: { size: 0, query: { term: { case: 'deep' } }, aggs: { k: { terms: { field: 'error.stack_trace.keyword' } } } },
    });
    expect(cut.aggregations.k.buckets[0].key).toBe(deep.slice(0, 4096));
    expect(await sluice.stop()).toBe(0);
  }, 120_000);
});
