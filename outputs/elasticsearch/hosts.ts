/**
 * The engine hosts: one undici keep-alive pool each, requests spread round-robin over the live
 * ones, a failing host marked dead and probed back with GET / on an interval.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Dispatcher, Pool } from 'undici';
import type { Logger } from '../../pipeline/logger.js';
import { OutputError } from '../../pipeline/errors.js';
import type { ElasticsearchOutputConfig } from './config.js';

export interface Host {
  readonly url: string;
  readonly pool: Pool;
  alive: boolean;
  failures: number;
}

export interface HttpReply {
  status: number;
  /** The body as text, decoded when first read. */
  readonly text: string;
  /** The body as received (replies from request(); not in replies made by hand). */
  readonly bytes?: Buffer;
  /** Headers that tell what answered, when it is not the engine (a proxy, a login page). */
  contentType?: string | undefined;
  location?: string | undefined;
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

function authHeader(config: ElasticsearchOutputConfig): string | undefined {
  if (config.api_key) {
    const key = config.api_key.includes(':') ? Buffer.from(config.api_key).toString('base64') : config.api_key;
    return `ApiKey ${key}`;
  }
  if (config.user !== undefined) return `Basic ${Buffer.from(`${config.user}:${config.password ?? ''}`).toString('base64')}`;
  return undefined;
}

/** A URL without its credentials, for logs. */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.username || parsed.password) {
      parsed.username = '***';
      parsed.password = '';
    }
    return parsed.origin;
  } catch {
    return '(invalid url)';
  }
}

// undici is loaded when the first pool is made, not when the plugin registry is: it costs every
// process ~11 MiB, and the cluster primary (which validates configs but sends nothing) and
// pipelines without an engine output have no use for it.
let undici: typeof import('undici') | undefined;
function undiciModule(): typeof import('undici') {
  undici ??= createRequire(import.meta.url)('undici') as typeof import('undici');
  return undici;
}

export class HostPool {
  readonly hosts: Host[];
  private next = 0;
  private readonly headers: Record<string, string>;
  private probeTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly config: ElasticsearchOutputConfig,
    private readonly logger: Logger,
  ) {
    const ca = config.tls?.ca ? readFileSync(config.tls.ca) : undefined;
    const perHost = Math.max(1, config.max_in_flight);
    this.hosts = config.hosts.map((url) => ({
      url: new URL(url).origin,
      pool: new (undiciModule().Pool)(new URL(url).origin, {
        connections: perHost + 1,
        keepAliveTimeout: 30_000,
        headersTimeout: config.request_timeout * 1000,
        bodyTimeout: config.request_timeout * 1000,
        maxResponseSize: config.max_response_bytes,
        connect: { ...(ca ? { ca } : {}), rejectUnauthorized: config.tls?.verify ?? true },
      }),
      alive: true,
      failures: 0,
    }));
    const auth = authHeader(config);
    const fromUrl = new URL(config.hosts[0]);
    const urlAuth = fromUrl.username ? `Basic ${Buffer.from(`${decodeURIComponent(fromUrl.username)}:${decodeURIComponent(fromUrl.password)}`).toString('base64')}` : undefined;
    this.headers = auth ?? urlAuth ? { authorization: (auth ?? urlAuth) as string } : {};
  }

  /** The next live host (round-robin); when all are dead, the one dead longest is tried anyway. */
  pick(): Host {
    for (let i = 0; i < this.hosts.length; i++) {
      const host = this.hosts[(this.next + i) % this.hosts.length];
      if (host.alive) {
        this.next = (this.next + i + 1) % this.hosts.length;
        return host;
      }
    }
    const host = this.hosts[this.next % this.hosts.length];
    this.next = (this.next + 1) % this.hosts.length;
    return host;
  }

  markDead(host: Host, reason: string): void {
    host.failures++;
    if (!host.alive) return;
    host.alive = false;
    this.logger.warn({ host: redactUrl(host.url), reason }, 'engine host marked dead; probing it back');
    this.startProbing();
  }

  markAlive(host: Host): void {
    host.failures = 0;
    if (host.alive) return;
    host.alive = true;
    this.logger.info({ host: redactUrl(host.url) }, 'engine host is back');
  }

  private startProbing(): void {
    if (this.probeTimer) return;
    this.probeTimer = setInterval(() => {
      const dead = this.hosts.filter((h) => !h.alive);
      if (dead.length === 0) {
        clearInterval(this.probeTimer);
        this.probeTimer = undefined;
        return;
      }
      for (const host of dead) {
        this.request(host, 'GET', '/', undefined, {}).then(
          (reply) => {
            if (reply.status < 500) this.markAlive(host);
          },
          () => undefined,
        );
      }
    }, this.config.healthcheck_interval * 1000);
    this.probeTimer.unref();
  }

  async request(host: Host, method: Dispatcher.HttpMethod, path: string, body: Buffer | readonly Buffer[] | string | undefined, headers: Record<string, string>): Promise<HttpReply> {
    try {
      const response = await host.pool.request({
        method,
        path,
        headers: { ...this.headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...headers },
        // undici documents Iterable bodies (docs/api/Dispatcher.md, `body`: chunks written in order); its types list only single-piece ones.
        ...(body !== undefined ? { body: body as Exclude<Dispatcher.RequestOptions['body'], undefined> } : {}),
      });
      // Bytes first: a bulk reply that took everything is judged from them, and never becomes a string.
      const bytes = Buffer.from(await response.body.arrayBuffer());
      let text: string | undefined;
      return {
        status: response.statusCode,
        bytes,
        get text() {
          return (text ??= bytes.toString('utf8'));
        },
        contentType: header(response.headers['content-type']),
        location: header(response.headers.location),
      };
    } catch (err) {
      // undici stops reading at the bound (by its content-length, or as it streams): say which setting it was.
      if ((err as { code?: string }).code !== 'UND_ERR_RES_EXCEEDED_MAX_SIZE') throw err;
      const limit = this.config.max_response_bytes;
      throw new OutputError('SLUICE_OUTPUT_REQUEST', `${method} ${path.split('?')[0]}: the reply is larger than max_response_bytes (${limit} bytes); not read`, true, { max_response_bytes: limit });
    }
  }

  async close(): Promise<void> {
    if (this.probeTimer) clearInterval(this.probeTimer);
    await Promise.all(this.hosts.map((h) => h.pool.close().catch(() => undefined)));
  }

  async destroy(): Promise<void> {
    if (this.probeTimer) clearInterval(this.probeTimer);
    await Promise.all(this.hosts.map((h) => h.pool.destroy().catch(() => undefined)));
  }
}
