/**
 * `type: metrics`: counters, gauges and histograms derived from the events (5xx per service,
 * request durations), served on the API's `/metrics` beside sluice's own. Each metric compiles
 * its condition, value field and label templates once; an event its condition refuses costs one
 * call.
 */
import type { Event, FieldValue } from '../../pipeline/event.js';
import { getField, parseFieldReference, type FieldPath } from '../../pipeline/fields.js';
import type { Metrics } from '../../pipeline/metrics.js';
import type { FilterPlugin, PluginContext } from '../../pipeline/plugin.js';
import { compileCondition, type Condition } from '../../pipeline/condition/index.js';
import { DEFAULT_BUCKETS, metricsFilterSchema, type MetricConfig, type MetricsFilterConfig } from './config.js';
import { SeriesTable } from './series.js';

/** Updates one metric from one event it applies to; `now` is read once per batch (gauges keep when they were set). */
type Update = (event: Event, now: number) => void;

function numberOf(value: FieldValue | undefined): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : undefined;
  }
  return undefined;
}

function buildUpdate(metric: MetricConfig, config: MetricsFilterConfig, context: PluginContext, metrics: Metrics): Update {
  const help = metric.help ?? `Derived from events by the metrics filter ${context.id}`;
  const overflowed = context.metrics.counter('metrics_series_overflow_total', 'Events a metrics filter counted into the `other` series because a metric had reached max_series', { metric: metric.name });
  const invalid = context.metrics.counter('metrics_value_invalid_total', 'Events a metrics filter skipped for a metric: the value field was missing, not a number, or would move a counter down', { metric: metric.name });
  const max = metric.max_series ?? config.max_series;
  const onOverflow = (first: boolean) => {
    overflowed.inc();
    if (first) context.logger.warn({ metric: metric.name, max_series: max }, 'metric reached max_series: further label values are counted in its "other" series');
  };
  let loggedInvalid = false;
  const skip = (event: Event, reason: string) => {
    invalid.inc();
    if (!loggedInvalid) {
      loggedInvalid = true;
      context.logger.warn({ metric: metric.name, field: metric.field, value: metric.field === undefined ? undefined : getField(event, fieldPath as FieldPath), reason }, 'event skipped for a metric (logged once per metric; counted in metrics_value_invalid_total)');
    }
  };
  const fieldPath = metric.field === undefined ? undefined : parseFieldReference(metric.field);
  const scale = metric.scale;
  const valueOf = (event: Event): number | undefined => {
    if (fieldPath === undefined) return 1;
    const value = numberOf(getField(event, fieldPath));
    if (value === undefined) skip(event, 'missing or not a number');
    return value === undefined ? undefined : value * scale;
  };

  const bounds = metric.buckets ?? DEFAULT_BUCKETS;
  metrics.declareDerived(metric.name, metric.type === 'histogram' ? `histogram with buckets ${bounds.join(', ')}` : metric.type);
  switch (metric.type) {
    case 'counter': {
      const table = new SeriesTable(metric.labels, max, (labels) => metrics.derivedCounter(metric.name, help, labels), onOverflow);
      return (event) => {
        const value = valueOf(event);
        if (value === undefined) return;
        if (value < 0) return skip(event, 'a counter cannot go down');
        table.of(event).inc(value);
      };
    }
    case 'gauge': {
      const table = new SeriesTable(metric.labels, max, (labels) => metrics.derivedGauge(metric.name, help, labels, metric.mode === 'add' ? 'sum' : 'latest'), onOverflow);
      const add = metric.mode === 'add';
      return (event, now) => {
        const value = valueOf(event);
        if (value === undefined) return;
        const gauge = table.of(event);
        if (add) gauge.add(value, now);
        else gauge.set(value, now);
      };
    }
    case 'histogram': {
      const table = new SeriesTable(metric.labels, max, (labels) => metrics.derivedHistogram(metric.name, help, labels, bounds), onOverflow);
      return (event) => {
        const value = valueOf(event);
        if (value !== undefined) table.of(event).observe(value);
      };
    }
  }
}

interface CompiledMetric {
  when: Condition | undefined;
  update: Update;
}

export const metricsFilter: FilterPlugin<typeof metricsFilterSchema> = {
  kind: 'filter',
  type: 'metrics',
  description:
    'Derives counters, gauges and histograms from the events (HTTP 5xx per service, request durations) and serves them on the monitoring API\'s `/metrics` beside sluice\'s own, cumulative; with several workers the primary adds them up. Events pass on unchanged, or are dropped after counting with `drop_events`.',
  schema: metricsFilterSchema,
  example: {
    metrics: [
      { name: 'http_5xx_total', type: 'counter', when: '[http][response][status_code] >= 500', labels: { service: '%{[service][name]}' } },
      { name: 'http_request_duration_seconds', type: 'histogram', field: '[event][duration]', scale: 0.000000001, buckets: [0.05, 0.1, 0.5, 1, 5], labels: { service: '%{[service][name]}' } },
    ],
    max_series: 1000,
  },
  create(config, context) {
    const compiled: CompiledMetric[] = config.metrics.map((metric) => ({
      when: metric.when === undefined ? undefined : compileCondition(metric.when),
      update: buildUpdate(metric, config, context, context.metrics),
    }));
    const dropped = config.drop_events ? context.metrics.counter('filter_events_dropped_total', 'Events a drop filter discarded on purpose') : undefined;
    return {
      process(events: Event[]): Event[] {
        const now = Date.now();
        for (const metric of compiled) {
          const { when, update } = metric;
          for (const event of events) if (when === undefined || when(event)) update(event, now);
        }
        if (dropped === undefined) return events;
        dropped.inc(events.length);
        return [];
      },
    };
  },
};
