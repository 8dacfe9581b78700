/**
 * The engine the search commands ask: the first elasticsearch output of a pipeline file (its
 * hosts, credentials, TLS and index pattern), or a bare --url. Requests go through the output's
 * own HostPool, trying each host once before giving up.
 */
import { loadConfigFile } from '../../config/load.js';
import { elasticsearchOutputSchema, type ElasticsearchOutputConfig } from '../../outputs/elasticsearch/config.js';
import { HostPool, redactUrl } from '../../outputs/elasticsearch/hosts.js';
import { indexPattern } from '../../outputs/elasticsearch/template.js';
import { errorMessage, SluiceError } from '../errors.js';
import { createLogger } from '../logger.js';

/** The engine could not be asked, or refused the request; `usage` when the user's query is to blame (exit 2). */
export class SearchError extends SluiceError {
  constructor(
    message: string,
    readonly usage: boolean,
    context: Record<string, unknown> = {},
  ) {
    super('SLUICE_SEARCH_FAILED', message, context);
  }
}

export interface EngineTarget {
  readonly config: ElasticsearchOutputConfig;
  /** Indices to search: the output's pattern, or --index. */
  readonly index: string;
}

export interface TargetOptions {
  config?: string | undefined;
  url?: string | undefined;
  index?: string | undefined;
}

/** --url, else -c FILE, else ELASTICSEARCH_URL (as the built-in default pipeline uses it). */
export async function resolveTarget(options: TargetOptions, env: NodeJS.ProcessEnv = process.env): Promise<EngineTarget> {
  let config: ElasticsearchOutputConfig;
  const url = options.url ?? (options.config ? undefined : env.ELASTICSEARCH_URL || undefined);
  if (url !== undefined) {
    const parsed = elasticsearchOutputSchema.safeParse({ hosts: url, dead_letter_queue: { enabled: false } });
    if (!parsed.success) throw new SearchError(`--url: expected an http(s) URL such as http://localhost:9200, got ${JSON.stringify(url)}`, true);
    config = parsed.data;
  } else if (options.config) {
    const pipeline = await loadConfigFile(options.config, env);
    const output = pipeline.outputs.find((o) => o.plugin.type === 'elasticsearch');
    if (!output) throw new SearchError(`${options.config} has no elasticsearch output: give --url`, true);
    config = output.config as ElasticsearchOutputConfig;
  } else {
    throw new SearchError('which engine? give -c FILE (its first elasticsearch output), --url URL, or set ELASTICSEARCH_URL', true);
  }
  return { config, index: options.index ?? indexPattern(config) };
}

interface EngineErrorBody {
  error?: { reason?: string; root_cause?: Array<{ reason?: string }>; caused_by?: { reason?: string } } | string;
}

function engineReason(text: string): string {
  try {
    const body = JSON.parse(text) as EngineErrorBody;
    if (typeof body.error === 'string') return body.error;
    const reason = body.error?.caused_by?.reason ?? body.error?.root_cause?.[0]?.reason ?? body.error?.reason;
    if (reason) return reason;
  } catch {
    // not JSON: a proxy or a login page
  }
  return text.slice(0, 200);
}

export class SearchEngine {
  private readonly pool: HostPool;

  constructor(readonly target: EngineTarget) {
    this.pool = new HostPool(target.config, createLogger('silent'));
  }

  /** POST /<index>/_search; missing indices are no error (a pattern that matches nothing yet). */
  async search<T>(body: Record<string, unknown>): Promise<T> {
    const path = `/${encodeURIComponent(this.target.index).replace(/%2C/g, ',').replace(/%2A/g, '*')}/_search?ignore_unavailable=true&allow_no_indices=true`;
    let lastFailure = '';
    for (let attempt = 0; attempt < this.pool.hosts.length; attempt++) {
      const host = this.pool.pick();
      let reply;
      try {
        reply = await this.pool.request(host, 'POST', path, JSON.stringify(body), {});
      } catch (err) {
        lastFailure = `${redactUrl(host.url)}: ${errorMessage(err)}`;
        this.pool.markDead(host, lastFailure);
        continue;
      }
      if (reply.status >= 200 && reply.status < 300) return JSON.parse(reply.text) as T;
      const reason = engineReason(reply.text);
      if (reply.status === 400) throw new SearchError(`the engine refused the query: ${reason}`, true, { status: reply.status });
      throw new SearchError(`${redactUrl(host.url)} answered HTTP ${reply.status}: ${reason}`, false, { status: reply.status });
    }
    throw new SearchError(`cannot reach the engine: ${lastFailure}`, false);
  }

  close(): Promise<void> {
    return this.pool.destroy();
  }
}
