/**
 * The monitoring API (Logstash's port 9600): `/health` (live and ready), `/metrics`
 * (Prometheus text), `/stats` (JSON: events in/filtered/out per plugin, queue, drops, DLQ),
 * and the status page for people: `/` (pipeline/status/), polling `/status.json`.
 */
import http from 'node:http';
import { loadStatusPage, type StatusPage } from './status_page.js';
import { recentLogs, type RecentLog } from './log_ring.js';
import type { ApiSettings } from '../config/schema.js';
import type { Metrics } from './metrics.js';
import type { Logger } from './logger.js';

export interface ApiServer {
  readonly address: { host: string; port: number };
  close(): Promise<void>;
}

interface ApiDeps {
  /** The metrics to serve; a cluster primary gathers them from its workers for each request. */
  metrics: () => Metrics | Promise<Metrics>;
  isReady: () => boolean;
  logger: Logger;
  /** The last warnings and errors logged; by default this process's (a cluster primary adds its workers'). */
  recentLogs?: () => RecentLog[] | Promise<RecentLog[]>;
}

export function statsOf(metrics: Metrics): Record<string, unknown> {
  const plugins: Record<string, Record<string, unknown>> = {};
  const pipeline: Record<string, number> = {};
  for (const series of metrics.all()) {
    const { plugin, type, id } = series.labels;
    if (plugin && id) {
      const key = `${plugin}:${id}`;
      const entry = (plugins[key] ??= { kind: plugin, type, id });
      // Series told apart by a reason add up under their name, and show apart under name.reason.
      entry[series.name] = ((entry[series.name] as number | undefined) ?? 0) + series.value;
      if (series.labels.reason) entry[`${series.name}.${series.labels.reason}`] = series.value;
    } else {
      pipeline[series.name] = (pipeline[series.name] ?? 0) + series.value;
      if (series.labels.reason) pipeline[`${series.name}.${series.labels.reason}`] = series.value;
    }
  }
  return { pipeline, plugins: Object.values(plugins) };
}

export function startApi(settings: ApiSettings, deps: ApiDeps): Promise<ApiServer | undefined> {
  const page: StatusPage = loadStatusPage();
  const server = http.createServer(async (req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const send = (status: number, type: string, body: string) => {
      res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (req.method !== 'GET') return send(405, 'text/plain', 'GET only\n');
    switch (path) {
      case '/health':
      case '/health/live':
        if (path === '/health/live') return send(200, 'application/json', '{"status":"live"}\n');
        return deps.isReady() ? send(200, 'application/json', '{"status":"ready"}\n') : send(503, 'application/json', '{"status":"starting_or_stopping"}\n');
      case '/metrics':
        return send(200, 'text/plain; version=0.0.4; charset=utf-8', (await deps.metrics()).toPrometheus());
      case '/stats':
        return send(200, 'application/json', `${JSON.stringify(statsOf(await deps.metrics()))}\n`);
      case '/status.json':
        return send(200, 'application/json', `${JSON.stringify({ time: Date.now(), ...statsOf(await deps.metrics()), logs: await (deps.recentLogs ?? (() => recentLogs.recent()))() })}\n`);
      default: {
        const file = page.files.get(path === '/' ? '/index.html' : path);
        if (file) return send(200, file.type, file.body);
        return send(404, 'text/plain', 'not found: try /, /health, /metrics or /stats\n');
      }
    }
  });
  server.keepAliveTimeout = 5_000;
  return new Promise((resolve) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      // Logstash moves on when its API port is taken; so do we, loudly, rather than refuse to ship logs.
      deps.logger.error({ code: 'SLUICE_LISTEN', err: err.message, host: settings.host, port: settings.port }, 'monitoring API not started');
      resolve(undefined);
    });
    server.listen(settings.port, settings.host, () => {
      const address = server.address();
      const port = address && typeof address === 'object' ? address.port : settings.port;
      resolve({
        address: { host: settings.host, port },
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
            server.closeAllConnections();
          }),
      });
    });
  });
}
