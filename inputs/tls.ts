/**
 * TLS for listening inputs (tcp, syslog, beats): one schema, one way to build the server
 * options, one rule for "optional" client certificates.
 */
import { readFileSync } from 'node:fs';
import type { TLSSocket, TlsOptions } from 'node:tls';
import { z } from 'zod';
import { ConfigError } from '../pipeline/errors.js';

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
  })
  .describe('TLS settings; omit for plain TCP.');

export type TlsSettings = z.output<typeof tlsSchema>;

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError('SLUICE_TLS', `cannot read TLS ${what} ${path}: ${(err as Error).message}`);
  }
}

export function tlsServerOptions(tls: TlsSettings): TlsOptions {
  return {
    cert: readPem(tls.cert, 'certificate'),
    key: readPem(tls.key, 'key'),
    ...(tls.key_passphrase ? { passphrase: tls.key_passphrase } : {}),
    ...(tls.ca ? { ca: readPem(tls.ca, 'CA') } : {}),
    requestCert: tls.client_auth !== 'none',
    // "optional" cannot be left to OpenSSL: it would refuse a missing certificate too; checked in clientCertificateProblem().
    rejectUnauthorized: tls.client_auth === 'required',
    minVersion: tls.min_version,
  };
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
