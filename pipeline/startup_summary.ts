/**
 * The facts the start-up line adds for a person (log_pretty.ts draws them as a summary): where
 * events go, and the URLs of the monitoring API and the status page.
 */
import type { ValidConfig } from '../config/validate.js';

export interface OutputTarget {
  id: string;
  type: string;
  /** The address events are sent to, when the output has one (hosts, url, host:port, path). */
  to?: string;
}

/** Credentials in a URL (http://user:secret@host) are not for a log line. */
function withoutCredentials(address: string): string {
  return address.replace(/\/\/[^/@]*@/, '//');
}

/** The first of the usual address options an output's config has. */
function destination(config: unknown): string | undefined {
  const found = address(config);
  return found === undefined ? undefined : withoutCredentials(found);
}

function address(config: unknown): string | undefined {
  if (typeof config !== 'object' || config === null) return undefined;
  const c = config as Record<string, unknown>;
  if (Array.isArray(c.hosts) && c.hosts.length) return c.hosts.map(String).join(', ');
  for (const key of ['url', 'endpoint', 'path']) if (typeof c[key] === 'string') return c[key];
  if (typeof c.host === 'string' && typeof c.port === 'number') return `${c.host}:${c.port}`;
  return undefined;
}

/** A wildcard address is where the server listens, not where a browser goes. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

export function startupFacts(config: ValidConfig, api: { host: string; port: number } | undefined): { outputs: OutputTarget[]; api_url?: string; status_page?: string } {
  const outputs = config.outputs.map(({ id, plugin, config: options }) => {
    const to = destination(options);
    return { id, type: plugin.type, ...(to ? { to } : {}) };
  });
  if (!api) return { outputs };
  const url = `http://${reachableHost(api.host)}:${api.port}`;
  return { outputs, api_url: url, status_page: `${url}/` };
}
