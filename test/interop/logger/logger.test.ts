/**
 * util-linux's logger sending real syslog datagrams, RFC 3164 and RFC 5424, to a UDP socket
 * this test listens on: SYSLOGLINE and SYSLOG5424LINE read every field of what it wrote.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { execFileSync } from 'node:child_process';
import { once } from 'node:events';
import { grokLine, waitForLines } from '../lib/programs.js';

const datagrams: string[] = [];
let socket: dgram.Socket;
let port: number;

beforeAll(async () => {
  socket = dgram.createSocket('udp4');
  socket.on('message', (message) => datagrams.push(message.toString('utf8').trimEnd()));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  port = socket.address().port;
});

afterAll(() => socket?.close());

const logger = (...args: string[]) => execFileSync('logger', ['-d', '-n', '127.0.0.1', '-P', String(port), ...args]);

describe('logger syslog lines through grok', () => {
  it('SYSLOGLINE reads an RFC 3164 line: priority, time, host, program, pid, message', async () => {
    logger('--rfc3164', '-p', 'local3.warning', '-t', 'billing', '--id=4242', 'invoice 17 overdue');
    const [line] = await waitForLines(() => datagrams, [(l) => l.includes('invoice 17')]);
    expect(grokLine('SYSLOGLINE', line)).toEqual({
      log: { syslog: { priority: 19 * 8 + 4 } },
      timestamp: expect.stringMatching(/^\w{3} [ \d]\d \d{2}:\d{2}:\d{2}$/),
      host: { hostname: expect.any(String) },
      process: { name: 'billing', pid: 4242 },
      message: 'invoice 17 overdue',
    });
  });

  it('SYSLOG5424LINE reads an RFC 5424 line: version, time, host, app, procid, msgid, structured data', async () => {
    logger('--rfc5424', '-p', 'user.err', '-t', 'orders', '--id=77', '--msgid', 'ORD1', '--sd-id', 'meta@32473', '--sd-param', 'shard="3"', 'order 9 failed');
    const [line] = await waitForLines(() => datagrams, [(l) => l.includes('order 9 failed')]);
    expect(grokLine('SYSLOG5424LINE', line)).toEqual({
      log: { syslog: { priority: 11 } },
      system: { syslog: { version: '1', structured_data: expect.stringContaining('[meta@32473 shard="3"]') } },
      timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d+[+-]\d{2}:\d{2}$/),
      host: { hostname: expect.any(String) },
      process: { name: 'orders', pid: 77 },
      event: { code: 'ORD1' },
      message: 'order 9 failed',
    });
  });
});
