/**
 * PEM certificates and private keys checked the way OpenSSL will read them (node:crypto), so a
 * wrong file is named with what is wrong with it instead of OpenSSL's "no start line" later.
 */
import { createPrivateKey, X509Certificate, type KeyObject } from 'node:crypto';
import { readNamedFile } from './files.js';

export type Checked<T> = { ok: true; value: T } | { ok: false; problem: string };

const BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

function pemBlocks(text: string): Array<{ label: string; pem: string }> {
  return [...text.matchAll(BLOCK)].map((m) => ({ label: m[1], pem: m[0] }));
}

/** What a file that is not the expected PEM holds instead, for the message. */
function notPem(path: string, data: Buffer, expected: string, found: readonly string[]): string {
  if (found.length > 0) return `${path}: holds ${[...new Set(found)].join(', ')}, not ${expected}`;
  if (data.length === 0) return `${path}: is empty, expected ${expected} (PEM)`;
  // DER starts with a SEQUENCE tag; it is the usual "certificate from Windows" mistake.
  if (data[0] === 0x30) return `${path}: is binary (DER), expected PEM text; convert it with openssl x509 -inform der (or openssl pkey -inform der for a key)`;
  return `${path}: is not PEM, expected ${expected} (a -----BEGIN ...----- block)`;
}

function reason(err: unknown): string {
  return err instanceof Error ? err.message.replace(/^error:[0-9A-F]+:/, '') : String(err);
}

/** Every certificate of a PEM file (a chain or a CA bundle), parsed. */
export function readCertificates(path: string): Checked<X509Certificate[]> {
  const read = readNamedFile(path);
  if (!read.ok) return read;
  const blocks = pemBlocks(read.data.toString('latin1'));
  const certs = blocks.filter((b) => b.label === 'CERTIFICATE' || b.label === 'TRUSTED CERTIFICATE');
  if (certs.length === 0) return { ok: false, problem: notPem(path, read.data, 'a CERTIFICATE', blocks.map((b) => b.label)) };
  const parsed: X509Certificate[] = [];
  for (const [i, block] of certs.entries()) {
    try {
      parsed.push(new X509Certificate(block.pem));
    } catch (err) {
      return { ok: false, problem: `${path}: certificate ${i + 1} of ${certs.length} cannot be read: ${reason(err)}` };
    }
  }
  return { ok: true, value: parsed };
}

/**
 * The private key of a PEM file. `passphraseOption` names the setting to fill in when the key
 * is encrypted and no passphrase was given.
 */
export function readPrivateKey(path: string, passphrase: string | undefined, passphraseOption: string): Checked<KeyObject> {
  const read = readNamedFile(path);
  if (!read.ok) return read;
  const text = read.data.toString('latin1');
  const blocks = pemBlocks(text);
  const key = blocks.find((b) => b.label.endsWith('PRIVATE KEY'));
  if (!key) return { ok: false, problem: notPem(path, read.data, 'a PRIVATE KEY', blocks.map((b) => b.label)) };
  const encrypted = key.label === 'ENCRYPTED PRIVATE KEY' || /Proc-Type:\s*4,ENCRYPTED/.test(key.pem);
  if (encrypted && passphrase === undefined) return { ok: false, problem: `${path}: the private key is encrypted; set ${passphraseOption}` };
  try {
    return { ok: true, value: createPrivateKey({ key: key.pem, ...(passphrase !== undefined ? { passphrase } : {}) }) };
  } catch (err) {
    if (encrypted && (err as NodeJS.ErrnoException).code === 'ERR_OSSL_BAD_DECRYPT') return { ok: false, problem: `${path}: ${passphraseOption} does not decrypt the private key` };
    return { ok: false, problem: `${path}: the private key cannot be read: ${reason(err)}` };
  }
}

/** Why `key` cannot serve `cert` (the first certificate of the chain), or undefined. */
export function keyMismatch(cert: X509Certificate, certPath: string, key: KeyObject, keyPath: string): string | undefined {
  if (cert.checkPrivateKey(key)) return undefined;
  return `${keyPath}: does not match the certificate in ${certPath} (${cert.subject.replace(/\n/g, ', ')}); use the key that certificate was made for`;
}
