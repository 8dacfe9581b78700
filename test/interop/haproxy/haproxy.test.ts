/**
 * HAProxy itself (Debian's, in the foreground) in front of a small HTTP server, in HTTP mode
 * (option httplog) and TCP mode (option tcplog), logging to a UDP socket this test listens on:
 * the syslog datagrams it sends are parsed by HAPROXYHTTP and HAPROXYTCP, every field checked.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import http from 'node:http';
import net from 'node:net';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, grokLine, httpGet, startProgram, waitForLines, waitForPort, type Program } from '../lib/programs.js';

const dir = mkdtempSync(join(tmpdir(), 'grok-haproxy-'));
const datagrams: string[] = [];
let haproxy: Program;
let app: http.Server;
let syslog: dgram.Socket;
let httpPort: number;
let tcpPort: number;

beforeAll(async () => {
  app = http.createServer((req, res) => res.end(req.url?.startsWith('/big') ? 'x'.repeat(1000) : 'ok'));
  app.listen(0, '127.0.0.1');
  await once(app, 'listening');
  syslog = dgram.createSocket('udp4');
  syslog.on('message', (message) => datagrams.push(message.toString('utf8').trimEnd()));
  syslog.bind(0, '127.0.0.1');
  await once(syslog, 'listening');
  httpPort = await freePort();
  tcpPort = await freePort();
  const appPort = (app.address() as net.AddressInfo).port;
  writeFileSync(
    join(dir, 'haproxy.cfg'),
    `global
  log 127.0.0.1:${syslog.address().port} local0
defaults
  log global
  timeout connect 5s
  timeout client 5s
  timeout server 5s
frontend web
  mode http
  option httplog
  bind 127.0.0.1:${httpPort}
  http-request capture req.hdr(Host) len 40
  default_backend app
frontend raw
  mode tcp
  option tcplog
  bind 127.0.0.1:${tcpPort}
  default_backend app_tcp
backend app
  mode http
  server s1 127.0.0.1:${appPort}
backend app_tcp
  mode tcp
  server s1 127.0.0.1:${appPort}
`,
  );
  haproxy = startProgram('/usr/sbin/haproxy', ['-db', '-f', join(dir, 'haproxy.cfg')]);
  await waitForPort(httpPort);
  await waitForPort(tcpPort);
}, 20_000);

afterAll(async () => {
  await haproxy?.stop();
  syslog?.close();
  app?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('HAProxy log lines through grok', () => {
  it('HAPROXYHTTP reads an httplog line: timers, status, bytes, connections, queues, captured header, request', async () => {
    expect(await httpGet(httpPort, '/big?a=1')).toBe(200);
    const [line] = await waitForLines(() => datagrams, [(l) => l.includes('/big?a=1')]);
    const event = grokLine('HAPROXYHTTP', line.replace(/^<\d+>/, ''));
    expect(event).toEqual({
      message: expect.any(String),
      timestamp: expect.stringMatching(/^\w{3} [ \d]\d \d{2}:\d{2}:\d{2}$/),
      process: { name: 'haproxy', pid: haproxy.child.pid },
      source: { address: '127.0.0.1', port: expect.any(Number), bytes: expect.any(Number) },
      haproxy: {
        request_date: expect.stringMatching(/^\d{2}\/\w{3}\/\d{4}:\d{2}:\d{2}:\d{2}\.\d{3}$/),
        frontend_name: 'web',
        backend_name: 'app',
        server_name: 's1',
        http: { request: { time_wait_ms: expect.any(Number), time_wait_without_data_ms: expect.any(Number), captured_headers: `127.0.0.1:${httpPort}` } },
        total_waiting_time_ms: expect.any(Number),
        connection_wait_time_ms: expect.any(Number),
        total_time_ms: expect.any(Number),
        termination_state: '----',
        connections: { active: expect.any(Number), frontend: expect.any(Number), backend: expect.any(Number), server: expect.any(Number), retries: 0 },
        server_queue: 0,
        backend_queue: 0,
      },
      http: { request: { method: 'GET' }, version: '1.1', response: { status_code: 200 } },
      url: { original: '/big?a=1' },
    });
    expect((event.source as { bytes: number }).bytes).toBeGreaterThan(1000);
    // The datagram with its <PRI> header parses too (SYSLOGLINE carries the priority).
    expect(grokLine('SYSLOGLINE', line)).toMatchObject({ log: { syslog: { priority: 134 } }, process: { name: 'haproxy' } });
  });

  it('HAPROXYTCP reads a tcplog line', async () => {
    const socket = net.connect(tcpPort, '127.0.0.1');
    await once(socket, 'connect');
    socket.end('GET /tcp HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    socket.resume();
    await once(socket, 'close');
    const [line] = await waitForLines(() => datagrams, [(l) => l.includes(' raw app_tcp/s1 ')]);
    expect(grokLine('HAPROXYTCP', line.replace(/^<\d+>/, ''))).toEqual({
      message: expect.any(String),
      timestamp: expect.any(String),
      process: { name: 'haproxy', pid: haproxy.child.pid },
      source: { address: '127.0.0.1', port: expect.any(Number), bytes: expect.any(Number) },
      haproxy: {
        request_date: expect.any(String),
        frontend_name: 'raw',
        backend_name: 'app_tcp',
        server_name: 's1',
        total_waiting_time_ms: expect.any(Number),
        connection_wait_time_ms: expect.any(Number),
        total_time_ms: expect.any(Number),
        termination_state: expect.stringMatching(/^[-A-Za-z]{2}$/),
        connections: { active: expect.any(Number), frontend: expect.any(Number), backend: expect.any(Number), server: expect.any(Number), retries: 0 },
        server_queue: 0,
        backend_queue: 0,
      },
    });
  });
});
