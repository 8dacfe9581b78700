/**
 * nginx itself (Debian's), in a temp dir on a free port: the access and error log lines it
 * writes are parsed by NGINX_ACCESS and NGINX_ERRORLOG, and every field is checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileLines, freePort, grokLine, httpGet, startProgram, waitForLines, waitForPort, type Program } from '../lib/programs.js';

const dir = mkdtempSync(join(tmpdir(), 'grok-nginx-'));
let nginx: Program;
let port: number;

beforeAll(async () => {
  port = await freePort();
  mkdirSync(join(dir, 'www'));
  writeFileSync(join(dir, 'www', 'index.html'), 'hello\n');
  writeFileSync(
    join(dir, 'nginx.conf'),
    `daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events {}
http {
  access_log ${dir}/access.log combined;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    server_name localhost;
    root ${dir}/www;
  }
}
`,
  );
  nginx = startProgram('/usr/sbin/nginx', ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')]);
  await waitForPort(port);
}, 20_000);

afterAll(async () => {
  await nginx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('nginx log lines through grok', () => {
  it('NGINX_ACCESS reads the combined access log, every field', async () => {
    expect(await httpGet(port, '/index.html?x=1', { 'User-Agent': 'grok-test/1.0 (interop)', Referer: 'http://example.com/from' })).toBe(200);
    expect(await httpGet(port, '/missing')).toBe(404);
    const [ok, missing] = await waitForLines(fileLines(join(dir, 'access.log')), [(l) => l.includes('/index.html'), (l) => l.includes('/missing')]);

    const event = grokLine('NGINX_ACCESS', ok);
    expect(event).toEqual({
      message: ok,
      source: { address: '127.0.0.1' },
      timestamp: expect.stringMatching(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2} [+-]\d{4}$/),
      http: { request: { method: 'GET', referrer: 'http://example.com/from' }, version: '1.1', response: { status_code: 200, body: { bytes: 6 } } },
      url: { original: '/index.html?x=1' },
      user_agent: { original: 'grok-test/1.0 (interop)' },
    });
    // No referrer and the default fetch user agent: "-" is left out.
    const miss = grokLine('COMBINEDAPACHELOG', missing);
    expect(miss.http).toMatchObject({ response: { status_code: 404 } });
    expect((miss.http as { request: Record<string, unknown> }).request).not.toHaveProperty('referrer');
  });

  it('NGINX_ERRORLOG reads the error log: level, pid, connection, client, request, host', async () => {
    await httpGet(port, '/nothere.png');
    const [line] = await waitForLines(fileLines(join(dir, 'error.log')), [(l) => l.includes('nothere.png') && l.includes('[error]')]);
    const event = grokLine('NGINX_ERRORLOG', line);
    expect(event).toEqual({
      message: expect.stringMatching(/^open\(\) ".*\/www\/nothere\.png" failed \(2: No such file or directory\)$/),
      timestamp: expect.stringMatching(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}:\d{2}$/),
      log: { level: 'error' },
      process: { pid: nginx.child.pid, thread: { id: expect.any(Number) } },
      nginx: { error: { connection_id: expect.any(Number) } },
      source: { address: '127.0.0.1' },
      http: { request: { method: 'GET' }, version: '1.1' },
      url: { original: '/nothere.png', domain: '127.0.0.1', port },
    });
    const [notice] = await waitForLines(fileLines(join(dir, 'error.log')), [(l) => l.includes('[notice]')]);
    expect(grokLine('NGINX_ERRORLOG', notice)).toMatchObject({ log: { level: 'notice' }, process: { pid: expect.any(Number) } });
  });
});
