import { afterAll, describe, expect, inject, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { sendTcp } from '../../helpers/net.js';
import { count, engineJson, search, uniqueName, waitForCount } from '../../helpers/engine_client.js';
import { BULK_PATH } from '../../../outputs/elasticsearch/sink.js';
import { repliedAllTaken } from '../../../outputs/elasticsearch/retry.js';

afterAll(killAllSluices);

const url = inject('engineUrl');

function pipeline(prefix: string, extra = '', outputsExtra = ''): string {
  return `
api: { port: 0 }
inputs:
  - { type: tcp, id: in, port: 0 }
outputs:
  - type: elasticsearch
    id: es
    hosts: ${url}
    index: ${prefix}-%{+yyyy.MM.dd}
    template: { name: ${prefix} }
    batch: { timeout: 0.2 }
${extra}${outputsExtra}`;
}

const lines = (n: number, make: (i: number) => Record<string, unknown>) => Array.from({ length: n }, (_, i) => JSON.stringify(make(i))).join('\n') + '\n';

describe('elasticsearch output against a real engine', () => {
  it('indexes every event once with the right fields, ids and mapping', async () => {
    const prefix = uniqueName('fields');
    const sluice = await startSluice(pipeline(prefix));
    const n = 2500;
    await sendTcp(sluice.port('in'), lines(n, (i) => ({ message: `order ${i} shipped`, seq: i, service: { name: 'orders' }, '@timestamp': '2026-11-22T10:00:00.000Z' })));
    expect(await waitForCount(url, `${prefix}-*`, n)).toBe(n);
    const [hit] = await search(url, `${prefix}-*`, { term: { seq: 7 } });
    expect(hit._index).toBe(`${prefix}-2026.11.22`);
    expect(hit._source).toEqual({ message: 'order 7 shipped', seq: 7, service: { name: 'orders' }, '@timestamp': '2026-11-22T10:00:00.000Z' });
    expect(hit._id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const mapping = await engineJson<Record<string, { mappings: { properties: Record<string, { type?: string; properties?: Record<string, { type: string }> }> } }>>(url, `/${prefix}-2026.11.22/_mapping`);
    const props = mapping[`${prefix}-2026.11.22`].mappings.properties;
    expect(props['@timestamp'].type).toBe('date');
    expect(props.message.type).toBe('text');
    expect(props.service.properties?.name.type).toBe('keyword');
    expect(props.seq.type).toBe('long');
    // Full-text search on message works, keyword match on a string field works.
    expect(await search(url, `${prefix}-*`, { match: { message: 'shipped' } }, 1)).toHaveLength(1);
    expect((await search(url, `${prefix}-*`, { term: { 'service.name': 'orders' } }, 1)).length).toBe(1);
    expect(await sluice.settledCounter('output_events_delivered_total', 'es', n)).toBe(n);
    expect(await sluice.counter('bulk_requests_total', 'es')).toBeGreaterThanOrEqual(1);
    expect(await sluice.stop()).toBe(0);
  });

  it('escapes a document id a filter set in place of the one sluice gave', async () => {
    const prefix = uniqueName('set-id');
    const filters = `filters:\n  - { type: mutate, replace: { "[@metadata][_id]": 'order "%{seq}" \\ é' } }\n`;
    const sluice = await startSluice(pipeline(prefix, '', filters));
    await sendTcp(sluice.port('in'), lines(3, (i) => ({ seq: i, '@timestamp': '2026-11-22T10:00:00.000Z' })));
    expect(await waitForCount(url, `${prefix}-*`, 3)).toBe(3);
    const ids = (await search(url, `${prefix}-*`, { match_all: {} })).map((hit) => hit._id).sort();
    expect(ids).toEqual([0, 1, 2].map((i) => `order "${i}" \\ é`));
    expect(await sluice.stop()).toBe(0);
  });

  it.each(['none', 'gzip'])('sends bulks written over many chunks whole, compression %s', async (compression) => {
    const prefix = uniqueName(`chunks-${compression}`);
    const sluice = await startSluice(pipeline(prefix, `    compression: ${compression}\n`));
    const n = 6000;
    // Over 256 KiB per bulk (a body is written into chunks of that size), with characters of two to four bytes to be cut between.
    await sendTcp(sluice.port('in'), lines(n, (i) => ({ message: `order ${i} é ✓ 😀 ${'x'.repeat(i % 97)}`, seq: i, '@timestamp': '2026-11-22T10:00:00.000Z' })));
    expect(await waitForCount(url, `${prefix}-*`, n)).toBe(n);
    for (const seq of [0, 1234, 5999]) {
      const [hit] = await search(url, `${prefix}-*`, { term: { seq } });
      expect(hit._source).toEqual({ message: `order ${seq} é ✓ 😀 ${'x'.repeat(seq % 97)}`, seq, '@timestamp': '2026-11-22T10:00:00.000Z' });
    }
    expect(await sluice.counter('bulk_bytes_total', 'es')).toBeGreaterThan(2 * 256 * 1024);
    expect(await sluice.stop()).toBe(0);
  });

  it('gets bulk replies in the form the output reads without parsing when every item is taken', async () => {
    // If the engine's reply changed shape, the output would still judge it (parsed), but at the cost the fast path avoids: this says so.
    const index = uniqueName('reply-shape');
    const n = 3;
    const body = Array.from({ length: n }, (_, i) => `{"create":{"_index":"${index}","_id":"id-${i}"}}\n{"n":${i}}\n`).join('');
    const reply = await fetch(`${url}${BULK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body });
    const bytes = Buffer.from(await reply.arrayBuffer());
    expect(reply.status).toBe(200);
    expect(repliedAllTaken(bytes, n)).toBe(true);
    // The same ids again: each a conflict, so the reply is judged item by item.
    const again = Buffer.from(await (await fetch(`${url}${BULK_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-ndjson' }, body })).arrayBuffer());
    expect(repliedAllTaken(again, n)).toBe(false);
    expect((JSON.parse(again.toString()) as { items: Array<{ create: { status: number } }> }).items.map((item) => item.create.status)).toEqual([409, 409, 409]);
  });

  it('sends a mapping conflict to the dead letter file while the rest of its batch lands', async () => {
    const prefix = uniqueName('conflict');
    const dlqDir = mkdtempSync(join(tmpdir(), 'sluice-dlq-'));
    const dlqPath = join(dlqDir, 'dead.ndjson');
    const sluice = await startSluice(pipeline(prefix, `    dead_letter_queue: { path: ${dlqPath} }\n`));
    // First fix `amount` as a number, then send a batch with one object in it.
    await sendTcp(sluice.port('in'), lines(1, () => ({ message: 'first', amount: 5 })));
    expect(await waitForCount(url, `${prefix}-*`, 1)).toBe(1);
    await sendTcp(sluice.port('in'), lines(50, (i) => (i === 17 ? { message: 'bad', amount: { value: 'not a number' } } : { message: `ok ${i}`, amount: i })));
    expect(await waitForCount(url, `${prefix}-*`, 50)).toBe(50);
    await sluice.waitForLog((l) => l.msg === 'engine rejected events; written to the dead letter queue');
    const letters = readFileSync(dlqPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: number; reason: string; event: { message: string; '@metadata': { _id: string } }; index: string });
    expect(letters).toHaveLength(1);
    expect(letters[0]).toMatchObject({ status: 400, event: { message: 'bad' } });
    expect(letters[0].reason).toMatch(/mapper_parsing_exception|document_parsing_exception|failed to parse/);
    expect(letters[0].event['@metadata']._id).toBeTruthy();
    expect(await sluice.settledCounter('output_events_dead_lettered_total', 'es', 1)).toBe(1);
    expect(await sluice.settledCounter('output_events_delivered_total', 'es', 50)).toBe(50);
    await sluice.stop();
  });

  it('feeds stdout and the engine from one pipeline', async () => {
    const prefix = uniqueName('both');
    const sluice = await startSluice(pipeline(prefix, '', '  - { type: stdout, id: out }\n'));
    await sendTcp(sluice.port('in'), lines(300, (i) => ({ message: `both ${i}` })));
    expect((await sluice.waitForStdoutEvents(300)).length).toBe(300);
    expect(await waitForCount(url, `${prefix}-*`, 300)).toBe(300);
    await sluice.stop();
  });

  it('holds a fast output back no further than the queue bound when the other is slow', async () => {
    const prefix = uniqueName('slow');
    const maxEvents = 2000;
    const sluice = await startSluice(pipeline(prefix, '', '  - { type: stdout, id: out }\n').replace('inputs:', `pipeline:\n  queue: { max_events: ${maxEvents} }\ninputs:`), { stdout: 'stall' });
    const { connectTcp } = await import('../../helpers/net.js');
    const socket = await connectTcp(sluice.port('in'));
    const total = 30_000;
    socket.write(lines(total, (i) => ({ message: `slow ${i}`, pad: 'x'.repeat(300) })));
    // stdout is not read: the engine gets what the queue lets through, and no more.
    await waitForCount(url, `${prefix}-*`, maxEvents, 5000);
    const indexed = await count(url, `${prefix}-*`);
    expect(indexed).toBeGreaterThan(0);
    expect(indexed).toBeLessThanOrEqual(maxEvents + 1000);
    sluice.readStdout();
    socket.end();
    await sluice.waitForStdoutEvents(total, 60_000);
    expect(await waitForCount(url, `${prefix}-*`, total)).toBe(total);
    await sluice.stop();
  });
});
