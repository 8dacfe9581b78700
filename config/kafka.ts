/**
 * How the kafka input and output reach a Kafka cluster: the broker list, TLS and SASL settings
 * (one schema, the same checks on the files as every other TLS user), turned into the client
 * library's options. Types only from the library, so validating a config does not load it.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import { z } from 'zod';
import { readCertificates } from './pem.js';
import { checkTlsFiles } from '../inputs/tls.js';
import { ConfigError } from '../pipeline/errors.js';

const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^\s:,[\]]+):(\d{1,5})$/;
const serverMessage = 'expected host:port such as localhost:9092, a comma-separated list of them, or a list of them';

function isHostPort(text: string): boolean {
  const match = HOST_PORT.exec(text);
  return match !== null && Number(match[2]) > 0 && Number(match[2]) <= 65535;
}

export const bootstrapServersSchema = z
  .union([z.string().min(1), z.array(z.string()).min(1)], { error: (issue) => (issue.input === undefined ? undefined : serverMessage) })
  // Logstash's bootstrap_servers is one comma-separated string; a list reads better in YAML.
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean))
  .superRefine((servers, ctx) => {
    const bad = servers.filter((server) => !isHostPort(server));
    if (servers.length === 0 || bad.length > 0) ctx.addIssue({ code: 'custom', message: `${serverMessage}${bad.length > 0 ? ` (got ${bad.map((b) => JSON.stringify(b)).join(', ')})` : ''}` });
  })
  .describe('Brokers to learn the cluster from, as `host:port`: a list, or one comma-separated string as Logstash takes it. The others are found from their metadata.');

export const kafkaTlsSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Turn TLS on towards the brokers.'),
    ca: z.string().min(1).optional().describe('CA bundle (PEM) that the brokers\' certificates must chain to; unset: the system\'s CAs.'),
    cert: z.string().min(1).optional().describe('Client certificate chain (PEM), for brokers that ask for one (mTLS).'),
    key: z.string().min(1).optional().describe('Private key (PEM) of the client certificate.'),
    key_passphrase: z.string().optional().describe('Passphrase of the private key, if it is encrypted (never logged).'),
    verify: z.boolean().default(true).describe('Verify the brokers\' certificates and host names.'),
  })
  .superRefine((tls, ctx) => {
    const fail = (path: string, message: string) => ctx.addIssue({ code: 'custom', path: [path], message });
    if ((tls.cert === undefined) !== (tls.key === undefined)) fail(tls.cert === undefined ? 'cert' : 'key', 'cert and key go together');
    if (!tls.enabled) return;
    if (tls.cert && tls.key) checkTlsFiles({ cert: tls.cert, key: tls.key, key_passphrase: tls.key_passphrase, ca: tls.ca }, ctx);
    else if (tls.ca) {
      const ca = readCertificates(tls.ca);
      if (!ca.ok) fail('ca', ca.problem);
    }
  })
  .describe('TLS to the brokers; omit for plaintext.');

export const kafkaSaslSchema = z
  .strictObject({
    mechanism: z.enum(['plain', 'scram-sha-256', 'scram-sha-512']).describe('SASL mechanism the brokers\' listener expects.'),
    username: z.string().min(1).describe('SASL user name.'),
    password: z.string().describe('SASL password (never logged).'),
  })
  .describe('SASL authentication; use it with `tls` unless the network is trusted (PLAIN sends the password as it is).');

export type KafkaTlsSettings = z.output<typeof kafkaTlsSchema>;
export type KafkaSaslSettings = z.output<typeof kafkaSaslSchema>;

export interface KafkaConnectionSettings {
  bootstrap_servers: string[];
  client_id: string;
  tls?: KafkaTlsSettings | undefined;
  sasl?: KafkaSaslSettings | undefined;
}

const SASL_MECHANISMS = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const satisfies Record<KafkaSaslSettings['mechanism'], SASLOptions['mechanism']>;

function readPem(path: string, what: string, who: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError('SLUICE_TLS', `${who}: cannot read TLS ${what} ${path}: ${(err as Error).message}`);
  }
}

function tlsOptions(tls: KafkaTlsSettings, who: string): TlsConnectionOptions {
  return {
    ...(tls.ca ? { ca: readPem(tls.ca, 'CA', who) } : {}),
    ...(tls.cert ? { cert: readPem(tls.cert, 'certificate', who) } : {}),
    ...(tls.key ? { key: readPem(tls.key, 'key', who) } : {}),
    ...(tls.key_passphrase !== undefined ? { passphrase: tls.key_passphrase } : {}),
    rejectUnauthorized: tls.verify,
    ...(tls.verify ? {} : { checkServerIdentity: () => undefined }),
  };
}

/** The library's client options for these settings; `who` names the plugin if a file changed since validation. */
export function kafkaConnectionOptions(settings: KafkaConnectionSettings, who: string): BaseOptions {
  return {
    clientId: settings.client_id,
    bootstrapBrokers: settings.bootstrap_servers,
    ...(settings.tls?.enabled ? { tls: tlsOptions(settings.tls, who) } : {}),
    ...(settings.sasl ? { sasl: { mechanism: SASL_MECHANISMS[settings.sasl.mechanism], username: settings.sasl.username, password: settings.sasl.password } } : {}),
  };
}
