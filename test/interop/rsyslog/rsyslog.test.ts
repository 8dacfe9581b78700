/**
 * Real forwarders into the syslog input: a private rsyslogd (from Debian) relaying over UDP
 * with the RFC 3164 template, over TCP with octet counting and the RFC 5424 template, and over
 * TLS (RFC 5425, with a client certificate); and util-linux `logger` in each of its modes.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, startSluice, type JsonObject, type SluiceProcess } from '../../helpers/sluice.js';
import { syslogPipeline } from '../../helpers/syslog_pipeline.js';
import { makeCertificates, type TestCertificates } from '../../helpers/certs.js';

const run = promisify(execFile);
const daemons: ChildProcess[] = [];
let certs: TestCertificates;

beforeAll(() => {
  certs = makeCertificates();
});
afterAll(() => {
  for (const daemon of daemons) daemon.kill('SIGKILL');
  killAllSluices();
});

/** A port the OS says is free now (rsyslog cannot be told to pick one and report it). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

type Forward = 'udp-3164' | 'tcp-5424-octet' | 'tls-5424';

async function startRsyslog(forward: Forward, sluicePort: number): Promise<number> {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-rsyslog-'));
  const inPort = await freePort();
  const target = `target="127.0.0.1" port="${sluicePort}"`;
  const actions: Record<Forward, string> = {
    'udp-3164': `action(type="omfwd" ${target} protocol="udp" template="RSYSLOG_TraditionalForwardFormat")`,
    'tcp-5424-octet': `action(type="omfwd" ${target} protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format")`,
    'tls-5424': `action(type="omfwd" ${target} protocol="tcp" TCP_Framing="octet-counted" template="RSYSLOG_SyslogProtocol23Format" StreamDriver="gtls" StreamDriverMode="1" StreamDriverAuthMode="x509/name" StreamDriverPermittedPeers="localhost")`,
  };
  const tlsGlobal =
    forward === 'tls-5424'
      ? `global(DefaultNetstreamDriverCAFile="${certs.ca}" DefaultNetstreamDriverCertFile="${certs.clientCert}" DefaultNetstreamDriverKeyFile="${certs.clientKey}")\n`
      : '';
  const conf = join(dir, 'rsyslog.conf');
  writeFileSync(
    conf,
    `global(workDirectory="${dir}")\n${tlsGlobal}module(load="imudp")\ninput(type="imudp" address="127.0.0.1" port="${inPort}")\n${actions[forward]}\n`,
  );
  const daemon = spawn('rsyslogd', ['-n', '-f', conf, '-i', join(dir, 'rsyslogd.pid')], { stdio: ['ignore', 'ignore', 'pipe'] });
  daemons.push(daemon);
  return inPort;
}

async function sendUdp(port: number, text: string): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => socket.send(text, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  socket.close();
}

/** Sends a probe through the relay until one arrives: rsyslog has no "ready" signal to wait on. */
async function waitForRelay(sluice: SluiceProcess, inPort: number): Promise<void> {
  for (let attempt = 0; attempt < 100; attempt++) {
    await sendUdp(inPort, `<134>Nov 22 10:00:00 relayhost probe[1]: probe ${attempt}`);
    try {
      await sluice.waitForStdoutEvents(sluice.stdoutLines.length + 1, 300);
      return;
    } catch {
      // not relayed yet
    }
  }
  throw new Error('rsyslog never relayed a probe');
}

function isOrder(event: JsonObject): boolean {
  return (event.process as { name?: string } | undefined)?.name === 'orders';
}

describe('rsyslog relaying to the syslog input', () => {
  it.each(['udp-3164', 'tcp-5424-octet', 'tls-5424'] as const)('%s: every message arrives, parsed', async (forward) => {
    const sluice = await startSluice(syslogPipeline(forward === 'tls-5424' ? certs : undefined));
    const inPort = await startRsyslog(forward, sluice.port('syslog', forward === 'udp-3164' ? 'udp' : forward === 'tls-5424' ? 'tls' : 'tcp'));
    await waitForRelay(sluice, inPort);
    const n = 200;
    for (let i = 0; i < n; i++) await sendUdp(inPort, `<134>Nov 22 10:01:02 web-7 orders[4242]: order ${i} shipped`);
    // Counted by what they are, not by position: a late second probe may arrive among them.
    const events = await sluice.waitForStdoutEventsWhere(isOrder, n, 30_000);
    expect(events).toHaveLength(n);
    expect(new Set(events.map((e) => e.message))).toEqual(new Set(Array.from({ length: n }, (_, i) => `order ${i} shipped`)));
    for (const event of events) {
      expect(event).toMatchObject({
        host: { hostname: 'web-7' },
        process: { name: 'orders', pid: 4242 },
        log: { syslog: { priority: 134, facility: { code: 16, name: 'local0' }, severity: { code: 6, name: 'informational' }, hostname: 'web-7', appname: 'orders', procid: 4242 } },
      });
      expect(event.tags).toBeUndefined();
      if (forward !== 'udp-3164') expect((event.log as { syslog: { version: number } }).syslog.version).toBe(1);
      if (forward === 'tls-5424') expect(event['@metadata']).toMatchObject({ input: { type: 'syslog', tls: { subject: expect.stringContaining('app-client') } } });
    }
    expect(await sluice.counter('decode_failures_total', 'syslog')).toBe(0);
    expect(await sluice.stop()).toBe(0);
  }, 90_000);
});

describe('util-linux logger into the syslog input', () => {
  let sluice: SluiceProcess;
  beforeAll(async () => {
    sluice = await startSluice(syslogPipeline());
  });

  it.each([
    ['--rfc3164 --udp', ['--rfc3164', '--udp'], undefined],
    ['--rfc5424 --udp', ['--rfc5424', '--udp'], 1],
    ['--rfc3164 --tcp', ['--rfc3164', '--tcp'], undefined],
    ['--rfc5424 --tcp', ['--rfc5424', '--tcp'], 1],
    ['--rfc5424 --tcp --octet-count', ['--rfc5424', '--tcp', '--octet-count'], 1],
    ['--rfc3164 --tcp --octet-count', ['--rfc3164', '--tcp', '--octet-count'], undefined],
  ])('logger %s', async (name, flags, version) => {
    const port = sluice.port('syslog', flags.includes('--udp') ? 'udp' : 'tcp');
    const before = sluice.stdoutLines.length;
    const tag = `logger-${flags.join('').replace(/-/g, '')}`;
    const lines = Array.from({ length: 20 }, (_, i) => `message ${i} from ${name}`);
    await run('logger', [...flags, '-n', '127.0.0.1', '-P', String(port), '-t', tag, '--id=777', '-p', 'local3.warning', ...(flags.includes('--rfc5424') ? ['--msgid', 'M42', '--sd-id', 'meta@32473', '--sd-param', 'run="7"'] : []), lines[0]]);
    // One logger process per message keeps each send a real client run; the rest go through stdin, one per line.
    const child = spawn('logger', [...flags, '-n', '127.0.0.1', '-P', String(port), '-t', tag, '--id=777', '-p', 'local3.warning'], { stdio: ['pipe', 'ignore', 'inherit'] });
    child.stdin.end(`${lines.slice(1).join('\n')}\n`);
    await new Promise((resolve) => child.on('exit', resolve));
    const events = (await sluice.waitForStdoutEvents(before + lines.length, 20_000)).slice(before);
    expect(events.map((e) => e.message).sort()).toEqual([...lines].sort());
    for (const event of events) {
      expect(event).toMatchObject({
        process: { name: tag, pid: 777 },
        log: { syslog: { facility: { code: 19, name: 'local3' }, severity: { code: 4, name: 'warning' }, appname: tag, procid: 777 } },
      });
      expect(event.tags).toBeUndefined();
      expect((event.log as { syslog: { version?: number } }).syslog.version).toBe(version);
      expect(typeof (event.host as { hostname: string }).hostname).toBe('string');
      expect(Math.abs(Date.parse(String(event['@timestamp'])) - Date.now())).toBeLessThan(120_000);
    }
    if (version === 1) {
      const first = events.find((e) => e.message === lines[0]) as JsonObject;
      expect(first.log).toMatchObject({ syslog: { msgid: 'M42', structured_data: { 'meta@32473': { run: '7' } } } });
    }
  }, 60_000);

  afterAll(async () => {
    expect(await sluice.counter('decode_failures_total', 'syslog')).toBe(0);
    await sluice.stop();
  });
});
