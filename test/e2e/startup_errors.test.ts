/**
 * What an operator sees when sluice cannot start: `check` refuses what `run` could not open,
 * and every start-up failure is one line with its stable code, no stack trace, exit 2 for a
 * bad config and 1 for the environment (a port in use).
 */
import { createServer, type Server } from 'node:net';
import { createSocket } from 'node:dgram';
import { once } from 'node:events';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { killAllSluices, runSluiceCommand, startSluice, writeConfig } from '../helpers/sluice.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';

const STACK = /\n\s+at |no start line|DECODER routines|error:[0-9A-F]{8}|Error: /;

let certs: TestCertificates;
let taken: Server;
let takenPort: number;

beforeAll(async () => {
  certs = makeCertificates();
  taken = createServer();
  taken.listen(0, '127.0.0.1');
  await once(taken, 'listening');
  takenPort = (taken.address() as { port: number }).port;
});
afterAll(() => {
  killAllSluices();
  taken.close();
});

function stderrLines(stderr: string): string[] {
  return stderr.split('\n').filter((l) => l.length > 0);
}

describe('start-up errors', () => {
  it('check and run refuse a TLS key that does not match its certificate, naming the option and the file', async () => {
    const missing = join(certs.dir, 'missing.pem');
    const path = writeConfig(
      `inputs:\n  - type: tcp\n    port: 0\n    tls:\n      cert: ${certs.serverCert}\n      key: ${certs.clientKey}\n  - type: beats\n    port: 0\n    tls:\n      cert: ${missing}\n      key: ${certs.serverKey}\noutputs:\n  - type: stdout\n`,
    );
    for (const command of ['check', 'run']) {
      const { code, stderr, stdout } = await runSluiceCommand([command, '-c', path]);
      expect(code, `${command}: ${stderr}`).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).not.toMatch(STACK);
      const lines = stderrLines(stderr);
      expect(lines[0]).toBe(`sluice: ${path}: 2 problem(s) [SLUICE_CONFIG_INVALID]`);
      expect(lines).toContain(`  inputs[0].tls.key: ${certs.clientKey}: does not match the certificate in ${certs.serverCert} (CN=localhost); use the key that certificate was made for`);
      expect(lines).toContain(`  inputs[1].tls.cert: ${missing}: no such file`);
    }
  });

  it('check: a required option left out says "required", never zod\'s wording', async () => {
    const path = writeConfig('inputs:\n  - type: tcp\noutputs:\n  - type: elasticsearch\n');
    const { code, stderr } = await runSluiceCommand(['check', '-c', path]);
    expect(code).toBe(2);
    expect(stderrLines(stderr)).toEqual([`sluice: ${path}: 1 problem(s) [SLUICE_CONFIG_INVALID]`, '  outputs[0].hosts: required']);
  });

  it('a missing pipeline file is one line with its code', async () => {
    const { code, stderr } = await runSluiceCommand(['run', '-c', '/nonexistent/pipeline.yml']);
    expect(code).toBe(2);
    expect(stderrLines(stderr)).toEqual(['sluice: /nonexistent/pipeline.yml: cannot read: no such file [SLUICE_CONFIG_READ]']);
  });

  it('a TCP port in use: one fatal line with SLUICE_LISTEN and what to do, exit 1', async () => {
    const path = writeConfig(`api: { enabled: false }\ninputs:\n  - type: tcp\n    id: apps\n    host: 127.0.0.1\n    port: ${takenPort}\noutputs:\n  - type: stdout\n`);
    const { code, stderr } = await runSluiceCommand(['run', '-c', path]);
    expect(code).toBe(1);
    expect(stderr).not.toMatch(STACK);
    const fatal = stderrLines(stderr).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ msg: 'cannot start', code: 'SLUICE_LISTEN', err: `input apps: cannot listen on tcp 127.0.0.1:${takenPort}: port ${takenPort} is already in use by another process: stop it, or set another port` });
  });

  it('the API port in use: sluice runs on (as Logstash does) and says so with SLUICE_LISTEN', async () => {
    const sluice = await startSluice(`api: { host: 127.0.0.1, port: ${takenPort} }\ninputs:\n  - { type: tcp, port: 0 }\noutputs:\n  - type: stdout\n`);
    const line = await sluice.waitForLog((l) => l.msg === 'monitoring API not started');
    expect(line).toMatchObject({ level: 50, code: 'SLUICE_LISTEN', port: takenPort });
    expect(await sluice.stop()).toBe(0);
  });

  it('a UDP port in use, and a port in use with several worker processes: the same line', async () => {
    const udp = createSocket('udp4');
    udp.bind(0, '127.0.0.1');
    await once(udp, 'listening');
    const udpPort = udp.address().port;
    try {
      const single = writeConfig(`api: { enabled: false }\ninputs:\n  - type: udp\n    id: dgrams\n    host: 127.0.0.1\n    port: ${udpPort}\noutputs:\n  - type: stdout\n`);
      const one = await runSluiceCommand(['run', '-c', single]);
      expect(one.code).toBe(1);
      expect(stderrLines(one.stderr).map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.level === 60)).toMatchObject({ code: 'SLUICE_LISTEN', err: expect.stringContaining(`input dgrams: cannot listen on udp 127.0.0.1:${udpPort}: port ${udpPort} is already in use`) });
    } finally {
      udp.close();
    }
    const cluster = writeConfig(`pipeline: { workers: 2 }\napi: { enabled: false }\ninputs:\n  - type: tcp\n    id: apps\n    host: 127.0.0.1\n    port: ${takenPort}\noutputs:\n  - type: stdout\n`);
    const many = await runSluiceCommand(['run', '-c', cluster]);
    expect(many.code).toBe(1);
    expect(many.stderr).not.toMatch(STACK);
    const fatal = stderrLines(many.stderr).map((l) => JSON.parse(l) as Record<string, unknown>).filter((l) => l.level === 60);
    expect(fatal).toHaveLength(1);
    expect(fatal[0]).toMatchObject({ msg: 'cannot start', code: 'SLUICE_LISTEN', err: expect.stringContaining(`port ${takenPort} is already in use`) });
  });
});
