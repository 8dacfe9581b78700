/** Logstash's kafka output and the sluice kafka output it becomes. */
import type { LsValue } from '../ast.js';
import { asInteger, custom, ignored, refused, set, type PluginTable, type PluginTranslation } from './rules.js';
import { COMMON_OUTPUT } from './common.js';

const MECHANISMS: Readonly<Record<string, string>> = { PLAIN: 'plain', 'SCRAM-SHA-256': 'scram-sha-256', 'SCRAM-SHA-512': 'scram-sha-512' };
const PROTOCOLS = new Set(['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL']);

/** Logstash counts milliseconds where sluice counts seconds. */
const milliseconds = (to: string) =>
  custom(`\`${to}\` in seconds`, (v: LsValue, t) => {
    const ms = t.read.number(v);
    t.set(to, typeof ms === 'number' ? ms / 1000 : ms);
  });

/** The login module line of sasl_jaas_config holds the user and password as `username="..." password="..."`. */
function jaasCredential(text: string, name: string): string | undefined {
  return new RegExp(`\\b${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(text)?.slice(1).find((s) => s !== undefined);
}

function protocol(t: PluginTranslation): string {
  const given = t.given.get('security_protocol');
  return given === undefined ? 'PLAINTEXT' : t.read.string(given);
}

export const KAFKA_OUTPUT_TABLE: PluginTable = {
  section: 'output',
  name: 'kafka',
  type: 'kafka',
  options: {
    ...COMMON_OUTPUT,
    codec: custom('`json` only: sluice writes each event as JSON (without @metadata)', (v, t) => {
      const name = v.kind === 'plugin' ? v.plugin.name : t.read.string(v);
      if (name === 'json' && (v.kind !== 'plugin' || v.plugin.attributes.length === 0)) t.comment('codec json: the kafka output writes each event as JSON without @metadata');
      else t.refuse(v.at, `codec ${JSON.stringify(name)} is not supported: sluice's kafka output writes each event as JSON (codec => json)`);
    }),
    bootstrap_servers: set('bootstrap_servers'),
    topic_id: set('topic'),
    message_key: set('key'),
    acks: set('acks'),
    compression_type: set('compression'),
    batch_size: set('batch_bytes', asInteger, '`batch_bytes` (bytes, as in Logstash)'),
    linger_ms: milliseconds('linger'),
    max_request_size: set('max_message_bytes', asInteger),
    client_id: set('client_id'),
    request_timeout_ms: milliseconds('timeout'),
    retry_backoff_ms: milliseconds('retry.initial_backoff'),
    retries: ignored('sluice retries a failed request until shutdown\'s grace runs out (the persisted queue keeps the rest)'),
    security_protocol: custom('`tls.enabled` for SSL and SASL_SSL; SASL_* with `sasl`', (v, t) => {
      const name = t.read.string(v);
      if (!PROTOCOLS.has(name)) t.refuse(v.at, `security_protocol ${JSON.stringify(name)}: expected PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL`);
      else if (name === 'SSL' || name === 'SASL_SSL') t.set('tls.enabled', true);
    }),
    sasl_mechanism: custom('`sasl.mechanism` (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)', (v, t) => {
      const name = t.read.string(v);
      const mechanism = MECHANISMS[name.toUpperCase()];
      if (mechanism) t.set('sasl.mechanism', mechanism);
      else t.refuse(v.at, `sasl_mechanism ${JSON.stringify(name)} is not supported (GSSAPI, OAUTHBEARER): use PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512`);
    }),
    sasl_jaas_config: custom('`sasl.username` and `sasl.password` from the login module\'s username and password', (v, t) => {
      const text = t.read.string(v);
      const username = jaasCredential(text, 'username');
      const password = jaasCredential(text, 'password');
      if (username === undefined || password === undefined) t.refuse(v.at, 'sasl_jaas_config: no username="..." and password="..." found (only PLAIN and SCRAM login modules are supported)');
      else {
        t.set('sasl.username', username);
        t.set('sasl.password', password);
      }
    }),
    ssl_truststore_location: custom('`tls.ca` (a PEM bundle: set ssl_truststore_type => PEM)', (v, t) => {
      t.set('tls.ca', t.read.string(v));
      if (!t.given.has('ssl_truststore_type')) t.comment('tls.ca: sluice reads PEM only; a JKS or PKCS12 truststore must be exported to PEM');
    }),
    ssl_truststore_type: custom('only PEM', (v, t) => {
      const type = t.read.string(v);
      if (type.toUpperCase() !== 'PEM') t.refuse(v.at, `ssl_truststore_type ${JSON.stringify(type)} is not supported: export the truststore to a PEM bundle (ssl_truststore_type => PEM)`);
    }),
    ssl_truststore_password: ignored('a PEM bundle has no password'),
    ssl_endpoint_identification_algorithm: custom('`tls.verify: false` when empty', (v, t) => {
      if (t.read.string(v) === '') t.set('tls.verify', false);
    }),
    ssl_keystore_location: refused('not supported: give the client certificate and key as PEM files in tls.cert and tls.key'),
    key_serializer: ignored('sluice sends keys as UTF-8 text'),
    value_serializer: ignored('sluice sends values as UTF-8 JSON'),
    partitioner: refused('not supported: events with a key go to the key\'s partition (murmur2, as Kafka\'s default), the others round-robin'),
    sasl_kerberos_service_name: refused('not supported: GSSAPI (Kerberos) is not; use PLAIN or SCRAM'),
  },
  finish: (t) => {
    if (!t.given.has('topic_id')) t.refuse(t.plugin.at, 'kafka needs topic_id (Logstash requires it too)');
    if (!t.given.has('bootstrap_servers')) {
      t.set('bootstrap_servers', 'localhost:9092');
      t.comment('bootstrap_servers localhost:9092: Logstash\'s default');
    }
    const acks = t.given.get('acks');
    if (acks === undefined) t.comment('acks all with idempotence, sluice\'s default (Logstash\'s is acks 1): a retried request is kept once');
    else if (t.read.string(acks) !== 'all') {
      t.set('idempotent', false);
      t.comment('idempotent false: idempotence needs acks all');
    }
    if (protocol(t).startsWith('SASL_') && !t.given.has('sasl_mechanism')) t.refuse(t.plugin.at, 'security_protocol SASL_* with Logstash\'s default sasl_mechanism GSSAPI (Kerberos) is not supported: set sasl_mechanism => PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512');
    if (!t.given.has('codec')) t.comment('the event goes as JSON without @metadata (Logstash\'s kafka output defaults to the plain codec)');
  },
};
