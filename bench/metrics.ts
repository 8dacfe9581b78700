/**
 * `npm run bench -- --only metrics`: what the metrics filter costs, measured two ways.
 *  - The filter alone: ns per event of `process` over batches of decoded events, for the seed's
 *    config (5xx per service, a duration histogram per service) and for events its `when` refuses.
 *  - In the pipeline: TCP JSON lines -> the default filters (json, trace_id), with and without
 *    the metrics filter, one worker: events/s and CPU per event side by side.
 */
import { standaloneContext } from '../pipeline/plugin_context.js';
import { metricsFilter } from '../filters/metrics/index.js';
import type { Event } from '../pipeline/event.js';
import { formatRate, printResult, type BenchResult } from './lib.js';
import { runTcpJsonBench } from './tcp_json.js';

const BATCH = 1024;
const SERVICES = ['shop', 'cart', 'auth', 'search', 'admin'];
const STATUSES = [200, 200, 200, 201, 304, 404, 500, 503];

const SEED_METRICS = [
  { name: 'http_5xx_total', type: 'counter', when: '[http][response][status_code] >= 500', labels: { service: '%{[service][name]}' } },
  { name: 'http_request_duration_seconds', type: 'histogram', field: '[event][duration]', scale: 1e-9, labels: { service: '%{[service][name]}' } },
];

function requestRecord(i: number, status = STATUSES[i % STATUSES.length]): Record<string, unknown> {
  return { message: `GET /item/${i} ${status}`, service: { name: SERVICES[i % SERVICES.length] }, http: { response: { status_code: status } }, event: { duration: (i % 900) * 1_000_000 } };
}

/** ns per event of the filter's process() on fresh batches (building them is not timed). */
function nsPerEvent(settings: Record<string, unknown>, make: (i: number) => Record<string, unknown>, seconds: number): number {
  const filter = metricsFilter.create(metricsFilter.schema.parse(settings), standaloneContext('metrics'));
  let events = 0;
  let busy = 0;
  const warmUntil = Date.now() + 300;
  const deadline = warmUntil + seconds * 1000;
  while (Date.now() < deadline) {
    const batches: Event[][] = Array.from({ length: 16 }, (_, b) => Array.from({ length: BATCH }, (_, i) => make(b * BATCH + i) as Event));
    const started = performance.now();
    for (const batch of batches) filter.process(batch);
    // The first rounds run before the JIT has compiled the filter's closures: not counted.
    if (Date.now() < warmUntil) continue;
    busy += performance.now() - started;
    events += 16 * BATCH;
  }
  return (busy * 1e6) / events;
}

export interface MetricsBenchFigures {
  seedNsPerEvent: number;
  counterOnlyNsPerEvent: number;
  refusedNsPerEvent: number;
}

export function metricsInProcess(seconds: number): MetricsBenchFigures {
  const each = Math.max(1, seconds / 3);
  const figures = {
    seedNsPerEvent: nsPerEvent({ metrics: SEED_METRICS }, requestRecord, each),
    counterOnlyNsPerEvent: nsPerEvent({ metrics: [SEED_METRICS[0]] }, requestRecord, each),
    refusedNsPerEvent: nsPerEvent({ metrics: [SEED_METRICS[0]] }, (i) => requestRecord(i, 200), each),
  };
  process.stdout.write(
    `metrics filter alone: seed config (5xx counter + duration histogram, per service) ${figures.seedNsPerEvent.toFixed(0)} ns/event; ` +
      `5xx counter alone ${figures.counterOnlyNsPerEvent.toFixed(0)} ns/event; on events its when refuses ${figures.refusedNsPerEvent.toFixed(0)} ns/event\n\n`,
  );
  return figures;
}

const DEFAULT_FILTERS = '  - { type: json, skip_on_invalid_json: true }\n  - { type: trace_id }\n';

/** The default pipeline with and without the seed's metrics filter, one worker. */
export async function runMetricsPipelineBench(seconds: number, connections: number): Promise<BenchResult[]> {
  const lines = Array.from({ length: 8192 }, (_, i) => JSON.stringify(requestRecord(i)));
  const metricsYaml = `  - type: metrics\n    metrics: ${JSON.stringify(SEED_METRICS)}\n`;
  const results: BenchResult[] = [];
  for (const [label, filterYaml] of [
    ['filters: default', DEFAULT_FILTERS],
    ['filters: default + metrics', DEFAULT_FILTERS + metricsYaml],
  ] as const) {
    results.push(await runTcpJsonBench({ seconds, connections, filters: 'default', workers: 1, queue: 'memory', filterYaml, lines, label }));
    printResult(results[results.length - 1]);
  }
  const [base, withMetrics] = results;
  const cpuPerEvent = (r: BenchResult) => r.cpuPercent / 100 / r.eventsPerSecond;
  process.stdout.write(
    `metrics filter in the pipeline: ${formatRate(base.eventsPerSecond)} -> ${formatRate(withMetrics.eventsPerSecond)} events/s; CPU per event ${(cpuPerEvent(base) * 1e9).toFixed(0)} -> ${(cpuPerEvent(withMetrics) * 1e9).toFixed(0)} ns (${((cpuPerEvent(withMetrics) / cpuPerEvent(base) - 1) * 100).toFixed(1)}%)\n\n`,
  );
  return results;
}
