/** The settings of the kafka output as the client library's producer options. */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions as TlsConnectionOptions } from 'node:tls';
import type { ProducerOptions, SASLMechanismValue } from '@platformatic/kafka';
import { ConfigError } from '../../pipeline/errors.js';
import type { KafkaOutputConfig } from './config.js';

/** The client's ProduceAcks values (ALL, LEADER, NO_RESPONSE), written out so that the settings load without the client. */
const ACKS = { all: -1, '1': 1, '0': 0 } as const;
const MECHANISMS: Record<NonNullable<KafkaOutputConfig['sasl']>['mechanism'], SASLMechanismValue> = { plain: 'PLAIN', 'scram-sha-256': 'SCRAM-SHA-256', 'scram-sha-512': 'SCRAM-SHA-512' };

function readPem(path: string, what: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError('SLUICE_TLS', `kafka output: cannot read TLS ${what} ${path}: ${(err as Error).message}`);
  }
}

function tlsOptions(tls: NonNullable<KafkaOutputConfig['tls']>): TlsConnectionOptions {
  return {
    ...(tls.ca ? { ca: readPem(tls.ca, 'CA') } : {}),
    ...(tls.cert ? { cert: readPem(tls.cert, 'certificate') } : {}),
    ...(tls.key ? { key: readPem(tls.key, 'key') } : {}),
    ...(tls.key_passphrase !== undefined ? { passphrase: tls.key_passphrase } : {}),
    rejectUnauthorized: tls.verify,
    ...(tls.verify ? {} : { checkServerIdentity: () => undefined }),
  };
}

export function producerOptions(config: KafkaOutputConfig): ProducerOptions<Buffer, Buffer, Buffer, Buffer> {
  const timeoutMs = Math.max(1, Math.round(config.timeout * 1000));
  return {
    clientId: config.client_id,
    bootstrapBrokers: config.bootstrap_servers,
    idempotent: config.idempotent,
    acks: ACKS[config.acks],
    compression: config.compression,
    timeout: timeoutMs,
    connectTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    // The output retries itself, with jittered backoff and stop's grace; `false` (not 0) keeps the client from retrying forever when idempotent.
    retries: false,
    // Topics are chosen per event: let the broker create them when it allows that (auto.create.topics.enable).
    autocreateTopics: true,
    ...(config.idempotent ? {} : { maxInflights: config.max_in_flight }),
    ...(config.tls?.enabled ? { tls: tlsOptions(config.tls) } : {}),
    ...(config.sasl ? { sasl: { mechanism: MECHANISMS[config.sasl.mechanism], username: config.sasl.username, password: config.sasl.password } } : {}),
  };
}
