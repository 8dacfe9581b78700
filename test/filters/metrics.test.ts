import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { metricsFilter } from '../../filters/metrics/index.js';
import type { Event } from '../../pipeline/event.js';
import { Metrics } from '../../pipeline/metrics.js';
import { makeFilter } from './helpers.js';
import { standaloneContext } from '../../pipeline/plugin_context.js';

const http = (service: string, status: number, durationNs = 0): Event => ({ service: { name: service }, http: { response: { status_code: status } }, event: { duration: durationNs } }) as Event;

/** The value lines of one metric in the exposition, without HELP/TYPE. */
function lines(metrics: Metrics, name: string): string[] {
  return metrics
    .toPrometheus()
    .split('\n')
    .filter((line) => line.startsWith(name));
}

describe('metrics filter', () => {
  it('counts the events its condition selects, per label values, and passes events on', () => {
    const { run, metrics } = makeFilter(metricsFilter, {
      metrics: [{ name: 'http_5xx_total', type: 'counter', when: '[http][response][status_code] >= 500', labels: { service: '%{[service][name]}' } }],
    });
    const events = [http('shop', 500), http('shop', 200), http('cart', 503), http('shop', 502)];
    expect(run(events)).toBe(events);
    expect(lines(metrics, 'http_5xx_total')).toEqual(['http_5xx_total{service="shop"} 2', 'http_5xx_total{service="cart"} 1']);
    expect(metrics.toPrometheus()).toContain('# TYPE http_5xx_total counter\n');
  });

  it('adds a value field to a counter and skips, counts and logs events without one', () => {
    const { run, metrics } = makeFilter(metricsFilter, { metrics: [{ name: 'bytes_total', type: 'counter', field: 'bytes' }] });
    run([{ bytes: 10 }, { bytes: '5' }, { bytes: 'many' }, {}, { bytes: -3 }] as Event[]);
    expect(lines(metrics, 'bytes_total')).toEqual(['bytes_total 15']);
    expect(metrics.sum('metrics_value_invalid_total', { metric: 'bytes_total' })).toBe(3);
  });

  it('keeps histogram buckets cumulative on the wire, with sum and count', () => {
    const { run, metrics } = makeFilter(metricsFilter, {
      metrics: [{ name: 'duration_seconds', type: 'histogram', field: '[event][duration]', scale: 1e-9, buckets: [0.1, 1] }],
    });
    run([http('a', 200, 50e6), http('a', 200, 100e6), http('a', 200, 700e6), http('a', 200, 3e9)]);
    expect(metrics.toPrometheus()).toContain('# TYPE duration_seconds histogram\n');
    expect(lines(metrics, 'duration_seconds')).toEqual([
      'duration_seconds_bucket{le="0.1"} 2',
      'duration_seconds_bucket{le="1"} 3',
      'duration_seconds_bucket{le="+Inf"} 4',
      'duration_seconds_sum 3.85',
      'duration_seconds_count 4',
    ]);
  });

  it('sets a gauge, or moves it with mode add', () => {
    const { run, metrics } = makeFilter(metricsFilter, {
      metrics: [
        { name: 'queue_length', type: 'gauge', field: 'q' },
        { name: 'sessions', type: 'gauge', field: 'delta', mode: 'add' },
      ],
    });
    run([{ q: 4, delta: 1 }, { q: 9, delta: 1 }, { q: 2, delta: -1 }] as Event[]);
    expect(lines(metrics, 'queue_length')).toEqual(['queue_length 2']);
    expect(lines(metrics, 'sessions')).toEqual(['sessions 1']);
  });

  it('caps series per metric: the rest goes to one `other` series, counted', () => {
    const { run, metrics } = makeFilter(metricsFilter, { max_series: 3, metrics: [{ name: 'logins_total', type: 'counter', labels: { user: '%{user}', app: 'web' } }] });
    run(Array.from({ length: 10 }, (_, i) => ({ user: `u${i}` }) as Event));
    run([{ user: 'u0' } as Event]);
    expect(lines(metrics, 'logins_total')).toEqual(['logins_total{user="u0",app="web"} 2', 'logins_total{user="u1",app="web"} 1', 'logins_total{user="u2",app="web"} 1', 'logins_total{user="other",app="other"} 7']);
    expect(metrics.sum('metrics_series_overflow_total', { metric: 'logins_total' })).toBe(7);
  });

  it('drops the events after counting them with drop_events', () => {
    const { run, metrics } = makeFilter(metricsFilter, { drop_events: true, metrics: [{ name: 'seen_total', type: 'counter' }] });
    expect(run([{}, {}] as Event[])).toEqual([]);
    expect(lines(metrics, 'seen_total')).toEqual(['seen_total 2']);
    expect(metrics.sum('filter_events_dropped_total')).toBe(2);
  });

  it('escapes label values in the exposition', () => {
    const { run, metrics } = makeFilter(metricsFilter, { metrics: [{ name: 'x_total', type: 'counter', labels: { v: '%{v}' } }] });
    run([{ v: 'a"b\\c\nd' } as Event]);
    expect(lines(metrics, 'x_total')).toEqual(['x_total{v="a\\"b\\\\c\\nd"} 1']);
  });

  it('refuses one name in two shapes across filters, before any event', () => {
    const metrics = new Metrics();
    const create = (type: string) => metricsFilter.create(metricsFilter.schema.parse({ metrics: [{ name: 'x', type, field: 'v' }] }), standaloneContext('m', metrics));
    create('counter');
    create('counter');
    expect(() => create('gauge')).toThrow(/metric x is defined twice, as counter and as gauge/);
  });

  it('refuses bad settings with a reason', () => {
    const bad = (settings: unknown) => metricsFilter.schema.safeParse(settings).error?.issues.map((i) => i.message).join('; ');
    expect(bad({ metrics: [{ name: '5xx', type: 'counter' }] })).toMatch(/Prometheus metric name/);
    expect(bad({ metrics: [{ name: 'sluice_x', type: 'counter' }] })).toMatch(/sluice's own/);
    expect(bad({ metrics: [{ name: 'g', type: 'gauge' }] })).toMatch(/needs a field/);
    expect(bad({ metrics: [{ name: 'h', type: 'histogram', field: 'x', buckets: [1, 1] }] })).toMatch(/increasing/);
    expect(bad({ metrics: [{ name: 'c', type: 'counter', when: '[a] ==' }] })).toBeDefined();
    expect(bad({ metrics: [{ name: 'c', type: 'counter' }, { name: 'c', type: 'counter' }] })).toMatch(/twice/);
    expect(bad(metricsFilter.example)).toBeUndefined();
  });
});

describe('metrics across worker processes', () => {
  it('adds counters and histogram buckets, keeps the latest set gauge and sums added gauges', () => {
    const workers = [new Metrics(), new Metrics()];
    workers.forEach((m, i) => {
      m.derivedCounter('c_total', 'c', { s: 'a' }).inc(3 + i);
      m.derivedHistogram('h', 'h', {}, [1, 2]).observe(i + 0.5);
      m.derivedGauge('sessions', 'g', {}, 'sum').add(2);
      m.counter('events_in_total', 'own').inc(10);
    });
    // Worker 0 read its value from the newer event, though its reply comes first.
    const older = workers[1].derivedGauge('last', 'g', {}, 'latest');
    older.set(7);
    older.updatedAt -= 1000;
    workers[0].derivedGauge('last', 'g', {}, 'latest').set(5);
    const merged = new Metrics();
    for (const worker of workers) merged.absorb(structuredClone(worker.snapshot()));
    const text = merged.toPrometheus();
    expect(text).toContain('c_total{s="a"} 7\n');
    expect(text).toContain('h_bucket{le="1"} 1\nh_bucket{le="2"} 2\nh_bucket{le="+Inf"} 2\nh_sum 2\nh_count 2\n');
    expect(text).toContain('\nsessions 4\n');
    expect(text).toContain('\nlast 5\n');
    expect(text).toContain('sluice_events_in_total 20\n');
  });

  it('sums any split of the events across workers to the one-process count (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.constantFrom('a', 'b', 'c'), fc.constantFrom(200, 404, 500, 503), fc.nat(1))), (mix) => {
        const settings = { metrics: [{ name: 'e_total', type: 'counter', when: '[http][response][status_code] >= 500', labels: { service: '%{[service][name]}' } }] };
        const whole = makeFilter(metricsFilter, settings);
        const parts = [makeFilter(metricsFilter, settings), makeFilter(metricsFilter, settings)];
        for (const [service, status, worker] of mix) {
          whole.run([http(service, status)]);
          parts[worker].run([http(service, status)]);
        }
        const merged = new Metrics();
        for (const part of parts) merged.absorb(part.metrics.snapshot());
        for (const service of ['a', 'b', 'c']) {
          const expected = whole.metrics.derived().find((s) => s.labels.service === service);
          const actual = merged.derived().find((s) => s.labels.service === service);
          expect(actual && 'value' in actual ? actual.value : 0).toBe(expected && 'value' in expected ? expected.value : 0);
        }
      }),
    );
  });
});
