/**
 * The seed's case: python-logstash's real handlers, over TCP and UDP, into the default
 * pipeline (no -c), and on to a real engine, where every part of the record is its own field.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { search, uniqueName, waitForCount, type Hit } from '../../helpers/engine_client.js';

afterAll(killAllSluices);

const url = inject('engineUrl');
const python = join(process.env.SLUICE_PYTHON_LOGSTASH_VENV ?? join(homedir(), '.cache', 'sluice-test', 'python-logstash-venv'), 'bin', 'python');
const sender = join(import.meta.dirname, 'send.py');

function byKind(hits: Hit[], transport: string, kind: string): Record<string, unknown> {
  const hit = hits.find((h) => h._source.transport === transport && h._source.kind === kind);
  expect(hit, `${transport}/${kind} arrived`).toBeDefined();
  return hit!._source;
}

describe('python-logstash into the default pipeline and the engine', () => {
  it('TCP and UDP records arrive as separate searchable fields, nested structlog JSON included', async () => {
    const sluice = await startSluice(null, {
      env: { ELASTICSEARCH_URL: url, SLUICE_TCP_PORT: '0', SLUICE_UDP_PORT: '0', SLUICE_API_PORT: '0', SLUICE_WORKERS: '1' },
    });
    const marker = uniqueName('pylogstash');
    await promisify(execFile)(python, [sender, '127.0.0.1', String(sluice.port('tcp_json')), String(sluice.port('udp_json')), marker]);
    const query = { term: { 'marker': marker } };
    expect(await waitForCount(url, 'sluice-*', 6, 60_000, query)).toBe(6);
    const hits = await search(url, 'sluice-*', query);

    for (const transport of ['tcp', 'udp']) {
      const plain = byKind(hits, transport, 'plain');
      expect(plain).toMatchObject({
        message: 'order 42 created',
        level: 'INFO',
        logger_name: `django.request.${transport}`,
        status_code: 500,
        request_path: '/api/orders/42',
        user_id: 7,
        '@version': '1',
        type: 'logstash',
      });
      expect((plain.host as { name: string }).name).toEqual(expect.any(String));
      expect(plain.path).toEqual(expect.stringContaining('send.py'));

      const failure = byKind(hits, transport, 'exception');
      expect(failure.message).toBe('order lookup failed');
      expect(failure.level).toBe('ERROR');
      expect(failure.stack_trace).toEqual(expect.stringContaining("KeyError: 'missing'"));
      expect(failure.stack_trace).toEqual(expect.stringContaining('Traceback'));

      const structured = byKind(hits, transport, 'structlog');
      expect(structured).toMatchObject({ message: 'payment accepted', amount: 12.5, currency: 'EUR', level: 'info', trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' } });
      expect(structured.tags).toContain('traced');
    }

    // Searchable as fields, not as text inside one blob.
    const errors = await search(url, 'sluice-*', { bool: { filter: [{ term: { 'marker': marker } }, { term: { 'level': 'ERROR' } }] } });
    expect(errors).toHaveLength(2);
    const traced = await search(url, 'sluice-*', { bool: { filter: [{ term: { 'marker': marker } }, { term: { 'trace.id': '4bf92f3577b34da6a3ce929d0e0e4736' } }] } });
    expect(traced).toHaveLength(2);
    expect(await sluice.counter('output_events_dropped_total', 'elasticsearch')).toBe(0);
    expect(await sluice.stop()).toBe(0);
  }, 120_000);
});
