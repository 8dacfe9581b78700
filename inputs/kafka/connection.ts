/**
 * How sluice reaches a Kafka cluster: the broker list, TLS and SASL settings (one schema, the
 * same checks on the files as every other TLS user), turned into the client library's options.
 * Nothing here is about consuming, so a producer can use it as it is.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { BaseOptions, SASLOptions } from '@platformatic/kafka';
import { z } from 'zod';
import { readCertificates } from '../../config/pem.js';
import { checkTlsFiles } from '../tls.js';
import { ConfigError } from '../../pipeline/errors.js';

const BROKER = /^(\[[0-9a-fA-F:.]+\]|[^\s:,[\]]+):(\d{1,5})$/;
const brokerMessage = 'expected host:port such as kafka-1:9092, a comma-separated list of them, or a list of them';

function brokerProblem(text: string): string | undefined {
  const match = BROKER.exec(text);
  if (!match) return `${JSON.stringify(text)}: ${brokerMessage}`;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return `${JSON.stringify(text)}: port ${port} is not 1..65535`;
  return undefined;
}

export const bootstrapServersSchema = z
  .union([z.string().min(1), z.array(z.string().min(1)).min(1)], { error: (issue) => (issue.input === undefined ? undefined : brokerMessage) })
  .transform((value) => (Array.isArray(value) ? value : value.split(',')).map((s) => s.trim()).filter(Boolean))
  .superRefine((servers, ctx) => {
    if (servers.length === 0) ctx.addIssue({ code: 'custom', message: brokerMessage });
    for (const server of servers) {
      const problem = brokerProblem(server);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }
  })
  .describe('Brokers to bootstrap from, as `host:port`: a list or one comma-separated string. The client learns the rest of the cluster from them.');

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
  /** Seconds to connect to one broker before that attempt fails. */
  connect_timeout: number;
}

const SASL_MECHANISMS = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' } as const satisfies Record<KafkaSaslSettings['mechanism'], SASLOptions['mechanism']>;

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError('SLUICE_TLS', `cannot read Kafka TLS ${what} ${path}: ${(err as Error).message}`);
  }
}

function tlsOptions(tls: KafkaTlsSettings): TlsConnectionOptions {
  return {
    ...(tls.ca ? { ca: readPem(tls.ca, 'CA') } : {}),
    ...(tls.cert ? { cert: readPem(tls.cert, 'certificate') } : {}),
    ...(tls.key ? { key: readPem(tls.key, 'key') } : {}),
    ...(tls.key_passphrase !== undefined ? { passphrase: tls.key_passphrase } : {}),
    rejectUnauthorized: tls.verify,
  };
}

/** The library's client options for these settings (files read now: a file changed since validation is named). */
export function clientOptions(settings: KafkaConnectionSettings): BaseOptions {
  return {
    clientId: settings.client_id,
    bootstrapBrokers: settings.bootstrap_servers,
    connectTimeout: Math.max(1, settings.connect_timeout * 1000),
    ...(settings.tls?.enabled ? { tls: tlsOptions(settings.tls) } : {}),
    ...(settings.sasl ? { sasl: { mechanism: SASL_MECHANISMS[settings.sasl.mechanism], username: settings.sasl.username, password: settings.sasl.password } } : {}),
  };
}
