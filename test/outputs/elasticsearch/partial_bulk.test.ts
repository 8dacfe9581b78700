/**
 * A bulk reply that judges items one by one: the taken ones are delivered, the ones to retry go
 * again alone, byte for byte, in a request of their own, and the refused ones reach the dead
 * letter file as they were sent, with their id and index. A real HTTP server on port 0 plays the
 * engine and records every request it gets.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { sendTcp } from '../../helpers/net.js';
import { fakeEngine, fakeEnginePipeline, type FakeEngine } from '../../helpers/fake_engine.js';

const engines: FakeEngine[] = [];

afterAll(async () => {
  killAllSluices();
  await Promise.all(engines.map((engine) => engine.close()));
});

/** tcp -> elasticsearch into `engine`, each bulk bounded by `maxBytes`. */
function sluiceWithMaxBytes(engine: FakeEngine, maxBytes: number) {
  return startSluice(`
api: { port: 0 }
inputs:
  - { type: tcp, id: app, port: 0 }
outputs:
  - { type: elasticsearch, id: es, hosts: "${engine.url}", template: { install: false }, batch: { max_bytes: ${maxBytes} } }
`);
}

interface BulkItemSent {
  action: { create: { _index: string; _id: string } };
  source: { message: string; n: number };
  raw: string;
}

/**
 * Each event's first sending: taken (n % 3 == 0), to retry (429, n % 3 == 1) or refused (400,
 * n % 3 == 2); sent again, it is taken. Judged by the event, not the request, so it holds however the
 * input's reads cut the stream into bulks.
 */
async function judgingEngine(): Promise<{ url: string; first: Map<number, BulkItemSent>; again: BulkItemSent[] }> {
  const first = new Map<number, BulkItemSent>();
  const again: BulkItemSent[] = [];
  const engine = await fakeEngine((body, res) => {
    const lines = body.split('\n').slice(0, -1);
    let errors = false;
    const results = [];
    for (let i = 0; i < lines.length; i += 2) {
      const item: BulkItemSent = { action: JSON.parse(lines[i]), source: JSON.parse(lines[i + 1]), raw: `${lines[i]}\n${lines[i + 1]}\n` };
      const { n } = item.source;
      if (first.has(n)) {
        again.push(item);
        results.push({ create: { status: 201 } });
        continue;
      }
      first.set(n, item);
      if (n % 3 === 0) results.push({ create: { status: 201 } });
      else if (n % 3 === 1) results.push({ create: { status: 429, error: { type: 'es_rejected_execution_exception', reason: 'queue full' } } });
      else results.push({ create: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'failed to parse field [n]' } } });
      errors ||= n % 3 !== 0;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors, items: results }));
  });
  engines.push(engine);
  return { url: engine.url, first, again };
}

describe('elasticsearch output, a reply judged item by item', () => {
  it('delivers the taken, resends only the retried ones as they were, dead-letters the refused with id and index', async () => {
    const engine = await judgingEngine();
    const dlqPath = join(mkdtempSync(join(tmpdir(), 'sluice-partial-')), 'dead.ndjson');
    const sluice = await startSluice(fakeEnginePipeline(engine.url, ['index: "logs-%{[service]}"', `dead_letter_queue: { path: ${dlqPath} }`]));
    // Multi-byte text checks that items are found again by bytes, not by characters.
    const lines = Array.from({ length: 30 }, (_, n) => JSON.stringify({ message: `order ${n} ✓ für 😀`, n, service: n % 2 ? 'odd' : 'even' }));
    await sendTcp(sluice.port('app'), `${lines.join('\n')}\n`);
    expect(await sluice.settledCounter('output_events_delivered_total', 'es', 20)).toBe(20);
    expect(await sluice.settledCounter('output_events_dead_lettered_total', 'es', 10)).toBe(10);
    expect(await sluice.counter('events_retried_total', 'es')).toBe(10);

    const sentOnce = (n: number) => engine.first.get(n) as BulkItemSent;
    expect([...engine.first.keys()].sort((x, y) => x - y)).toEqual(Array.from({ length: 30 }, (_, n) => n));
    // Sent again: exactly the 429 items, with the bytes and ids of their first sending (in order within a request; requests may pass each other).
    const retried = Array.from({ length: 10 }, (_, k) => sentOnce(3 * k + 1));
    const byN = (x: BulkItemSent, y: BulkItemSent) => x.source.n - y.source.n;
    expect([...engine.again].sort(byN).map((item) => item.raw)).toEqual(retried.map((item) => item.raw));

    const letters = readFileSync(dlqPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { status: number; reason: string; index: string; event: Record<string, unknown> });
    const refused = Array.from({ length: 10 }, (_, k) => sentOnce(3 * k + 2));
    letters.sort((x, y) => (x.event.n as number) - (y.event.n as number));
    expect(letters.map((l) => l.event.n)).toEqual(refused.map((item) => item.source.n));
    letters.forEach((letter, i) => {
      expect(letter).toMatchObject({ status: 400, index: refused[i].action.create._index });
      expect(letter.reason).toMatch(/mapper_parsing_exception: failed to parse field \[n\]/);
      expect(letter.event).toEqual({ ...refused[i].source, '@metadata': { _id: refused[i].action.create._id } });
    });
    expect(await sluice.stop()).toBe(0);
  }, 30_000);

  it('bounds each bulk by its bytes in UTF-8, not by characters, for text of four-byte characters', async () => {
    const bodies: number[] = [];
    const engine = await fakeEngine((body, res) => {
      bodies.push(Buffer.byteLength(body));
      const items = body.trim().split('\n').length / 2;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: false, items: Array.from({ length: items }, () => ({ create: { status: 201 } })) }));
    });
    engines.push(engine);
    const sluice = await sluiceWithMaxBytes(engine, 4000);
    // 300 emoji: 600 UTF-16 units, 1200 bytes each message; one TCP write, so one send() call.
    await sendTcp(sluice.port('app'), `${Array.from({ length: 20 }, (_, n) => JSON.stringify({ message: '😀'.repeat(300), n })).join('\n')}\n`);
    expect(await sluice.settledCounter('output_events_delivered_total', 'es', 20)).toBe(20);
    const over = Math.max(...bodies) - 4000;
    // A bulk ships at the first item past the bound: never more than one item over it.
    expect(bodies.length).toBeGreaterThanOrEqual(5);
    expect(over).toBeLessThan(1400);
    expect(await sluice.stop()).toBe(0);
  }, 30_000);

  it('counts multi-byte text exactly when one call holds more items than are joined for one write', async () => {
    const bodies: Array<{ bytes: number; items: Array<{ message: string; n: number }> }> = [];
    const engine = await fakeEngine((body, res) => {
      const lines = body.trim().split('\n');
      const items = lines.filter((_, i) => i % 2 === 1).map((line) => JSON.parse(line) as { message: string; n: number });
      bodies.push({ bytes: Buffer.byteLength(body), items });
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ errors: false, items: items.map(() => ({ create: { status: 201 } })) }));
    });
    engines.push(engine);
    const sluice = await sluiceWithMaxBytes(engine, 60000);
    // 300 events of 400 ASCII and 100 two-byte characters (600 bytes, 500 UTF-16 units): a 64 KB read holds ~100 of them.
    const message = `${'a'.repeat(400)}${'é'.repeat(100)}`;
    await sendTcp(sluice.port('app'), `${Array.from({ length: 300 }, (_, n) => JSON.stringify({ message, n })).join('\n')}\n`);
    expect(await sluice.settledCounter('output_events_delivered_total', 'es', 300)).toBe(300);
    const received = bodies.flatMap((body) => body.items);
    expect(received.map((item) => item.n).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, n) => n));
    expect(received.every((item) => item.message === message)).toBe(true);
    // Bounded by bytes: each bulk at most one item (~700 bytes) over; the body's length is what was counted and sent.
    const sizes = bodies.map((body) => body.bytes);
    expect(Math.max(...sizes)).toBeLessThan(60000 + 800);
    expect(sizes.filter((bytes) => bytes >= 60000).length).toBeGreaterThanOrEqual(2);
    expect(await sluice.counter('bulk_bytes_total', 'es')).toBe(sizes.reduce((a, b) => a + b, 0));
    expect(await sluice.stop()).toBe(0);
  }, 30_000);
});
