/**
 * Counters, gauges and histograms for `/metrics` (Prometheus text) and `/stats` (JSON). Plugins
 * hold the series objects they update, so the hot path is one property add, no map lookups.
 *
 * Two families share one registry: sluice's own series (exposed as `sluice_<name>`, carrying the
 * plugin labels of the view that made them) and series derived from events by the `metrics`
 * filter (exposed under the user's name with the user's labels only; not in `/stats`).
 */

import { ConfigError } from './errors.js';

export type Labels = Readonly<Record<string, string>>;

export class Counter {
  value = 0;
  constructor(readonly name: string, readonly help: string, readonly labels: Labels) {}
  inc(by = 1): void {
    this.value += by;
  }
}

export class Gauge {
  constructor(readonly name: string, readonly help: string, readonly labels: Labels, readonly read: () => number) {}
  get value(): number {
    return this.read();
  }
}

/**
 * How the cluster primary joins one gauge series reported by several workers: `sum` (queue
 * sizes, gauges moved up and down by events) or `latest` (a value copied from events: the worker
 * that set it last is right, the others hold older readings).
 */
export type GaugeMerge = 'sum' | 'latest';

/** A gauge set or moved by the events themselves; it remembers when, for the `latest` merge. */
export class SetGauge {
  value = 0;
  updatedAt = 0;
  constructor(readonly name: string, readonly help: string, readonly labels: Labels, readonly merge: GaugeMerge) {}
  /** `at`: when the value was read (ms since the epoch); callers pass one clock reading per batch, a read per event costs more than the update. */
  set(value: number, at = Date.now()): void {
    this.value = value;
    this.updatedAt = at;
  }
  add(by: number, at = Date.now()): void {
    this.value += by;
    this.updatedAt = at;
  }
}

/**
 * Observations of a histogram kept between two reads, for an output that sends raw values
 * (statsd timers): at most `cap`, a uniform sample of them beyond (reservoir sampling), and how
 * many there were, so the receiver can scale its count by the sample rate.
 */
export class Reservoir {
  values: number[] = [];
  seen = 0;
  constructor(readonly cap: number) {}
  add(value: number): void {
    this.seen++;
    if (this.values.length < this.cap) this.values.push(value);
    else {
      const slot = Math.floor(Math.random() * this.seen);
      if (slot < this.cap) this.values[slot] = value;
    }
  }
  /** What was kept since the last call, and starts over. */
  take(): { values: number[]; seen: number } {
    const taken = { values: this.values, seen: this.seen };
    this.values = [];
    this.seen = 0;
    return taken;
  }
}

export class Histogram {
  /** Set when an output reads raw observations; otherwise observing costs no more than the buckets. */
  reservoir: Reservoir | undefined;
  /** Observations per bucket, not cumulative (exposition adds them up): slot i holds bounds[i-1] < v ≤ bounds[i]; the last slot is +Inf. */
  readonly counts: number[];
  sum = 0;
  count = 0;
  constructor(readonly name: string, readonly help: string, readonly labels: Labels, readonly bounds: readonly number[]) {
    this.counts = new Array<number>(bounds.length + 1).fill(0);
  }
  observe(value: number): void {
    const bounds = this.bounds;
    let slot = 0;
    while (slot < bounds.length && value > bounds[slot]) slot++;
    this.counts[slot]++;
    this.sum += value;
    this.count++;
    if (this.reservoir !== undefined) this.reservoir.add(value);
  }
}

export type Series = Counter | Gauge | SetGauge | Histogram;

function seriesKey(name: string, labels: Labels): string {
  return name + JSON.stringify(Object.entries(labels).sort());
}

interface SampleBase {
  name: string;
  help: string;
  labels: Labels;
  /** Made by the `metrics` filter: exposed without the `sluice_` prefix. */
  derived?: boolean;
}

/** One series as plain data, to send from a worker process to the primary. */
export type MetricSample =
  | (SampleBase & { kind: 'counter'; value: number })
  | (SampleBase & { kind: 'gauge'; value: number; merge?: GaugeMerge; updatedAt?: number })
  | (SampleBase & { kind: 'histogram'; bounds: number[]; counts: number[]; sum: number; count: number });

function sampleOf(series: Series, derived: boolean): MetricSample {
  const base = { name: series.name, help: series.help, labels: series.labels, ...(derived ? { derived } : {}) };
  if (series instanceof Counter) return { ...base, kind: 'counter', value: series.value };
  if (series instanceof Histogram) return { ...base, kind: 'histogram', bounds: [...series.bounds], counts: [...series.counts], sum: series.sum, count: series.count };
  if (series instanceof SetGauge) return { ...base, kind: 'gauge', value: series.value, merge: series.merge, updatedAt: series.updatedAt };
  return { ...base, kind: 'gauge', value: series.value };
}

interface Registry {
  own: Map<string, Series>;
  derived: Map<string, Series>;
  /** Set by an output that sends raw observations: derived histograms keep up to this many per read. */
  keepObservations?: number;
  /** Derived metric name -> its kind (and buckets), so two filters cannot expose one name two ways. */
  declared: Map<string, string>;
}

export class Metrics {
  constructor(
    private readonly baseLabels: Labels = {},
    private readonly registry: Registry = { own: new Map(), derived: new Map(), declared: new Map() },
  ) {}

  /** A view whose series all carry these extra labels (e.g. plugin type and id); it shares the registry. */
  withLabels(labels: Labels): Metrics {
    return new Metrics({ ...this.baseLabels, ...labels }, this.registry);
  }

  counter(name: string, help: string, labels: Labels = {}): Counter {
    return this.obtain(this.registry.own, name, { ...this.baseLabels, ...labels }, Counter, (all) => new Counter(name, help, all));
  }

  gauge(name: string, help: string, read: () => number, labels: Labels = {}): Gauge {
    const all = { ...this.baseLabels, ...labels };
    const created = new Gauge(name, help, all, read);
    this.registry.own.set(seriesKey(name, all), created);
    return created;
  }

  histogram(name: string, help: string, bounds: readonly number[], labels: Labels = {}): Histogram {
    return this.obtain(this.registry.own, name, { ...this.baseLabels, ...labels }, Histogram, (all) => new Histogram(name, help, all, bounds));
  }

  /**
   * Claims a derived metric name for one shape (`counter`, `gauge`, `histogram 0.1,1`...) at
   * config time. Two filters may count into one metric of the same shape; a different shape
   * under the same name would make the exposition invalid, so it is refused before any event.
   */
  declareDerived(name: string, shape: string): void {
    const existing = this.registry.declared.get(name);
    if (existing !== undefined && existing !== shape) throw new ConfigError('SLUICE_CONFIG_INVALID', `metric ${name} is defined twice, as ${existing} and as ${shape}`);
    this.registry.declared.set(name, shape);
  }

  /** A counter derived from events: the user's name and labels only, whatever this view's labels. */
  derivedCounter(name: string, help: string, labels: Labels): Counter {
    return this.obtain(this.registry.derived, name, labels, Counter, (all) => new Counter(name, help, all));
  }

  derivedGauge(name: string, help: string, labels: Labels, merge: GaugeMerge): SetGauge {
    return this.obtain(this.registry.derived, name, labels, SetGauge, (all) => new SetGauge(name, help, all, merge));
  }

  derivedHistogram(name: string, help: string, labels: Labels, bounds: readonly number[]): Histogram {
    return this.obtain(this.registry.derived, name, labels, Histogram, (all) => {
      const created = new Histogram(name, help, all, bounds);
      if (this.registry.keepObservations !== undefined) created.reservoir = new Reservoir(this.registry.keepObservations);
      return created;
    });
  }

  /** From now on, derived histograms keep up to `cap` raw observations between reads (Histogram.reservoir). */
  keepObservations(cap: number): void {
    this.registry.keepObservations = Math.max(cap, this.registry.keepObservations ?? 0);
    for (const series of this.registry.derived.values()) if (series instanceof Histogram) series.reservoir ??= new Reservoir(this.registry.keepObservations);
  }

  /** The series of that name and labels if one of that class exists (two filters counting into one metric share it), else a new one. */
  private obtain<T extends Series>(map: Map<string, Series>, name: string, labels: Labels, kind: abstract new (...args: never[]) => T, make: (labels: Labels) => T): T {
    const key = seriesKey(name, labels);
    const existing = map.get(key);
    if (existing instanceof kind) return existing;
    const created = make(labels);
    map.set(key, created);
    return created;
  }

  /** Plain values, to send from a worker process to the primary. */
  snapshot(): MetricSample[] {
    return [...[...this.registry.own.values()].map((s) => sampleOf(s, false)), ...[...this.registry.derived.values()].map((s) => sampleOf(s, true))];
  }

  /**
   * Adds samples from another process. Counters and histogram buckets add up; sluice's own
   * gauges add up (each worker holds its own queue); derived gauges follow their merge rule.
   */
  absorb(samples: readonly MetricSample[]): void {
    for (const sample of samples) {
      if (sample.kind === 'counter') {
        (sample.derived ? this.derivedCounter(sample.name, sample.help, sample.labels) : this.counter(sample.name, sample.help, sample.labels)).inc(sample.value);
      } else if (sample.kind === 'histogram') {
        const target = sample.derived ? this.derivedHistogram(sample.name, sample.help, sample.labels, sample.bounds) : this.histogram(sample.name, sample.help, sample.bounds, sample.labels);
        this.absorbHistogram(target, sample);
      } else if (sample.derived) {
        const target = this.derivedGauge(sample.name, sample.help, sample.labels, sample.merge ?? 'sum');
        const updatedAt = sample.updatedAt ?? 0;
        if (target.merge === 'sum') target.value += sample.value;
        else if (updatedAt >= target.updatedAt) target.value = sample.value;
        target.updatedAt = Math.max(target.updatedAt, updatedAt);
      } else {
        const key = seriesKey(sample.name, { ...this.baseLabels, ...sample.labels });
        const existing = this.registry.own.get(key);
        const total = (existing ? numericValue(existing) : 0) + sample.value;
        this.gauge(sample.name, sample.help, () => total, sample.labels);
      }
    }
  }

  private absorbHistogram(target: Histogram, sample: Extract<MetricSample, { kind: 'histogram' }>): void {
    // Workers build a metric from the same config, so bounds agree; a mismatch (a config reload mid-scrape) is skipped rather than misfiled.
    if (target.bounds.length !== sample.bounds.length || target.bounds.some((b, i) => b !== sample.bounds[i])) return;
    for (let i = 0; i < sample.counts.length; i++) target.counts[i] += sample.counts[i];
    target.sum += sample.sum;
    target.count += sample.count;
  }

  /** sluice's own series (the derived ones are the user's and stay out of `/stats`). */
  all(): Array<Counter | Gauge> {
    return [...this.registry.own.values()].filter((s): s is Counter | Gauge => s instanceof Counter || s instanceof Gauge);
  }

  /** Series the `metrics` filter derived from events. */
  derived(): Series[] {
    return [...this.registry.derived.values()];
  }

  /** Sum of a counter across all label sets that include `match`. */
  sum(name: string, match: Labels = {}): number {
    let total = 0;
    for (const s of this.all()) {
      if (s.name !== name) continue;
      if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
    return total;
  }

  /** Prometheus text exposition 0.0.4: sluice's own series, then the derived ones. */
  toPrometheus(): string {
    return exposition(this.registry.own.values(), 'sluice_') + exposition(this.registry.derived.values(), '');
  }
}

function numericValue(series: Series): number {
  return series instanceof Histogram ? series.count : series.value;
}

function typeOf(series: Series): string {
  if (series instanceof Counter) return 'counter';
  if (series instanceof Histogram) return 'histogram';
  return 'gauge';
}

function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

function labelText(labels: Labels, extra?: string): string {
  const parts = Object.entries(labels).map(([k, v]) => `${k}="${escapeLabelValue(v)}"`);
  if (extra) parts.push(extra);
  return parts.length > 0 ? `{${parts.join(',')}}` : '';
}

function numberText(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
}

function exposition(series: Iterable<Series>, prefix: string): string {
  const byName = new Map<string, Series[]>();
  for (const s of series) {
    const list = byName.get(s.name);
    if (list) list.push(s);
    else byName.set(s.name, [s]);
  }
  let out = '';
  for (const [name, list] of byName) {
    const full = prefix + name;
    out += `# HELP ${full} ${list[0].help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}\n# TYPE ${full} ${typeOf(list[0])}\n`;
    for (const s of list) {
      if (!(s instanceof Histogram)) {
        out += `${full}${labelText(s.labels)} ${numberText(s.value)}\n`;
        continue;
      }
      // Buckets are cumulative on the wire: each counts every observation at or below its bound.
      let running = 0;
      for (let i = 0; i < s.bounds.length; i++) {
        running += s.counts[i];
        out += `${full}_bucket${labelText(s.labels, `le="${numberText(s.bounds[i])}"`)} ${running}\n`;
      }
      out += `${full}_bucket${labelText(s.labels, 'le="+Inf"')} ${s.count}\n`;
      out += `${full}_sum${labelText(s.labels)} ${numberText(s.sum)}\n${full}_count${labelText(s.labels)} ${s.count}\n`;
    }
  }
  return out;
}
