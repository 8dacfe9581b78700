import { afterAll, describe, expect, it } from 'vitest';
import { rmSync } from 'node:fs';
import { kafkaInputSchema } from '../../../inputs/kafka/config.js';
import { kafkaConnectionOptions } from '../../../config/kafka.js';
import { makeCertificates } from '../../helpers/certs.js';

const certs = makeCertificates();
afterAll(() => rmSync(certs.dir, { recursive: true, force: true }));

function problems(config: Record<string, unknown>): string[] {
  const parsed = kafkaInputSchema.safeParse(config);
  return parsed.success ? [] : parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
}

describe('kafka input settings', () => {
  it('defaults: group sluice, json, earliest for a group with no offsets', () => {
    const config = kafkaInputSchema.parse({ bootstrap_servers: 'k1:9092', topics: ['logs'] });
    expect(config).toMatchObject({ bootstrap_servers: ['k1:9092'], group_id: 'sluice', codec: 'json', start_from: 'earliest', decorate_events: false, max_batch: 2048 });
  });

  it('takes brokers as a list or one comma-separated string', () => {
    expect(kafkaInputSchema.parse({ bootstrap_servers: 'k1:9092, k2:9093,[::1]:9094', topics: ['t'] }).bootstrap_servers).toEqual(['k1:9092', 'k2:9093', '[::1]:9094']);
    expect(kafkaInputSchema.parse({ bootstrap_servers: ['k1:9092'], topics: ['t'] }).bootstrap_servers).toEqual(['k1:9092']);
  });

  it.each([
    ['a broker without a port', { bootstrap_servers: 'k1', topics: ['t'] }, 'bootstrap_servers: expected host:port such as localhost:9092, a comma-separated list of them, or a list of them (got "k1")'],
    ['a port out of range', { bootstrap_servers: ['k1:99999'], topics: ['t'] }, '(got "k1:99999")'],
    ['no topics', { bootstrap_servers: 'k1:9092', topics: [] }, 'topics'],
    ['a heartbeat as long as the session', { bootstrap_servers: 'k1:9092', topics: ['t'], session_timeout: 3, heartbeat_interval: 3 }, 'heartbeat_interval: must be shorter than session_timeout'],
    ['an unknown SASL mechanism', { bootstrap_servers: 'k1:9092', topics: ['t'], sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } }, 'sasl.mechanism'],
    ['a cert without its key', { bootstrap_servers: 'k1:9092', topics: ['t'], tls: { cert: certs.clientCert } }, 'tls.key: cert and key go together'],
    ['a CA file that is a key', { bootstrap_servers: 'k1:9092', topics: ['t'], tls: { ca: certs.clientKey } }, 'tls.ca:'],
    ['a key of another certificate', { bootstrap_servers: 'k1:9092', topics: ['t'], tls: { cert: certs.clientCert, key: certs.rogueKey } }, 'does not match the certificate'],
  ])('refuses %s', (_name, config, expected) => {
    expect(problems(config).join('\n')).toContain(expected);
  });

  it('TLS and SASL become the client options', () => {
    const config = kafkaInputSchema.parse({ bootstrap_servers: 'k1:9093', topics: ['t'], tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey }, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } });
    const options = kafkaConnectionOptions(config, 'kafka input test');
    expect(options.bootstrapBrokers).toEqual(['k1:9093']);
    expect(options.tls?.ca).toEqual(certs.read(certs.ca));
    expect(options.tls?.rejectUnauthorized).toBe(true);
    expect(options.sasl).toMatchObject({ mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' });
  });
});
