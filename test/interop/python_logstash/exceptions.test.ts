/**
 * The real python-logstash handler logging `logger.exception(...)` from Django-like views, into
 * the default pipeline (no -c) and a real engine: a terms aggregation on `error.type` returns
 * exactly the exceptions raised, and a cardinality aggregation on `error.fingerprint` the
 * number of distinct bugs.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { engineJson, refresh, uniqueName, waitForCount } from '../../helpers/engine_client.js';

afterAll(killAllSluices);

const url = inject('engineUrl');
const python = join(process.env.SLUICE_PYTHON_LOGSTASH_VENV ?? join(homedir(), '.cache', 'sluice-test', 'python-logstash-venv'), 'bin', 'python');
const views = join(import.meta.dirname, 'exceptions.py');

interface Buckets {
  buckets: Array<{ key: string; doc_count: number }>;
}

describe('python-logstash logger.exception() into the default pipeline and the engine', () => {
  it('error.type counts the exceptions raised; error.fingerprint counts the bugs', async () => {
    const sluice = await startSluice(null, {
      env: { ELASTICSEARCH_URL: url, SLUICE_TCP_PORT: '0', SLUICE_UDP_PORT: '0', SLUICE_API_PORT: '0', SLUICE_WORKERS: '1' },
    });
    const marker = uniqueName('pyexc');
    const { stdout } = await promisify(execFile)(python, [views, '127.0.0.1', String(sluice.port('tcp_json')), marker]);
    const summary = JSON.parse(stdout) as { raised: string[]; bugs: number };
    const query = { term: { marker } };
    expect(await waitForCount(url, 'sluice-*', summary.raised.length, 60_000, query)).toBe(summary.raised.length);
    await refresh(url, 'sluice-*');

    const result = await engineJson<{ aggregations: { types: Buckets; bugs: { value: number }; culprits: Buckets } }>(url, '/sluice-*/_search', {
      method: 'POST',
      body: {
        size: 0,
        query,
        aggs: { types: { terms: { field: 'error.type', size: 50 } }, bugs: { cardinality: { field: 'error.fingerprint' } }, culprits: { terms: { field: 'error.culprit', size: 50 } } },
      },
    });
    const raised: Record<string, number> = {};
    for (const type of summary.raised) raised[type] = (raised[type] ?? 0) + 1;
    const counted = Object.fromEntries(result.aggregations.types.buckets.map((b) => [b.key, b.doc_count]));
    expect(counted).toEqual(raised);
    expect(result.aggregations.bugs.value).toBe(summary.bugs);
    expect(result.aggregations.culprits.buckets.map((b) => b.key.slice(b.key.lastIndexOf('/') + 1)).sort()).toEqual(
      ['exceptions.py:average_view', 'exceptions.py:customer_email', 'exceptions.py:find_user', 'exceptions.py:find_user_by_email', 'exceptions.py:settings_view', 'exceptions.py:user_profile'].sort(),
    );
    expect(await sluice.counter('output_events_dropped_total', 'elasticsearch')).toBe(0);
    expect(await sluice.stop()).toBe(0);
  }, 120_000);
});
