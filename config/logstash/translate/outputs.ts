/** Logstash outputs and the sluice outputs they become. */
import type { LsValue } from '../ast.js';
import { asBoolean, asInteger, asNumber, asString, custom, ignored, refused, set, type PluginTable, type PluginTranslation } from './rules.js';
import { codecRule, COMMON_OUTPUT, oneCaFile } from './common.js';
import { KAFKA_OUTPUT_TABLE } from './kafka_output.js';

/** Logstash takes `host:port` or a URL; sluice takes URLs. */
function engineUrl(host: string, defaultPort: number, https: boolean): string {
  if (/^https?:\/\//.test(host)) return host;
  const scheme = https ? 'https' : 'http';
  return /:[0-9]+(\/.*)?$/.test(host) || host.startsWith('${') ? `${scheme}://${host}` : `${scheme}://${host}:${defaultPort}`;
}

function wantsHttps(t: PluginTranslation): boolean {
  const ssl = t.given.get('ssl_enabled') ?? t.given.get('ssl');
  return ssl !== undefined && t.read.boolean(ssl) === true;
}

const hostsRule = custom('`hosts` as URLs (`http://` and port 9200 added where missing; `https://` with ssl_enabled)', (v: LsValue, t) => {
  const https = wantsHttps(t);
  t.set('hosts', t.read.stringList(v).map((h) => engineUrl(h, 9200, https)));
});

const sslOn = custom('`https://` in `hosts`', () => undefined);

const LOGSTASH_INDEX = 'logstash-%{+yyyy.MM.dd}';

const ENGINE_COMMON = {
  ...COMMON_OUTPUT,
  index: set('index'),
  document_id: set('document_id'),
  user: set('user'),
  password: set('password'),
  idle_flush_time: set('batch.timeout', asNumber),
  flush_size: set('batch.max_events', asInteger),
  index_type: ignored('mapping types are gone from Elasticsearch 7+ and OpenSearch'),
  document_type: ignored('mapping types are gone from Elasticsearch 7+ and OpenSearch'),
  manage_template: set('template.install', asBoolean),
  template_name: set('template.name'),
  template: set('template.file'),
  template_overwrite: set('template.overwrite', asBoolean),
};

const ACTIONS = new Set(['index', 'create']);

function finishEngine(t: PluginTranslation): void {
  if (!t.given.has('index') && t.block['data_stream'] === undefined) {
    t.set('index', LOGSTASH_INDEX);
    t.comment(`index ${LOGSTASH_INDEX}: Logstash's default index name (sluice's is sluice-%{+yyyy.MM.dd})`);
  }
  if (!t.given.has('action')) {
    t.comment('action create with sluice\'s own event id (document_id): a retried or replayed event is not indexed twice; Logstash lets the engine pick ids (action => "index" and document_id unset)');
  }
}

export const OUTPUT_TABLES: readonly PluginTable[] = [
  {
    section: 'output',
    name: 'elasticsearch',
    type: 'elasticsearch',
    options: {
      ...ENGINE_COMMON,
      hosts: hostsRule,
      action: custom('`action` (index, create)', (v, t) => {
        const action = t.read.string(v);
        if (ACTIONS.has(action)) t.set('action', action);
        else t.refuse(v.at, `action ${JSON.stringify(action)} is not supported: sluice indexes events (index or create); update and delete need their own tool`);
      }),
      api_key: set('api_key'),
      ssl_enabled: sslOn,
      ssl: sslOn,
      ssl_certificate_authorities: oneCaFile,
      cacert: set('tls.ca'),
      ssl_verification_mode: custom('`tls.verify` (full: true, none: false)', (v, t) => {
        const mode = t.read.string(v);
        if (mode === 'full' || mode === 'none') t.set('tls.verify', mode === 'full');
        else t.refuse(v.at, `ssl_verification_mode ${JSON.stringify(mode)}: sluice knows full and none`);
      }),
      ssl_certificate_verification: set('tls.verify', asBoolean),
      http_compression: custom('`compression: gzip` when true', (v, t) => {
        t.set('compression', t.read.boolean(v) ? 'gzip' : 'none');
      }),
      compression_level: ignored('sluice uses gzip\'s default level'),
      timeout: set('request_timeout', asNumber),
      retry_initial_interval: set('retry.initial_backoff', asNumber),
      retry_max_interval: set('retry.max_backoff', asNumber),
      data_stream: custom('`data_stream.enabled`', (v, t) => {
        const on = t.read.string(v);
        if (on === 'true') t.set('data_stream.enabled', true);
        else if (on !== 'false' && on !== 'auto') t.refuse(v.at, `data_stream ${JSON.stringify(on)}: expected true, false or auto`);
      }),
      data_stream_type: set('data_stream.type'),
      data_stream_dataset: set('data_stream.dataset'),
      data_stream_namespace: set('data_stream.namespace'),
      ilm_enabled: custom('only false (sluice does not manage ILM policies)', (v, t) => {
        const on = t.read.string(v);
        if (on === 'true') t.refuse(v.at, 'ilm_enabled => true is not supported: attach an ILM policy to the index template in the engine');
        else t.warn(v.at, `ilm_enabled => ${on} has no effect: sluice never manages ILM`);
      }),
      ilm_rollover_alias: refused('not supported: write to a data stream (data_stream => true) or a dated index'),
      ilm_policy: refused('not supported: attach the policy to the index template in the engine'),
      ilm_pattern: refused('not supported: write to a data stream (data_stream => true) or a dated index'),
      pipeline: refused('not supported: sluice does not name an ingest pipeline; do the work in sluice filters, or set index.default_pipeline on the index'),
      cloud_id: refused('not supported: give the deployment\'s https URL in hosts'),
      cloud_auth: refused('not supported: use user and password'),
      routing: refused('not supported'),
      doc_as_upsert: refused('not supported: sluice indexes events, it does not update documents'),
      script: refused('not supported: sluice indexes events, it does not update documents'),
      pool_max: ignored('sluice keeps its own connection pool (max_in_flight bounds requests)'),
      pool_max_per_route: ignored('sluice keeps its own connection pool (max_in_flight bounds requests)'),
      sniffing: ignored('sluice does not sniff; list every node in hosts'),
    },
    finish: (t) => {
      if (!t.given.has('hosts')) {
        t.set('hosts', ['http://127.0.0.1:9200']);
        t.comment('hosts http://127.0.0.1:9200: Logstash\'s default engine');
      }
      finishEngine(t);
    },
  },
  {
    section: 'output',
    name: 'elasticsearch_http',
    type: 'elasticsearch',
    options: {
      ...ENGINE_COMMON,
      host: custom('`hosts` (with `port`, as one http:// URL)', () => undefined),
      port: custom('`hosts` (with `host`)', () => undefined),
      replication: ignored('the engine decides replication'),
    },
    finish: (t) => {
      const host = t.given.get('host');
      const port = t.given.get('port');
      if (host === undefined) {
        t.refuse(t.plugin.at, 'elasticsearch_http needs a host (Logstash 1.x requires it too)');
        return;
      }
      const portNumber = port === undefined ? 9200 : asInteger(t.read, port);
      t.set('hosts', [`http://${asString(t.read, host) as string}:${String(portNumber)}`]);
      t.comment('elasticsearch_http (Logstash 1.x) is sluice\'s elasticsearch output; host and port make its URL');
      finishEngine(t);
    },
  },
  {
    section: 'output',
    name: 'stdout',
    type: 'stdout',
    options: {
      ...COMMON_OUTPUT,
      codec: codecRule(
        {
          rubydebug: { to: 'pretty', options: { metadata: 'metadata' } },
          json_lines: { to: 'json_lines' },
          json: { to: 'json_lines', note: 'one JSON document per line (Logstash\'s json codec writes them without a separator)' },
        },
        'rubydebug',
      ),
    },
    finish: (t) => {
      if (!t.given.has('codec')) {
        t.set('codec', 'pretty');
        t.comment('codec pretty: Logstash\'s stdout prints rubydebug by default');
      }
    },
  },
  KAFKA_OUTPUT_TABLE,
];
