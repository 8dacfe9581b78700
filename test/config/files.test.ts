/**
 * Files a config names are checked at validation: each mistake an operator makes with a TLS
 * certificate, key or CA (or a template or dead letter file) is one line with the option's path
 * and the file's name, never OpenSSL's bare text.
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load.js';
import { ConfigError } from '../../pipeline/errors.js';
import { tlsServerOptions, type TlsSettings } from '../../inputs/tls.js';
import { makeCertificates, type TestCertificates } from '../helpers/certs.js';

let certs: TestCertificates;
let dir: string;
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  certs = makeCertificates();
  dir = mkdtempSync(join(tmpdir(), 'sluice-files-'));
});

function problems(yaml: string): string[] {
  try {
    parseConfigText(yaml, 'test.yml', {});
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

function tcpTls(tls: Record<string, string>): string {
  const lines = Object.entries(tls).map(([k, v]) => `      ${k}: ${JSON.stringify(v)}`);
  return `inputs:\n  - type: tcp\n    port: 0\n    tls:\n${lines.join('\n')}\noutputs:\n  - type: stdout\n`;
}

const STACK = /\n\s+at |no start line|DECODER routines|error:[0-9A-F]{8}/;

describe('TLS files of an input', () => {
  it('accepts a matching certificate, key and CA', () => {
    expect(problems(tcpTls({ cert: certs.serverCert, key: certs.serverKey, ca: certs.ca, client_auth: 'required' }))).toEqual([]);
  });

  it('a missing file: the option path, the file and "no such file"', () => {
    const missing = join(dir, 'nope.pem');
    expect(problems(tcpTls({ cert: missing, key: certs.serverKey }))).toEqual([`inputs[0].tls.cert: ${missing}: no such file`]);
  });

  it('a directory where a file is expected', () => {
    const sub = join(dir, 'keys');
    mkdirSync(sub, { recursive: true });
    expect(problems(tcpTls({ cert: certs.serverCert, key: sub }))).toEqual([`inputs[0].tls.key: ${sub}: is a directory, expected a file`]);
  });

  it('a file that is not PEM, an empty one, a DER one, and a certificate given as the key', () => {
    const text = file('notes.txt', 'hello, this is not a certificate\n');
    const empty = file('empty.pem', '');
    const der = file('server.der', execFileSync('openssl', ['x509', '-in', certs.serverCert, '-outform', 'der']));
    expect(problems(tcpTls({ cert: text, key: certs.serverKey }))).toEqual([`inputs[0].tls.cert: ${text}: is not PEM, expected a CERTIFICATE (a -----BEGIN ...----- block)`]);
    expect(problems(tcpTls({ cert: empty, key: certs.serverKey }))).toEqual([`inputs[0].tls.cert: ${empty}: is empty, expected a CERTIFICATE (PEM)`]);
    expect(problems(tcpTls({ cert: der, key: certs.serverKey }))[0]).toMatch(new RegExp(`^inputs\\[0\\]\\.tls\\.cert: ${der}: is binary \\(DER\\), expected PEM text; convert it with openssl`));
    expect(problems(tcpTls({ cert: certs.serverCert, key: certs.serverCert }))).toEqual([`inputs[0].tls.key: ${certs.serverCert}: holds CERTIFICATE, not a PRIVATE KEY`]);
    expect(problems(tcpTls({ cert: certs.serverKey, key: certs.serverKey }))).toEqual([`inputs[0].tls.cert: ${certs.serverKey}: holds PRIVATE KEY, not a CERTIFICATE`]);
  });

  it('a PEM block whose content is damaged', () => {
    const damaged = file('damaged.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
    const [line] = problems(tcpTls({ cert: damaged, key: certs.serverKey }));
    expect(line).toMatch(new RegExp(`^inputs\\[0\\]\\.tls\\.cert: ${damaged}: certificate 1 of 1 cannot be read: `));
  });

  it('an encrypted key: without a passphrase, with a wrong one, with the right one', () => {
    for (const [name, args] of [['enc-pkcs8.key', ['pkey', '-in', certs.serverKey, '-aes256', '-passout', 'pass:s3cret']], ['enc-trad.key', ['rsa', '-in', certs.serverKey, '-aes256', '-traditional', '-passout', 'pass:s3cret']]] as const) {
      const key = file(name, execFileSync('openssl', [...args], { stdio: ['ignore', 'pipe', 'ignore'] }));
      expect(problems(tcpTls({ cert: certs.serverCert, key }))).toEqual([`inputs[0].tls.key: ${key}: the private key is encrypted; set key_passphrase`]);
      expect(problems(tcpTls({ cert: certs.serverCert, key, key_passphrase: 'wrong' }))).toEqual([`inputs[0].tls.key: ${key}: key_passphrase does not decrypt the private key`]);
      expect(problems(tcpTls({ cert: certs.serverCert, key, key_passphrase: 's3cret' }))).toEqual([]);
    }
  });

  it('a key that does not belong to the certificate', () => {
    const [line] = problems(tcpTls({ cert: certs.serverCert, key: certs.clientKey }));
    expect(line).toBe(`inputs[0].tls.key: ${certs.clientKey}: does not match the certificate in ${certs.serverCert} (CN=localhost); use the key that certificate was made for`);
  });

  it('a CA bundle that is not PEM', () => {
    const ca = file('ca.txt', 'not a bundle');
    expect(problems(tcpTls({ cert: certs.serverCert, key: certs.serverKey, ca, client_auth: 'optional' }))).toEqual([`inputs[0].tls.ca: ${ca}: is not PEM, expected a CERTIFICATE (a -----BEGIN ...----- block)`]);
  });

  it('an unreadable file names the user sluice runs as', () => {
    if (process.getuid?.() === 0) return; // root reads every file
    const locked = file('locked.key', 'x');
    chmodSync(locked, 0o000);
    expect(problems(tcpTls({ cert: certs.serverCert, key: locked }))[0]).toMatch(/permission denied/);
  });

  it('every input with tls is checked, and every problem is reported at once; a disabled tls block is not', () => {
    const missing = join(dir, 'missing.pem');
    const yaml = `inputs:\n  - type: syslog\n    tls: { cert: ${missing}, key: ${certs.serverKey} }\n  - type: beats\n    tls: { cert: ${certs.serverCert}, key: ${certs.clientKey} }\n  - type: tcp\n    tls: { enabled: false, cert: ${missing}, key: ${missing} }\noutputs:\n  - type: stdout\n`;
    const lines = problems(yaml);
    expect(lines).toHaveLength(2);
    expect(lines[0]).toBe(`inputs[0].tls.cert: ${missing}: no such file`);
    expect(lines[1]).toMatch(/^inputs\[1\]\.tls\.key: .*does not match the certificate/);
    for (const line of lines) expect(line).not.toMatch(STACK);
  });

  it('a file that changed after validation: the listener refuses with SLUICE_TLS and both file names', () => {
    const cert = file('later.pem', certs.read(certs.serverCert));
    const settings: TlsSettings = { enabled: true, cert, key: certs.clientKey, client_auth: 'none', min_version: 'TLSv1.2' };
    let caught: unknown;
    try {
      tlsServerOptions(settings);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).code).toBe('SLUICE_TLS');
    expect((caught as ConfigError).message).toContain(cert);
    expect((caught as ConfigError).message).toContain(certs.clientKey);
  });
});

describe('files of the elasticsearch output', () => {
  const es = (extra: string) => `inputs:\n  - type: tcp\noutputs:\n  - type: elasticsearch\n    hosts: http://127.0.0.1:9\n${extra}`;

  it('a CA that is not PEM, a template that is not JSON, a dead letter path that is a directory', () => {
    const ca = file('es-ca.pem', 'nope');
    const template = file('template.json', '{ "index_patterns": [');
    const lines = problems(es(`    tls: { ca: ${ca} }\n    template: { file: ${template} }\n    dead_letter_queue: { path: ${dir} }\n`));
    expect(lines[0]).toBe(`outputs[0].tls.ca: ${ca}: is not PEM, expected a CERTIFICATE (a -----BEGIN ...----- block)`);
    expect(lines[1]).toMatch(new RegExp(`^outputs\\[0\\]\\.template\\.file: ${template}: not valid JSON: `));
    expect(lines[2]).toBe(`outputs[0].dead_letter_queue.path: ${dir}: is a directory, expected a file`);
  });

  it('a template that is JSON but not an object; a dead letter file under a file', () => {
    const template = file('list.json', '[1, 2]');
    const plain = file('plain', 'x');
    const lines = problems(es(`    template: { file: ${template} }\n    dead_letter_queue: { path: ${join(plain, 'dlq.ndjson')} }\n`));
    expect(lines).toEqual([`outputs[0].template.file: ${template}: expected a JSON object (an index template body)`, `outputs[0].dead_letter_queue.path: ${join(plain, 'dlq.ndjson')}: a part of the path is not a directory`]);
  });

  it('a dead letter file in directories still to be created is fine', () => {
    expect(problems(es(`    dead_letter_queue: { path: ${join(dir, 'a', 'b', 'dlq.ndjson')} }\n`))).toEqual([]);
  });
});
