/**
 * What the metrics interop tests share (Prometheus, statsd, carbon): a 2-worker sluice whose
 * metrics filter counts and drops, and a known mix of HTTP request events sent to it over
 * several TCP connections, so both workers get a share.
 */
import { sendTcp } from '../helpers/net.js';

export interface RequestHit {
  service: string;
  status: number;
  /** Request duration, in seconds. */
  seconds: number;
  bytes: number;
}

/** A pipeline file: tcp input `in`, a metrics filter `m` (drop_events) with these metric lines, and these outputs (YAML list items). */
export function metricsPipeline(metricLines: string[], outputLines: string[]): string {
  return [
    'api: { port: 0 }',
    'pipeline:',
    '  workers: 2',
    'inputs:',
    '  - { type: tcp, id: in, port: 0 }',
    'filters:',
    '  - type: metrics',
    '    id: m',
    '    drop_events: true',
    '    metrics:',
    ...metricLines.map((l) => `      - ${l}`),
    'outputs:',
    ...outputLines.map((l) => `  - ${l}`),
    '',
  ].join('\n');
}

export function requestEvent(hit: RequestHit, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ service: { name: hit.service }, http: { response: { status_code: hit.status, bytes: hit.bytes } }, event: { duration: Math.round(hit.seconds * 1e9) }, seconds: hit.seconds, ...extra });
}

/** Sends `hits` as JSON lines, split evenly over `connections` sockets at once. */
export async function sendRequestMix(port: number, hits: readonly RequestHit[], connections: number, extra: Record<string, unknown> = {}): Promise<void> {
  const per = Math.ceil(hits.length / connections);
  await Promise.all(Array.from({ length: connections }, (_, c) => sendTcp(port, hits.slice(c * per, (c + 1) * per).map((h) => requestEvent(h, extra)).join('\n') + '\n')));
}
