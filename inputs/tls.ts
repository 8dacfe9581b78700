/**
 * TLS for listening inputs (tcp, syslog, beats): one schema, one way to build the server
 * options, one rule for "optional" client certificates.
 */
import { readFileSync } from 'node:fs';
import { createSecureContext, type TLSSocket, type TlsOptions } from 'node:tls';
import { z } from 'zod';
import { ConfigError, errorMessage } from '../pipeline/errors.js';
import { keyMismatch, readCertificates, readPrivateKey } from '../config/pem.js';

export const tlsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Turn TLS on for this listener.'),
    cert: z.string().min(1).describe('Path to the server certificate chain (PEM).'),
    key: z.string().min(1).describe('Path to the server private key (PEM).'),
    key_passphrase: z.string().optional().describe('Passphrase of the private key, if it is encrypted.'),
    ca: z.string().min(1).optional().describe('Path to the CA bundle (PEM) that client certificates must chain to; needed for client_auth optional/required.'),
    client_auth: z
      .enum(['none', 'optional', 'required'])
      .default('none')
      .describe('Client certificates: `none` (not asked for), `optional` (asked for, verified when given), `required` (mTLS: connections without a valid one are refused).'),
    min_version: z.enum(['TLSv1.2', 'TLSv1.3']).default('TLSv1.2').describe('Oldest TLS version accepted.'),
  })
  .superRefine((tls, ctx) => {
    if (tls.client_auth !== 'none' && !tls.ca) {
      ctx.addIssue({ code: 'custom', path: ['ca'], message: `client_auth ${tls.client_auth} needs a ca file to verify client certificates` });
    }
    if (tls.enabled) checkTlsFiles(tls, ctx);
  })
  .describe('TLS settings; omit for plain TCP.');

export type TlsSettings = z.output<typeof tlsSchema>;

/** The files exist, are PEM, the key opens (with its passphrase) and belongs to the certificate (also for client certificates: the kafka input and output). */
export function checkTlsFiles(tls: { cert: string; key: string; key_passphrase?: string | undefined; ca?: string | undefined }, ctx: z.RefinementCtx): void {
  const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
  const cert = readCertificates(tls.cert);
  if (!cert.ok) fail('cert', cert.problem);
  const key = readPrivateKey(tls.key, tls.key_passphrase, 'key_passphrase');
  if (!key.ok) fail('key', key.problem);
  if (cert.ok && key.ok) {
    const mismatch = keyMismatch(cert.value[0], tls.cert, key.value, tls.key);
    if (mismatch) fail('key', mismatch);
  }
  if (tls.ca) {
    const ca = readCertificates(tls.ca);
    if (!ca.ok) fail('ca', ca.problem);
  }
}

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError('SLUICE_TLS', `cannot read TLS ${what} ${path}: ${(err as Error).message}`);
  }
}

/** Server options from checked settings; a file changed since validation is a ConfigError naming it, never OpenSSL's bare text. */
export function tlsServerOptions(tls: TlsSettings): TlsOptions {
  const options: TlsOptions = {
    cert: readPem(tls.cert, 'certificate'),
    key: readPem(tls.key, 'key'),
    ...(tls.key_passphrase ? { passphrase: tls.key_passphrase } : {}),
    ...(tls.ca ? { ca: readPem(tls.ca, 'CA') } : {}),
    requestCert: tls.client_auth !== 'none',
    // "optional" cannot be left to OpenSSL: it would refuse a missing certificate too; checked in clientCertificateProblem().
    rejectUnauthorized: tls.client_auth === 'required',
    minVersion: tls.min_version,
  };
  try {
    createSecureContext(options);
  } catch (err) {
    const message = `TLS certificate ${tls.cert} with key ${tls.key}: ${errorMessage(err).replace(/^error:[0-9A-F]+:/, '')}`;
    throw new ConfigError('SLUICE_TLS', message, [message], { cert: tls.cert, key: tls.key });
  }
  return options;
}

/** Why a TLS client must be refused under `optional`, or undefined when it may stay. */
export function clientCertificateProblem(socket: TLSSocket, tls: TlsSettings): string | undefined {
  if (tls.client_auth !== 'optional') return undefined;
  const cert = socket.getPeerCertificate();
  const presented = cert && Object.keys(cert).length > 0;
  if (presented && !socket.authorized) return `client certificate rejected: ${String(socket.authorizationError)}`;
  return undefined;
}

export function peerSubject(socket: TLSSocket): string | undefined {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0 || !cert.subject) return undefined;
  return Object.entries(cert.subject)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('+') : String(v)}`)
    .join(',');
}
