/**
 * An engine URL that answers something else (a login page, a 401, a redirect, a proxy's error,
 * a text body) is named as such, with the HTTP status and content type and what to change,
 * instead of a JSON parser's complaint. Real HTTP servers on port 0; the real engine for contrast.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { once } from 'node:events';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { elasticsearchOutputSchema } from '../../../outputs/elasticsearch/config.js';
import { engineFromReply } from '../../../outputs/elasticsearch/detect.js';
import { HostPool } from '../../../outputs/elasticsearch/hosts.js';
import { OutputError } from '../../../pipeline/errors.js';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

const ANSWERS: Record<string, Handler> = {
  html: (_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end('<!doctype html><html><head><title>Welcome to nginx!</title></head><body></body></html>'),
  unauthorized: (_req, res) => res.writeHead(401, { 'content-type': 'application/json', 'www-authenticate': 'Basic realm="security"' }).end('{"error":{"type":"security_exception"},"status":401}'),
  forbidden: (_req, res) => res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":{"type":"security_exception"},"status":403}'),
  redirect: (_req, res) => res.writeHead(302, { location: 'https://search.example.com/' }).end(),
  proxy: (_req, res) => res.writeHead(502, { 'content-type': 'text/html' }).end('<html><head><title>502 Bad Gateway</title></head></html>'),
  text: (_req, res) => res.writeHead(200, { 'content-type': 'text/plain' }).end('OK\n'),
  json_not_engine: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"status":"green"}'),
  starting: (_req, res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"error":"cluster_block_exception","status":503}'),
  old: (_req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{"version":{"number":"6.8.23"}}'),
};

const servers: Server[] = [];
const urls: Record<string, string> = {};

beforeAll(async () => {
  for (const [name, handler] of Object.entries(ANSWERS)) {
    const server = createServer(handler);
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    servers.push(server);
    urls[name] = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  }
});
afterAll(async () => {
  killAllSluices();
  for (const server of servers) server.closeAllConnections();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
});

/** GET / through the output's own HTTP client, and what the output makes of the answer. */
async function firstAnswer(url: string): Promise<{ code?: string; message: string }> {
  const pool = new HostPool(elasticsearchOutputSchema.parse({ hosts: url }), pino({ level: 'silent' }));
  try {
    const host = pool.pick();
    const info = engineFromReply(host.url, await pool.request(host, 'GET', '/', undefined, {}));
    return { message: `${info.flavor} ${info.version}` };
  } catch (err) {
    expect(err).toBeInstanceOf(OutputError);
    return { code: (err as OutputError).code, message: (err as Error).message };
  } finally {
    await pool.close();
  }
}

describe("the engine URL's first answer", () => {
  it('an HTML page: named with its status, content type and title', async () => {
    expect(await firstAnswer(urls.html)).toEqual({
      code: 'SLUICE_OUTPUT_NOT_ENGINE',
      message: `${urls.html} answered 200 OK with text/html, a page titled "Welcome to nginx!", not JSON: this is not Elasticsearch or OpenSearch (a proxy, a web server or Kibana?); check the host and port in hosts (the engine usually listens on 9200)`,
    });
  });

  it('401 and 403: credentials, said as such', async () => {
    const unauthorized = await firstAnswer(urls.unauthorized);
    expect(unauthorized.code).toBe('SLUICE_OUTPUT_AUTH');
    expect(unauthorized.message).toBe(`${urls.unauthorized} answered 401 Unauthorized: the engine wants credentials, or refused the ones given; set user and password (or api_key) on this output`);
    const forbidden = await firstAnswer(urls.forbidden);
    expect(forbidden).toMatchObject({ code: 'SLUICE_OUTPUT_AUTH', message: expect.stringContaining('403 Forbidden: the credentials are valid but may not read') });
  });

  it('a redirect: where it points, and that it is not followed', async () => {
    expect(await firstAnswer(urls.redirect)).toEqual({
      code: 'SLUICE_OUTPUT_NOT_ENGINE',
      message: `${urls.redirect} answered 302 Found, a redirect to https://search.example.com/: sluice does not follow redirects; set hosts to the engine's own URL (https:// if the redirect says so)`,
    });
  });

  it("a proxy's error page, a text body, JSON from something else", async () => {
    expect((await firstAnswer(urls.proxy)).message).toBe(`${urls.proxy} answered 502 Bad Gateway with text/html, a page titled "502 Bad Gateway", not JSON: this is not Elasticsearch or OpenSearch (a proxy, a web server or Kibana?); check the host and port in hosts (the engine usually listens on 9200)`);
    expect((await firstAnswer(urls.text)).message).toContain('answered 200 OK with text/plain, not JSON');
    expect(await firstAnswer(urls.json_not_engine)).toMatchObject({ code: 'SLUICE_OUTPUT_NOT_ENGINE', message: expect.stringContaining('with JSON that has no version.number') });
  });

  it('an engine still starting (JSON 503) is a request to retry; an old engine is named with its version', async () => {
    expect(await firstAnswer(urls.starting)).toMatchObject({ code: 'SLUICE_OUTPUT_REQUEST', message: expect.stringContaining('503 Service Unavailable: the engine is not ready') });
    expect(await firstAnswer(urls.old)).toEqual({ code: 'SLUICE_OUTPUT_ENGINE_VERSION', message: `${urls.old} is Elasticsearch 6.8.23, which is not supported (7, 8 and 9 are)` });
  });

  it('the real engine is detected', async () => {
    const { code, message } = await firstAnswer(inject('engineUrl'));
    expect(code).toBeUndefined();
    expect(message).toMatch(/^(opensearch|elasticsearch) \d+\.\d+/);
  });

  it('sluice run keeps running and logs each wrong answer with its code, never a JSON parser error', async () => {
    const outputs = ['html', 'unauthorized', 'redirect']
      .map((name) => `  - { type: elasticsearch, id: ${name}, hosts: '${urls[name]}', retry: { initial_backoff: 5 }, dead_letter_queue: { enabled: false } }`)
      .join('\n');
    const sluice = await startSluice(`api: { port: 0 }\ninputs:\n  - { type: tcp, port: 0 }\noutputs:\n${outputs}\n`);
    const expected = { html: 'SLUICE_OUTPUT_NOT_ENGINE', unauthorized: 'SLUICE_OUTPUT_AUTH', redirect: 'SLUICE_OUTPUT_NOT_ENGINE' };
    for (const [id, code] of Object.entries(expected)) {
      const line = await sluice.waitForLog((l) => l.output === id && l.msg === 'engine not usable yet; retrying');
      expect(line).toMatchObject({ level: 50, code, host: urls[id] });
    }
    expect(sluice.rawStderr.join('\n')).not.toMatch(/Unexpected token|is not valid JSON|\n\s+at /);
    expect(await sluice.stop()).toBe(0);
  });
});
