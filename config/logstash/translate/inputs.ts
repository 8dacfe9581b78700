/** Logstash inputs and the sluice inputs they become. */
import { asBoolean, asInteger, asNumber, asStringList, custom, ignored, refused, set, type PluginTable, type PluginTranslation } from './rules.js';
import type { ValueReader } from './values.js';
import { codecRule, COMMON_INPUT, oneCaFile, type CodecChoice } from './common.js';
import type { LsValue } from '../ast.js';
import { dirname } from 'node:path';

const STREAM_LINES = 'sluice splits the stream at line ends, which is what Logstash gives when each write is one line';

const TCP_CODECS: Record<string, CodecChoice> = {
  line: { to: 'lines' },
  plain: { to: 'lines', note: `Logstash's plain codec gives one event per read; ${STREAM_LINES}` },
  json_lines: { to: 'json_lines' },
  json: { to: 'json_lines', note: `Logstash's json codec parses each read as one document; ${STREAM_LINES}, one JSON document per line` },
};

const UDP_CODECS: Record<string, CodecChoice> = {
  json: { to: 'json' },
  json_lines: { to: 'json_lines' },
  line: { to: 'lines' },
  plain: { to: 'lines', note: 'Logstash keeps a datagram of several lines as one message; sluice gives one event per line' },
};

const KAFKA_CODECS: Record<string, CodecChoice> = {
  plain: { to: 'plain' },
  line: { to: 'lines' },
  json: { to: 'json' },
};

const millisecondsAsSeconds = (r: ValueReader, v: LsValue): number => r.number(v) / 1000;

const tlsOn = custom('`tls.enabled`', (v, t) => {
  if (t.read.boolean(v)) t.set('tls.enabled', true);
  else if (t.block.tls !== undefined) t.set('tls.enabled', false);
});

const CLIENT_AUTH: Record<string, string> = { none: 'none', optional: 'optional', required: 'required', peer: 'optional', force_peer: 'required' };

const clientAuth = custom('`tls.client_auth` (none, optional, required; 1.x-7.x `ssl_verify_mode` none, peer, force_peer)', (v, t) => {
  const mode = t.read.string(v);
  const to = CLIENT_AUTH[mode];
  if (to) t.set('tls.client_auth', to);
  else t.refuse(v.at, `ssl client authentication ${JSON.stringify(mode)} is not one of ${Object.keys(CLIENT_AUTH).join(', ')}`);
});

const TLS_OPTIONS = {
  ssl_enabled: tlsOn,
  ssl_enable: tlsOn,
  ssl: tlsOn,
  ssl_certificate: set('tls.cert'),
  ssl_cert: set('tls.cert'),
  ssl_key: set('tls.key'),
  ssl_key_passphrase: set('tls.key_passphrase'),
  ssl_certificate_authorities: oneCaFile,
  ssl_client_authentication: clientAuth,
  ssl_verify_mode: clientAuth,
  ssl_supported_protocols: refused('use `tls.min_version` (TLSv1.2 or TLSv1.3) in YAML'),
  ssl_cipher_suites: refused('sluice uses Node.js\'s default cipher list'),
  ssl_extra_chain_certs: refused('put the chain into the ssl_certificate file after the certificate'),
  ssl_handshake_timeout: ignored('sluice does not bound the TLS handshake on its own; idle_timeout covers a silent peer'),
};

/** Logstash's `ssl_verify => true` on tcp asks for client certificates. */
const sslVerify = custom('`tls.client_auth: required` when true', (v, t) => {
  if (t.read.boolean(v)) t.set('tls.client_auth', 'required');
});

/** tls.enabled without cert/key is refused by the sluice schema; the block must exist only when TLS is on. */
function finishTls(t: PluginTranslation): void {
  const tls = t.block.tls as Record<string, unknown> | undefined;
  if (tls && tls.enabled !== true && tls.cert === undefined) delete t.block.tls;
  else if (tls && tls.enabled === true && (tls.cert === undefined || tls.key === undefined)) {
    t.refuse(t.plugin.at, 'TLS needs ssl_certificate and ssl_key (sluice has no self-signed default)');
  }
}

const portRequired = (t: PluginTranslation, what: string) => {
  if (!t.given.has('port')) t.refuse(t.plugin.at, `${what} needs a port (Logstash requires it too)`);
};

export const INPUT_TABLES: readonly PluginTable[] = [
  {
    section: 'input',
    name: 'tcp',
    type: 'tcp',
    options: {
      ...COMMON_INPUT,
      host: set('host'),
      port: set('port', asInteger),
      codec: codecRule(TCP_CODECS, 'line'),
      mode: custom('only `server`', (v, t) => {
        if (t.read.string(v) !== 'server') t.refuse(v.at, 'sluice\'s tcp input only listens (mode server); run the sender side elsewhere');
      }),
      ...TLS_OPTIONS,
      ssl_verify: sslVerify,
      tcp_keep_alive: ignored('sluice does not set SO_KEEPALIVE; use idle_timeout to close silent connections'),
      dns_reverse_lookup_enabled: ignored('sluice records the peer address, never a looked-up name'),
      proxy_protocol: refused('not supported: sluice does not read PROXY protocol headers'),
    },
    finish: (t) => {
      portRequired(t, 'tcp');
      if (!t.given.has('codec')) {
        t.set('codec', 'lines');
        t.comment('codec lines: Logstash\'s tcp input reads lines by default (sluice\'s default is json_lines)');
      }
      finishTls(t);
    },
  },
  {
    section: 'input',
    name: 'udp',
    type: 'udp',
    options: {
      ...COMMON_INPUT,
      host: set('host'),
      port: set('port', asInteger),
      codec: codecRule(UDP_CODECS, 'plain'),
      receive_buffer_bytes: set('receive_buffer_bytes', asInteger),
      buffer_size: ignored('sluice reads datagrams up to 64 KiB whatever this says'),
      workers: ignored('sluice decodes datagrams on its event loop; use pipeline.workers for more processes'),
      queue_size: ignored('datagrams go straight into the pipeline queue (pipeline.queue.max_events)'),
      source_ip_fieldname: refused('not supported: the sender is in [@metadata][input][remote][ip]; copy it with mutate { copy => { "[@metadata][input][remote][ip]" => "host" } }'),
    },
    finish: (t) => {
      portRequired(t, 'udp');
      if (!t.given.has('codec')) {
        t.set('codec', 'lines');
        t.comment('codec lines: Logstash\'s udp input uses the plain codec (one event per datagram); sluice\'s nearest gives one event per line');
      }
    },
  },
  {
    section: 'input',
    name: 'syslog',
    type: 'syslog',
    options: {
      ...COMMON_INPUT,
      host: set('host'),
      port: set('port', asInteger),
      timezone: set('timezone'),
      codec: codecRule({ plain: { to: 'syslog' } }, 'plain'),
      use_labels: ignored('sluice always writes the facility and severity names (log.syslog.*.name) beside the codes'),
      locale: ignored('sluice reads English month names only'),
      grok_pattern: refused('sluice parses RFC 3164 and RFC 5424 itself; for other formats use a tcp/udp input with codec line and a grok filter'),
      syslog_field: refused('sluice parses the whole message; use a tcp/udp input and a grok filter for a message inside another field'),
      facility_labels: refused('not supported: sluice uses the RFC 5424 names'),
      severity_labels: refused('not supported: sluice uses the RFC 5424 names'),
      proxy_protocol: refused('not supported: sluice does not read PROXY protocol headers'),
    },
    finish: (t) => {
      if (t.block.codec !== undefined) delete t.block.codec;
      if (!t.given.has('port')) {
        t.set('port', 514);
        t.comment('port 514: Logstash\'s default (sluice\'s is 5514, which needs no root)');
      }
      t.comment('fields follow ECS (log.syslog.*, host.hostname, process.*), not Logstash\'s priority/program/logsource');
    },
  },
  {
    section: 'input',
    name: 'file',
    type: 'file',
    options: {
      ...COMMON_INPUT,
      path: set('paths', asStringList),
      exclude: custom('`exclude`, a name pattern made a glob in the folder of every `path`', (v, t) => {
        const paths = t.given.has('path') ? t.read.stringList(t.given.get('path')!) : [];
        const globs = t.read.stringList(v).flatMap((pattern) => (pattern.startsWith('/') ? [pattern] : [...new Set(paths.map((path) => `${dirname(path)}/${pattern}`))]));
        t.set('exclude', globs);
      }),
      start_position: set('start_position'),
      codec: codecRule(
        {
          plain: { to: 'lines' },
          line: { to: 'lines' },
          json: { to: 'json_lines', note: 'one JSON document per line' },
          json_lines: { to: 'json_lines' },
          multiline: { to: 'lines', options: { pattern: 'multiline.pattern', negate: 'multiline.negate', what: 'multiline.what', max_lines: 'multiline.max_lines', auto_flush_interval: 'multiline.flush_timeout' } },
        },
        'plain',
      ),
      stat_interval: set('stat_interval', asNumber),
      discover_interval: custom('`discover_interval`, in seconds (Logstash counts it in stat intervals)', (v, t) => {
        const statInterval = t.given.has('stat_interval') ? t.read.number(t.given.get('stat_interval')!) : 1;
        t.set('discover_interval', t.read.number(v) * statInterval);
      }),
      sincedb_write_interval: set('checkpoint_interval', asNumber),
      sincedb_path: ignored('sluice keeps its checkpoints (keyed by a fingerprint of the first bytes, not by inode) in `checkpoint_path`, a folder: data/file/<pipeline.id>/<input id> by default'),
      sincedb_clean_after: ignored('sluice keeps the checkpoint of every file it has seen'),
      close_older: set('close_inactive', asNumber),
      max_open_files: set('max_open_files', asInteger),
      file_chunk_size: set('read_bytes', asInteger),
      file_chunk_count: ignored('sluice reads a file to its end, one `read_bytes` chunk after another, as long as the queue has room'),
      delimiter: custom('only "\\n" (sluice also accepts \\r\\n)', (v, t) => {
        if (t.read.string(v).replace('\\n', '\n') !== '\n') t.refuse(v.at, 'sluice splits files at line feeds only');
      }),
      mode: custom('only `tail`', (v, t) => {
        if (t.read.string(v) !== 'tail') t.refuse(v.at, 'sluice tails files (mode tail); read mode, which reads whole files once and then deletes or logs them, is not supported');
      }),
      ignore_older: refused('not supported: sluice reads every file its paths match (narrow them with exclude)'),
      file_completed_action: refused('not supported: sluice only tails files (mode tail)'),
      file_completed_log_path: refused('not supported: sluice only tails files (mode tail)'),
      file_sort_by: ignored('sluice opens the files it finds in the order the folders list them'),
      file_sort_direction: ignored('sluice opens the files it finds in the order the folders list them'),
      check_archive_validity: refused('not supported: sluice does not read gzip files (exclude them)'),
    },
    finish: (t) => {
      if (!t.given.has('path')) t.refuse(t.plugin.at, 'file needs a path (Logstash requires it too)');
      t.comment('checkpoints are keyed by a fingerprint of each file\'s first 1024 bytes (Filebeat\'s file identity), not by inode as Logstash\'s sincedb');
    },
  },
  {
    section: 'input',
    name: 'beats',
    type: 'beats',
    options: {
      ...COMMON_INPUT,
      host: set('host'),
      port: set('port', asInteger),
      ...TLS_OPTIONS,
      client_inactivity_timeout: set('idle_timeout', asNumber),
      codec: refused('Beats send structured events: remove the codec (a json filter decodes a JSON message)'),
      include_codec_tag: ignored('sluice adds no beats_input_codec tag'),
      add_hostname: custom('only false (sluice never adds a host field of its own)', (v: LsValue, t) => {
        if (asBoolean(t.read, v)) t.refuse(v.at, 'add_hostname => true is not supported: the Beat\'s own host.* fields are kept');
      }),
      executor_threads: ignored('sluice decodes on its event loop; use pipeline.workers for more processes'),
      ssl_peer_metadata: refused('not supported: the client certificate subject is in [@metadata][input][tls][subject]'),
    },
    finish: (t) => {
      portRequired(t, 'beats');
      finishTls(t);
    },
  },
  {
    section: 'input',
    name: 'kafka',
    type: 'kafka',
    options: {
      ...COMMON_INPUT,
      bootstrap_servers: set('bootstrap_servers'),
      topics: set('topics', asStringList),
      topics_pattern: refused('not supported: list the topics in `topics`'),
      group_id: set('group_id'),
      client_id: set('client_id'),
      codec: codecRule(KAFKA_CODECS, 'plain'),
      auto_offset_reset: custom('`start_from` (earliest, latest)', (v, t) => {
        const reset = t.read.string(v);
        if (reset === 'earliest' || reset === 'latest') t.set('start_from', reset);
        else t.refuse(v.at, `auto_offset_reset ${JSON.stringify(reset)} is not supported: sluice starts a partition without a committed offset at earliest or latest`);
      }),
      decorate_events: custom('`decorate_events: true` for basic, extended or true (record headers are not copied)', (v, t) => {
        const mode = t.read.string(v);
        t.set('decorate_events', mode === 'true' || mode === 'basic' || mode === 'extended');
        if (mode === 'extended') t.comment('decorate_events: the record headers (extended) are not copied into @metadata.kafka');
      }),
      session_timeout_ms: set('session_timeout', millisecondsAsSeconds),
      heartbeat_interval_ms: set('heartbeat_interval', millisecondsAsSeconds),
      auto_commit_interval_ms: set('commit_interval', millisecondsAsSeconds),
      fetch_max_wait_ms: set('fetch_max_wait', millisecondsAsSeconds),
      fetch_max_bytes: set('fetch_max_bytes', asInteger),
      max_poll_records: set('max_batch', asInteger),
      request_timeout_ms: ignored('sluice\'s client times requests out on its own; connect_timeout bounds reaching a broker'),
      enable_auto_commit: ignored('sluice commits only what the pipeline accepted, always'),
      consumer_threads: ignored('each sluice process (and each pipeline.workers process) is one member of the group'),
      security_protocol: custom('`tls` for SSL and SASL_SSL, `sasl` for SASL_PLAINTEXT and SASL_SSL', (v, t) => {
        const protocol = t.read.string(v).toUpperCase();
        if (protocol === 'SSL' || protocol === 'SASL_SSL') t.set('tls.enabled', true);
        else if (protocol !== 'PLAINTEXT' && protocol !== 'SASL_PLAINTEXT') t.refuse(v.at, `security_protocol ${JSON.stringify(protocol)} is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL`);
      }),
      sasl_mechanism: custom('`sasl.mechanism` (PLAIN, SCRAM-SHA-256, SCRAM-SHA-512)', (v, t) => {
        const mechanism = t.read.string(v).toLowerCase();
        if (mechanism === 'plain' || mechanism === 'scram-sha-256' || mechanism === 'scram-sha-512') t.set('sasl.mechanism', mechanism);
        else t.refuse(v.at, `sasl_mechanism ${JSON.stringify(t.read.string(v))} is not supported: sluice speaks PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512`);
      }),
      sasl_jaas_config: custom('`sasl.username` and `sasl.password` from its username="..." password="..." (a JAAS login other than PLAIN/SCRAM is refused)', (v, t) => {
        const jaas = t.read.string(v);
        // JAAS quotes with ", but inside a Logstash "..." string people write ' as often.
        const username = /username\s*=\s*(["'])(.*?)\1/.exec(jaas)?.[2];
        const password = /password\s*=\s*(["'])(.*?)\1/.exec(jaas)?.[2];
        if (username === undefined || password === undefined) t.refuse(v.at, 'sasl_jaas_config needs username="..." and password="..." (the only JAAS login sluice reads)');
        else {
          t.set('sasl.username', username);
          t.set('sasl.password', password);
        }
      }),
      ssl_truststore_location: refused('sluice reads PEM files, not Java stores: export the CA (keytool -exportcert -rfc) and set `tls.ca` in YAML'),
      ssl_keystore_location: refused('sluice reads PEM files, not Java stores: export the client certificate and key to PEM and set `tls.cert` and `tls.key` in YAML'),
    },
    finish: (t) => {
      const defaults: Array<[string, unknown, string]> = [
        ['bootstrap_servers', 'localhost:9092', 'bootstrap_servers localhost:9092: Logstash\'s default'],
        ['topics', ['logstash'], 'topics [logstash]: Logstash\'s default'],
        ['group_id', 'logstash', 'group_id logstash: Logstash\'s default (sluice\'s is sluice), so the group keeps its committed offsets'],
      ];
      for (const [option, value, why] of defaults) {
        if (t.given.has(option)) continue;
        t.set(option, value);
        t.comment(why);
      }
      if (!t.given.has('codec')) {
        t.set('codec', 'plain');
        t.comment('codec plain: Logstash\'s kafka input reads the value as text by default (sluice\'s default is json)');
      }
      if (!t.given.has('auto_offset_reset')) {
        t.set('start_from', 'latest');
        t.comment('start_from latest: Logstash\'s default for a group without committed offsets (sluice\'s is earliest, which loses nothing)');
      }
      if (t.given.has('sasl_mechanism') !== t.given.has('sasl_jaas_config')) t.refuse(t.plugin.at, 'SASL needs sasl_mechanism and sasl_jaas_config together');
    },
  },
];
