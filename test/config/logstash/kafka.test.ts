/** Logstash's kafka input as sluice's: the same option names where they exist, Logstash's defaults kept. */
import { describe, expect, it } from 'vitest';
import { parseLogstashText } from '../../../config/logstash/index.js';
import { ConfigError } from '../../../pipeline/errors.js';

function kafkaBlock(options: string): Record<string, unknown> {
  const config = parseLogstashText(`input { kafka { ${options} } }\noutput { stdout { } }`, 'p.conf', {}, () => undefined);
  expect(config.inputs[0].plugin.type).toBe('kafka');
  return config.inputs[0].config as Record<string, unknown>;
}

function refusals(options: string): string[] {
  try {
    parseLogstashText(`input { kafka { ${options} } }\noutput { stdout { } }`, 'p.conf', {}, () => undefined);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

describe('Logstash kafka input', () => {
  it("keeps Logstash's defaults: localhost, topic logstash, group logstash, plain values, latest", () => {
    expect(kafkaBlock('')).toMatchObject({ bootstrap_servers: ['localhost:9092'], topics: ['logstash'], group_id: 'logstash', codec: 'plain', start_from: 'latest' });
  });

  it('maps the options users set on an indexer tier', () => {
    const block = kafkaBlock(`bootstrap_servers => "k1:9092,k2:9092" topics => ["app", "nginx"] group_id => "indexers" codec => json
      auto_offset_reset => "earliest" decorate_events => "basic" session_timeout_ms => 10000 heartbeat_interval_ms => 2000 max_poll_records => 500
      security_protocol => "SASL_SSL" sasl_mechanism => "SCRAM-SHA-512" sasl_jaas_config => "org.apache.kafka.common.security.scram.ScramLoginModule required username='idx' password='s3cret';"`);
    expect(block).toMatchObject({
      bootstrap_servers: ['k1:9092', 'k2:9092'],
      topics: ['app', 'nginx'],
      group_id: 'indexers',
      codec: 'json',
      start_from: 'earliest',
      decorate_events: true,
      session_timeout: 10,
      heartbeat_interval: 2,
      max_batch: 500,
      tls: { enabled: true },
      sasl: { mechanism: 'scram-sha-512', username: 'idx', password: 's3cret' },
    });
  });

  it.each([
    ['a Java truststore', 'ssl_truststore_location => "/etc/kafka/truststore.jks"', 'export the CA (keytool -exportcert -rfc) and set `tls.ca`'],
    ['GSSAPI', 'sasl_mechanism => "GSSAPI" sasl_jaas_config => "x"', 'sluice speaks PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512'],
    ['a mechanism without credentials', 'sasl_mechanism => "PLAIN"', 'SASL needs sasl_mechanism and sasl_jaas_config together'],
    ['auto_offset_reset none', 'auto_offset_reset => "none"', 'auto_offset_reset "none" is not supported'],
    ['a topics pattern', 'topics_pattern => "app-.*"', 'list the topics in `topics`'],
  ])('refuses %s with what to do', (_name, options, expected) => {
    expect(refusals(options).join('\n')).toContain(expected);
  });
});
