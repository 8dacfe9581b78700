import { describe, expect, it } from 'vitest';
import { allowedCompressionsAlgorithms, compressionsAlgorithms } from '@platformatic/kafka';
import { ConfigError } from '../../../pipeline/errors.js';
import { validateConfig } from '../../../config/validate.js';
import { kafkaOutputSchema, OFFERED_COMPRESSIONS } from '../../../outputs/kafka/config.js';
import { makeCertificates } from '../../helpers/certs.js';

function problems(block: Record<string, unknown>): string[] {
  try {
    validateConfig({ inputs: [{ type: 'tcp', port: 0 }], outputs: [{ type: 'kafka', ...block }] }, 'test.yml');
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

const base = { bootstrap_servers: 'localhost:9092', topic: 'logs' };

describe('kafka output settings', () => {
  it('takes bootstrap_servers as a list or as one comma-separated string, as Logstash does', () => {
    expect(kafkaOutputSchema.parse({ ...base, bootstrap_servers: 'a:9092, b:9093,[::1]:9094' }).bootstrap_servers).toEqual(['a:9092', 'b:9093', '[::1]:9094']);
    expect(kafkaOutputSchema.parse({ ...base, bootstrap_servers: ['a:9092'] }).bootstrap_servers).toEqual(['a:9092']);
    expect(problems({ ...base, bootstrap_servers: 'localhost' })).toEqual([expect.stringMatching(/outputs\[0\]\.bootstrap_servers: expected host:port/)]);
    expect(problems({ ...base, bootstrap_servers: ['a:99999'] })).toEqual([expect.stringMatching(/bootstrap_servers: expected host:port/)]);
    expect(problems({ topic: 'logs' })).toEqual([expect.stringMatching(/bootstrap_servers.*required/)]);
  });

  it('defaults to acks all with idempotence, and refuses idempotence with acks 1 or 0 saying what to do', () => {
    const parsed = kafkaOutputSchema.parse(base);
    expect(parsed).toMatchObject({ acks: 'all', idempotent: true, compression: 'none', max_message_bytes: 1048576, client_id: 'sluice' });
    expect(kafkaOutputSchema.parse({ ...base, acks: 1, idempotent: false }).acks).toBe('1');
    expect(kafkaOutputSchema.parse({ ...base, acks: '0', idempotent: false }).acks).toBe('0');
    expect(problems({ ...base, acks: 1 })).toEqual([expect.stringContaining('outputs[0].acks: idempotent delivery needs acks all (got 1); set idempotent: false to use acks 1')]);
    expect(problems({ ...base, acks: 2 })).toEqual([expect.stringContaining('expected all, 1 or 0')]);
  });

  it('offers the codecs the client has without native add-ons, and says why zstd is missing on this Node.js', () => {
    // Worked out without loading the client, it must be what the client itself says it can do here.
    expect(OFFERED_COMPRESSIONS).toEqual(allowedCompressionsAlgorithms.filter((name) => compressionsAlgorithms[name].available));
    expect(OFFERED_COMPRESSIONS).toEqual(expect.arrayContaining(['none', 'gzip', 'snappy', 'lz4']));
    for (const codec of OFFERED_COMPRESSIONS) expect(problems({ ...base, compression: codec })).toEqual([]);
    if (!OFFERED_COMPRESSIONS.includes('zstd')) expect(problems({ ...base, compression: 'zstd' })).toEqual([expect.stringContaining('zstd needs Node.js 22.15 or later')]);
    expect(problems({ ...base, compression: 'brotli' })).toEqual([expect.stringContaining('expected one of none, gzip')]);
  });

  it('refuses a topic template that does not compile and a batch larger than the broker takes', () => {
    expect(problems({ ...base, topic: '%{[a]b}' })).toHaveLength(1);
    expect(problems({ ...base, topic: '' })).toHaveLength(1);
    expect(problems({ ...base, batch_bytes: 2_000_000 })).toEqual([expect.stringContaining('batch_bytes (2000000) must be at most max_message_bytes (1048576)')]);
  });

  it('checks TLS files as the listeners do, and SASL mechanisms by name', () => {
    const certs = makeCertificates();
    expect(problems({ ...base, tls: { ca: certs.ca } })).toEqual([]);
    expect(problems({ ...base, tls: { ca: certs.ca, cert: certs.clientCert, key: certs.clientKey } })).toEqual([]);
    expect(problems({ ...base, tls: { ca: '/nonexistent/ca.pem' } })).toEqual([expect.stringContaining('outputs[0].tls.ca: /nonexistent/ca.pem: no such file')]);
    expect(problems({ ...base, tls: { cert: certs.clientCert } })).toEqual([expect.stringContaining('outputs[0].tls.key: cert and key go together')]);
    expect(problems({ ...base, sasl: { mechanism: 'scram-sha-512', username: 'u', password: 'p' } })).toEqual([]);
    expect(problems({ ...base, sasl: { mechanism: 'gssapi', username: 'u', password: 'p' } })).toHaveLength(1);
  });
});
