/**
 * A reply larger than `max_response_bytes` is not read into memory: the request fails with that
 * reason, is counted and retried, and the events are delivered by the next answer. A real HTTP
 * server on port 0 plays an engine whose first bulk reply is 2 MiB, with and without a
 * content-length (undici refuses the first from the header, the second while it streams).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { sendTcp } from '../../helpers/net.js';
import { fakeEngine, fakeEnginePipeline, type FakeEngine } from '../../helpers/fake_engine.js';

const engines: FakeEngine[] = [];

afterAll(async () => {
  killAllSluices();
  await Promise.all(engines.map((engine) => engine.close()));
});

/** An engine whose first bulk reply is `oversize` bytes of valid JSON; later ones are ordinary. */
async function engineWithHugeFirstReply(oversize: number, declared: boolean): Promise<{ url: string; bulks: number[] }> {
  const bulks: number[] = [];
  const engine = await fakeEngine((body, res) => {
    const items = body.trim().split('\n').length / 2;
    bulks.push(items);
    const statuses = Array.from({ length: items }, () => '{"create":{"status":201}}').join(',');
    const reply = `{"errors":false,"items":[${statuses}]${bulks.length === 1 ? `,"padding":"${'x'.repeat(oversize)}"` : ''}}`;
    res.writeHead(200, { 'content-type': 'application/json', ...(declared ? { 'content-length': Buffer.byteLength(reply) } : {}) });
    if (declared) res.end(reply);
    else {
      // Streamed in pieces, with no length up front.
      for (let at = 0; at < reply.length; at += 64 * 1024) res.write(reply.slice(at, at + 64 * 1024));
      res.end();
    }
  });
  engines.push(engine);
  return { url: engine.url, bulks };
}

describe('elasticsearch output reply bound', () => {
  it.each([
    ['declared by content-length', true],
    ['streamed without a length', false],
  ])('a reply over max_response_bytes (%s) fails the request, which is retried; every event is delivered once', async (_name, declared) => {
    const engine = await engineWithHugeFirstReply(2 * 1024 * 1024, declared);
    const sluice = await startSluice(fakeEnginePipeline(engine.url, ['max_response_bytes: 1048576']));
    await sendTcp(sluice.port('app'), Array.from({ length: 10 }, (_, i) => JSON.stringify({ message: `m${i}` })).join('\n') + '\n');
    const retry = await sluice.waitForLog((l) => l.msg === 'bulk delivery failed; retrying with backoff');
    expect(retry.reason).toMatch(/larger than max_response_bytes \(1048576 bytes\)/);
    expect(await sluice.settledCounter('output_events_delivered_total', 'es', 10)).toBe(10);
    expect(await sluice.counter('bulk_request_failures_total', 'es')).toBe(1);
    expect(await sluice.counter('events_retried_total', 'es')).toBe(10);
    // The same ten events went twice: refused reply, then the ordinary one.
    expect(engine.bulks).toEqual([10, 10]);
    expect(await sluice.stop()).toBe(0);
  }, 30_000);
});
