/** The `metrics` filter's settings: its schema is its documentation. */
import { z } from 'zod';
import { fieldReference, template } from '../../config/fields.js';
import { compileCondition } from '../../pipeline/condition/index.js';

/** Prometheus' own default buckets (seconds), fit for request durations. */
export const DEFAULT_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const METRIC_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

const condition = z
  .string()
  .superRefine((text, ctx) => {
    try {
      compileCondition(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: (err as Error).message });
    }
  })
  .describe('Logstash condition (the syntax of a filter\'s `when:`): only the events it holds true for update this metric. Without it, every event the filter sees does.');

const metricSchema = z
  .strictObject({
    name: z
      .string()
      .regex(METRIC_NAME, { error: 'expected a Prometheus metric name: letters, digits, _ and :, not starting with a digit' })
      .refine((name) => !name.startsWith('sluice_'), { error: 'names starting with sluice_ are sluice\'s own metrics' })
      .describe('Metric name as Prometheus shows it, without any prefix. By Prometheus\' conventions counters end in `_total` and carry their unit (`_seconds`, `_bytes`).'),
    type: z
      .enum(['counter', 'gauge', 'histogram'])
      .describe('`counter`: only goes up (one per event, or by `field`); `gauge`: set to `field`, or moved by it with `mode: add`; `histogram`: counts `field` into `buckets`, with their sum and count.'),
    help: z.string().min(1).optional().describe('The `# HELP` text on `/metrics`. Default: says which filter derives it.'),
    when: condition.optional(),
    field: fieldReference('Field holding the number: what a counter adds (default: 1 per event), what a gauge is set to, what a histogram observes. Numbers and numeric strings count; an event without it (or with a counter going negative) is skipped and counted in `metrics_value_invalid_total`.').optional(),
    scale: z.number().refine((n) => Number.isFinite(n) && n !== 0, { error: 'expected a finite non-zero number' }).default(1).describe('Multiplies the value of `field`, e.g. `0.000000001` turns ECS `event.duration` (nanoseconds) into seconds.'),
    labels: z
      .record(z.string().regex(LABEL_NAME, { error: 'expected a label name: letters, digits and _, not starting with a digit' }).refine((name) => !name.startsWith('__'), { error: 'label names starting with __ are reserved by Prometheus' }), template('Label value, a `%{[field]}` template; a missing field stays as written.'))
      .default({})
      .describe('Label name to value template, e.g. `service: "%{[service][name]}"`. Each distinct set of values is one series.'),
    buckets: z
      .array(z.number().refine(Number.isFinite, { error: 'expected a finite number' }))
      .min(1)
      .refine((list) => list.every((b, i) => i === 0 || b > list[i - 1]), { error: 'expected bucket bounds in increasing order, each once' })
      .optional()
      .describe(`Histogram only: the upper bounds of the buckets (\`+Inf\` is added). Default: ${DEFAULT_BUCKETS.join(', ')}.`),
    mode: z.enum(['set', 'add']).default('set').describe('Gauge only. `set`: the gauge takes the value of `field` (with several workers the most recently set value wins); `add`: the value (e.g. +1 / -1) moves it (workers\' gauges add up).'),
    max_series: z.int().min(1).optional().describe('Overrides the filter\'s `max_series` for this metric.'),
  })
  .superRefine((metric, ctx) => {
    if (metric.type !== 'counter' && metric.field === undefined) ctx.addIssue({ code: 'custom', path: ['field'], message: `a ${metric.type} needs a field to read its value from` });
    if (metric.buckets !== undefined && metric.type !== 'histogram') ctx.addIssue({ code: 'custom', path: ['buckets'], message: 'buckets are for histograms' });
    if (metric.type === 'histogram' && 'le' in metric.labels) ctx.addIssue({ code: 'custom', path: ['labels', 'le'], message: 'le is the bucket label of a histogram' });
  });

export const metricsFilterSchema = z
  .strictObject({
    metrics: z.array(metricSchema).min(1).describe('The metrics this filter keeps, each updated by the events its `when` selects.'),
    max_series: z
      .int()
      .min(1)
      .default(1000)
      .describe('Most series (distinct label values) per metric in each process. Events beyond go to one series whose labels all read `other`, counted in `metrics_series_overflow_total` and logged once per metric, so a label holding a user id cannot eat the memory.'),
    drop_events: z.boolean().default(false).describe('Drop the events after counting them (a metrics-only pipeline); counted in `filter_events_dropped_total`.'),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.metrics.forEach((metric, index) => {
      if (seen.has(metric.name)) ctx.addIssue({ code: 'custom', path: ['metrics', index, 'name'], message: `metric ${metric.name} is defined twice` });
      seen.add(metric.name);
    });
  });

export type MetricsFilterConfig = z.output<typeof metricsFilterSchema>;
export type MetricConfig = MetricsFilterConfig['metrics'][number];
