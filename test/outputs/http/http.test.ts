import { afterEach, describe, expect, it } from 'vitest';
import http from 'node:http';
import { once } from 'node:events';
import { httpOutput } from '../../../outputs/http/index.js';
import { standaloneContext } from '../../../pipeline/plugin_context.js';
import type { Event } from '../../../pipeline/event.js';

const servers: http.Server[] = [];
afterEach(() => {
  for (const server of servers.splice(0)) server.close();
});

/** An HTTP server answering each request with the next status of `statuses` (then 200), keeping what it got. */
async function receiver(statuses: number[] = []): Promise<{ url: string; requests: Array<{ type: string; body: string }> }> {
  const requests: Array<{ type: string; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8').on('data', (c: string) => (body += c));
    req.on('end', () => {
      requests.push({ type: req.headers['content-type'] ?? '', body });
      const status = statuses.shift() ?? 200;
      res.writeHead(status).end(status === 200 ? 'ok' : 'nope');
    });
  });
  servers.push(server);
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}/hook`, requests };
}

const make = (settings: Record<string, unknown>) => httpOutput.create(httpOutput.schema.parse({ backoff: 0.01, ...settings }), standaloneContext('http'));
const events = (n: number): Event[] => Array.from({ length: n }, (_, i) => ({ message: `m${i}`, '@metadata': { _id: String(i) } }));

describe('http output', () => {
  it('posts JSON arrays of batch_size events, without @metadata', async () => {
    const hook = await receiver();
    expect(await make({ url: hook.url, batch_size: 2 }).send(events(3))).toEqual({ delivered: 3, deadLettered: 0, dropped: 0 });
    expect(hook.requests.map((r) => [r.type, JSON.parse(r.body)])).toEqual([
      ['application/json', [{ message: 'm0' }, { message: 'm1' }]],
      ['application/json', [{ message: 'm2' }]],
    ]);
  });

  it('posts NDJSON, and retries 503 and 429 until it is taken', async () => {
    const hook = await receiver([503, 429]);
    expect(await make({ url: hook.url, format: 'ndjson' }).send(events(2))).toEqual({ delivered: 2, deadLettered: 0, dropped: 0 });
    expect(hook.requests).toHaveLength(3);
    expect(hook.requests[2]).toEqual({ type: 'application/x-ndjson', body: '{"message":"m0"}\n{"message":"m1"}\n' });
  });

  it('counts as dropped what is refused for good, or still failing after the retries', async () => {
    const refused = await receiver([400]);
    expect(await make({ url: refused.url }).send(events(2))).toEqual({ delivered: 0, deadLettered: 0, dropped: 2 });
    expect(refused.requests).toHaveLength(1);
    const failing = await receiver([500, 500, 500]);
    expect(await make({ url: failing.url, retries: 2 }).send(events(1))).toEqual({ delivered: 0, deadLettered: 0, dropped: 1 });
    expect(failing.requests).toHaveLength(3);
  });

  it('gives up retrying once stopped past the grace period', async () => {
    const failing = await receiver(Array.from({ length: 100 }, () => 503));
    const output = make({ url: failing.url, backoff: 0.2, retries: 50 });
    const sending = output.send(events(1));
    await output.stop(100);
    expect(await sending).toEqual({ delivered: 0, deadLettered: 0, dropped: 1 });
  });
});
