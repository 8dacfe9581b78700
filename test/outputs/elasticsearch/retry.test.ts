import { describe, expect, it } from 'vitest';
import { bulkVerdicts, itemVerdict, repliedAllTaken, takenWhole, type BulkOutcome } from '../../../outputs/elasticsearch/retry.js';
import { backoffDelay } from '../../../outputs/delivery/backoff.js';
import { engineFromReply, supportsIndexTemplate } from '../../../outputs/elasticsearch/detect.js';

/** The engine's answer to GET / as a 200 JSON body. */
const parseEngineInfo = (text: string) => engineFromReply('the engine', { status: 200, text, contentType: 'application/json' });
import { BulkEncoder } from '../../../outputs/elasticsearch/encoder.js';
import { JobItems } from '../../../outputs/elasticsearch/job.js';
import { SendCall, settleAll } from '../../../outputs/delivery/settlement.js';
import type { DeliveryReport } from '../../../pipeline/plugin.js';
import { BulkBody, contiguous } from '../../../outputs/elasticsearch/body.js';
import { indexPattern } from '../../../outputs/elasticsearch/template.js';
import { elasticsearchOutputSchema } from '../../../outputs/elasticsearch/config.js';

const response = (status: number, body: unknown): BulkOutcome => ({ kind: 'response', status, body: body as never, text: JSON.stringify(body) });

describe('bulk item verdicts', () => {
  it.each([
    [201, 'create', 'delivered'],
    [200, 'index', 'delivered'],
    [409, 'create', 'delivered'],
    [409, 'index', 'dead_letter'],
    [429, 'create', 'retry'],
    [500, 'create', 'retry'],
    [503, 'create', 'retry'],
    [403, 'create', 'retry'],
    [400, 'create', 'dead_letter'],
    [404, 'create', 'dead_letter'],
  ] as const)('status %i on %s -> %s', (status, action, kind) => {
    expect(itemVerdict({ status, error: { type: 'x', reason: 'y' } }, action).kind).toBe(kind);
  });

  it('marks a 409 on create as a duplicate', () => {
    expect(itemVerdict({ status: 409 }, 'create')).toEqual({ kind: 'delivered', duplicate: true });
  });

  it('keeps the engine reason for dead letters', () => {
    const verdict = itemVerdict({ status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n]' } }, 'create');
    expect(verdict).toEqual({ kind: 'dead_letter', status: 400, reason: 'mapper_parsing_exception: failed to parse field [n]', error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n]' } });
  });
});

describe('bulk request verdicts', () => {
  it('retries everything on a connection failure, 429 and 5xx', () => {
    expect(bulkVerdicts({ kind: 'failed', reason: 'ECONNREFUSED' }, 3, 'create').map((v) => v.kind)).toEqual(['retry', 'retry', 'retry']);
    expect(bulkVerdicts(response(429, {}), 2, 'create').map((v) => v.kind)).toEqual(['retry', 'retry']);
    expect(bulkVerdicts(response(503, {}), 1, 'create').map((v) => v.kind)).toEqual(['retry']);
  });

  it('delivers all when errors is false', () => {
    expect(bulkVerdicts(response(200, { errors: false, items: [{ create: { status: 201 } }, { create: { status: 201 } }] }), 2, 'create').map((v) => v.kind)).toEqual(['delivered', 'delivered']);
  });

  it('judges each item when errors is true: only failed items are retried', () => {
    const body = { errors: true, items: [{ create: { status: 201 } }, { create: { status: 429 } }, { create: { status: 400, error: { type: 'mapper_parsing_exception' } } }, { create: { status: 409 } }] };
    expect(bulkVerdicts(response(200, body), 4, 'create').map((v) => v.kind)).toEqual(['delivered', 'retry', 'dead_letter', 'delivered']);
  });

  it('retries when the response does not match the request', () => {
    expect(bulkVerdicts(response(200, { errors: false, items: [{ create: { status: 201 } }] }), 2, 'create').map((v) => v.kind)).toEqual(['retry', 'retry']);
  });

  it('dead-letters a request the engine refuses as malformed', () => {
    expect(bulkVerdicts(response(400, { error: 'bad' }), 1, 'create')[0].kind).toBe('dead_letter');
  });
});

describe('backoff', () => {
  it('grows exponentially up to the maximum, with jitter, never zero', () => {
    const policy = { initialMs: 100, maxMs: 30_000 };
    expect(backoffDelay(policy, 0, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 1)).toBe(800);
    expect(backoffDelay(policy, 20, () => 1)).toBe(30_000);
    expect(backoffDelay(policy, 5, () => 0)).toBe(50);
  });
});

describe('engine detection', () => {
  it.each([
    ['{"version":{"number":"7.10.2"}}', 'elasticsearch', true],
    ['{"version":{"number":"7.6.0"}}', 'elasticsearch', false],
    ['{"version":{"number":"8.15.0","build_flavor":"default"}}', 'elasticsearch', true],
    ['{"version":{"number":"2.19.1","distribution":"opensearch"}}', 'opensearch', true],
  ])('%s', (text, flavor, indexTemplate) => {
    const info = parseEngineInfo(text);
    expect(info.flavor).toBe(flavor);
    expect(supportsIndexTemplate(info)).toBe(indexTemplate);
  });

  it('refuses versions it does not speak', () => {
    expect(() => parseEngineInfo('{"version":{"number":"6.8.0"}}')).toThrow(/not supported/);
    expect(() => parseEngineInfo('{"name":"x"}')).toThrow(/version/);
  });
});

describe('a bulk reply read from its bytes', () => {
  const reply = (items: string[], errors = false) => Buffer.from(`{"errors":${errors},"items":[${items.join(',')}]}`);
  const created = (n: number) => Array.from({ length: n }, () => '{"create":{"status":201}}');

  it('takes a reply without errors and with one status per event as taken whole', () => {
    expect(repliedAllTaken(reply(created(5000)), 5000)).toBe(true);
    expect(takenWhole({ kind: 'taken', status: 200 }, 5000)).toBe(true);
    expect(bulkVerdicts({ kind: 'taken', status: 200 }, 2, 'create')).toEqual([
      { kind: 'delivered', duplicate: false },
      { kind: 'delivered', duplicate: false },
    ]);
  });

  it('counts items of one form by the reply\'s length, and items of mixed forms one by one', () => {
    // `index` answers 201 for a new document and 200 for a replaced one: the same form.
    const indexed = Array.from({ length: 1000 }, (_, i) => `{"index":{"status":${i % 3 === 0 ? 200 : 201}}}`);
    expect(repliedAllTaken(reply(indexed), 1000)).toBe(true);
    expect(repliedAllTaken(reply(indexed), 999)).toBe(false);
    expect(repliedAllTaken(reply(indexed), 1001)).toBe(false);
    expect(repliedAllTaken(reply(created(1)), 1)).toBe(true);
    // Lengths 25, 24 and 26 add up to three of the first: the bytes at each item's place tell them apart, and the count decides.
    const mixed = ['{"create":{"status":201}}', '{"index":{"status":201}}', '{"created":{"status":201}}'];
    expect(repliedAllTaken(reply(mixed), 3)).toBe(true);
    expect(repliedAllTaken(reply(mixed), 2)).toBe(false);
    expect(repliedAllTaken(reply([mixed[0], mixed[1], '{"created":{"statux":201}}']), 3)).toBe(false);
    // One long item the length of two: not two items.
    const long = `{"create":{"status":201,"pad":"${'x'.repeat(17)}"}}`;
    expect(long).toHaveLength(51);
    expect(repliedAllTaken(reply([long]), 2)).toBe(false);
    expect(repliedAllTaken(reply([long]), 1)).toBe(true);
  });

  it('leaves every other reply to be parsed and judged item by item', () => {
    expect(repliedAllTaken(reply(created(4999)), 5000)).toBe(false);
    expect(repliedAllTaken(reply(created(5001)), 5000)).toBe(false);
    expect(repliedAllTaken(reply(['{"create":{"status":201}}', '{"create":{"status":409,"error":{"type":"version_conflict_engine_exception"}}}'], true), 2)).toBe(false);
    expect(repliedAllTaken(Buffer.from('{"took":3,"errors":false,"items":[{"create":{"status":201}}]}'), 1)).toBe(false);
    expect(repliedAllTaken(Buffer.from('{ "errors" : false, "items" : [ { "create" : { "status" : 201 } } ] }'), 1)).toBe(false);
    expect(repliedAllTaken(Buffer.from(''), 1)).toBe(false);
  });
});

describe('encoder and template pattern', () => {
  const config = elasticsearchOutputSchema.parse({ hosts: 'http://localhost:9200' });

  it('writes a create action with the event id and the dated index, and leaves @metadata out of the source', () => {
    const encoder = new BulkEncoder({ action: 'create', index: config.index, documentId: config.document_id });
    const body = new BulkBody();
    const bytes = body.append(encoder.encode({ '@timestamp': '2026-11-22T10:00:00.000Z', message: 'hi', '@metadata': { _id: 'abc' } }));
    const text = contiguous(body.take()).toString();
    expect(text).toBe('{"create":{"_index":"sluice-2026.11.22","_id":"abc"}}\n{"@timestamp":"2026-11-22T10:00:00.000Z","message":"hi"}\n');
    expect(bytes).toBe(Buffer.byteLength(text));
  });

  it('lets the engine pick an id when the event has none', () => {
    const encoder = new BulkEncoder({ action: 'index', index: 'fixed', documentId: config.document_id });
    const body = new BulkBody();
    body.append(encoder.encode({ message: 'x' }));
    expect(contiguous(body.take()).toString().split('\n')[0]).toBe('{"index":{"_index":"fixed"}}');
  });

  it('finds each item of a job again: gathered for a retry, read back for the dead letter file, settled with its call', () => {
    const encoder = new BulkEncoder({ action: 'create', index: 'logs-%{n}', documentId: config.document_id });
    // Small chunks make items span them; multi-byte text checks the byte counts.
    const body = new BulkBody({ chunkBytes: 64 });
    const reports: DeliveryReport[] = [];
    const calls = [new SendCall(20, (r) => reports.push(r)), new SendCall(30, (r) => reports.push(r))];
    const runs = [
      { call: calls[0], count: 20 },
      { call: calls[1], count: 30 },
    ];
    let bytes = 0;
    for (let i = 0; i < 50; i++) bytes += body.append(encoder.encode({ message: `m${i} é ✓ 😀\nline two`, n: i, '@metadata': { _id: `id-${i}` } }));
    const job = { body: body.take(), count: 50, runs, retries: 0 };
    expect(job.body.length).toBe(bytes);
    const items = new JobItems(job);
    const again = items.subJob([3, 10, 17, 24, 31], 1);
    expect(contiguous(again.body).toString().trim().split('\n').filter((_, i) => i % 2 === 1).map((l) => (JSON.parse(l) as { n: number }).n)).toEqual([3, 10, 17, 24, 31]);
    expect(again.runs.map((run) => run.count)).toEqual([3, 2]);
    expect(new JobItems(again).letter(2)).toEqual({ event: { message: 'm17 é ✓ 😀\nline two', n: 17, '@metadata': { _id: 'id-17' } }, index: 'logs-17' });
    expect(items.letter(49)).toEqual({ event: { message: 'm49 é ✓ 😀\nline two', n: 49, '@metadata': { _id: 'id-49' } }, index: 'logs-49' });
    settleAll(job.runs, 'delivered');
    expect(reports).toEqual([
      { delivered: 20, deadLettered: 0, dropped: 0 },
      { delivered: 30, deadLettered: 0, dropped: 0 },
    ]);
  });

  it('writes text across chunks byte for byte, cutting only between characters', () => {
    const body = new BulkBody({ chunkBytes: 16 });
    // Two- three- and four-byte characters at every offset against the chunk edges; with and without the byte count known.
    const texts = Array.from({ length: 40 }, (_, i) => `${'a'.repeat(i % 7)}é✓😀${i}\n`);
    texts.forEach((text, i) => body.append(text, i % 2 === 0 ? Buffer.byteLength(text) : undefined));
    const taken = body.take();
    expect(contiguous(taken).equals(Buffer.from(texts.join('')))).toBe(true);
    expect(taken.chunks.every((chunk) => chunk.length <= 16 && chunk.toString() === Buffer.from(chunk.toString()).toString())).toBe(true);
    expect(body.length).toBe(0);
  });

  it('keeps free chunks up to its bound: one huge event leaves no huge body, ordinary bulks reuse theirs', () => {
    const body = new BulkBody({ chunkBytes: 256 * 1024, maxFreeBytes: 8 * 1024 * 1024 });
    body.append('x'.repeat(40 * 1024 * 1024));
    const huge = body.take();
    expect(huge.length).toBe(40 * 1024 * 1024);
    body.recycle(huge);
    expect(body.heldBytes).toBeLessThanOrEqual(8 * 1024 * 1024);
    // A bulk taken whole gives its chunks to the next: the body holds no more than the bound and the chunk being written.
    for (let i = 0; i < 6; i++) {
      body.append('y'.repeat(2 * 1024 * 1024));
      const taken = body.take();
      expect(taken.chunks[0].buffer.byteLength).toBe(256 * 1024);
      body.recycle(taken);
    }
    expect(body.heldBytes).toBeLessThanOrEqual(8 * 1024 * 1024 + 256 * 1024);
    body.append('z');
    expect(contiguous(body.take()).toString()).toBe('z');
  });

  it('derives the template pattern from the index', () => {
    expect(indexPattern(config)).toBe('sluice-*');
    expect(indexPattern(elasticsearchOutputSchema.parse({ hosts: 'http://h:1', data_stream: {} }))).toBe('logs-sluice-*');
  });

  it('accepts one URL, a comma list or a list, and rejects junk', () => {
    expect(elasticsearchOutputSchema.parse({ hosts: 'http://a:9200,http://b:9200' }).hosts).toEqual(['http://a:9200', 'http://b:9200']);
    expect(elasticsearchOutputSchema.parse({ hosts: ['http://a:9200'] }).hosts).toEqual(['http://a:9200']);
    expect(elasticsearchOutputSchema.safeParse({ hosts: 'nope' }).success).toBe(false);
    expect(elasticsearchOutputSchema.safeParse({ hosts: 'http://a:1', user: 'u' }).success).toBe(false);
  });
});
