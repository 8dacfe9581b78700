/**
 * Aggregates statsd lines into the pipeline's metric registry, as Etsy's statsd does per flush
 * interval: counters summed and scaled by 1/rate, gauges set or moved, set members counted per
 * interval, timers' per-interval statistics (count, sum, mean, lower, upper, percentiles) and a
 * cumulative histogram. The registry is what `/metrics` and the statsd and graphite outputs read.
 */
import { ConfigError } from '../../pipeline/errors.js';
import type { Counter, Histogram, Labels, Metrics, SetGauge } from '../../pipeline/metrics.js';
import type { StatsdLine } from './parse.js';

export interface AggregatorOptions {
  prefix: string;
  percentiles: readonly number[];
  timerBuckets: readonly number[];
  tags: boolean;
  maxSeries: number;
}

interface TimerStats {
  count: SetGauge;
  sum: SetGauge;
  mean: SetGauge;
  lower: SetGauge;
  upper: SetGauge;
  percentiles: Array<{ pct: number; upper: SetGauge; mean: SetGauge }>;
}

type Entry =
  | { type: 'c'; counter: Counter }
  | { type: 'g'; gauge: SetGauge }
  // Sets' and timers' gauges are made at their first flush: before it they have no value to show.
  | { type: 's'; gauge: () => SetGauge; members: Set<string> }
  | { type: 'ms'; histogram: Histogram; stats: () => TimerStats; values: number[]; count: number };

const HELP = 'Received by the statsd input';

/** statsd names hold dots (path levels); Prometheus names only `[a-zA-Z0-9_:]`, not starting with a digit. */
export function prometheusName(prefix: string, name: string): string {
  const clean = (prefix + name).replace(/[^a-zA-Z0-9_:]/g, '_');
  return /^[0-9]/.test(clean) ? `_${clean}` : clean;
}

function labelName(tag: string, isTimer: boolean): string {
  let clean = tag.replace(/[^a-zA-Z0-9_]/g, '_');
  if (/^[0-9]/.test(clean)) clean = `_${clean}`;
  // `__` names are Prometheus' own, and `le` is a histogram's bucket label.
  if (clean.startsWith('__') || (isTimer && clean === 'le')) clean = `tag${clean.startsWith('_') ? '' : '_'}${clean}`;
  return clean;
}

function once<T>(make: () => T): () => T {
  let made: T | undefined;
  return () => (made ??= make());
}

function percentileName(pct: number): string {
  return String(pct).replace('.', '_');
}

export class StatsdAggregator {
  /** One entry per series: type, name and labels in a canonical order. */
  private readonly entries = new Map<string, Entry>();
  /** The same entries by the line as written (tags in the sender's order): one lookup for a known series. */
  private readonly byText = new Map<string, Entry>();

  constructor(private readonly metrics: Metrics, private readonly options: AggregatorOptions) {}

  /** Adds one parsed line; returns why it was refused, or undefined. */
  add(line: StatsdLine): string | undefined {
    const textKey = this.options.tags ? `${line.type}|${line.name}|${line.tagText}` : `${line.type}|${line.name}`;
    let entry = this.byText.get(textKey);
    if (entry === undefined) {
      const found = this.entryOf(line);
      if (typeof found === 'string') return found;
      entry = found;
      // A cache only: senders writing tags in ever new orders must not grow it without bound.
      if (this.byText.size >= 4 * this.options.maxSeries) this.byText.clear();
      this.byText.set(textKey, entry);
    }
    switch (entry.type) {
      case 'c':
        if (line.value < 0) return 'a counter cannot go down (Prometheus counters only add)';
        entry.counter.inc(line.value / line.rate);
        return undefined;
      case 'g':
        if (line.delta) entry.gauge.add(line.value);
        else entry.gauge.set(line.value);
        return undefined;
      case 's':
        entry.members.add(line.member);
        return undefined;
      case 'ms':
        entry.histogram.observe(line.value);
        entry.values.push(line.value);
        entry.count += 1 / line.rate;
        return undefined;
    }
  }

  private entryOf(line: StatsdLine): Entry | string {
    const labels = this.labelsOf(line);
    const key = `${line.type}\u0000${line.name}\u0000${JSON.stringify(labels)}`;
    const existing = this.entries.get(key);
    if (existing !== undefined) return existing;
    if (this.entries.size >= this.options.maxSeries) return `max_series (${this.options.maxSeries}) reached: a new series is refused`;
    try {
      const created = this.create(line, labels);
      this.entries.set(key, created);
      return created;
    } catch (err) {
      if (err instanceof ConfigError) return err.message;
      throw err;
    }
  }

  /** Ends an interval: sets' sizes and timers' statistics become the gauges' values, and start over. */
  flush(now = Date.now()): void {
    for (const entry of this.entries.values()) {
      if (entry.type === 's') {
        entry.gauge().set(entry.members.size, now);
        entry.members.clear();
      } else if (entry.type === 'ms') {
        this.flushTimer(entry, now);
      }
    }
  }

  private flushTimer(entry: Extract<Entry, { type: 'ms' }>, now: number): void {
    const stats = entry.stats();
    const values = entry.values.sort((a, b) => a - b);
    let sum = 0;
    for (const value of values) sum += value;
    stats.count.set(entry.count, now);
    stats.sum.set(sum, now);
    if (values.length > 0) {
      stats.mean.set(sum / values.length, now);
      stats.lower.set(values[0], now);
      stats.upper.set(values[values.length - 1], now);
      for (const p of stats.percentiles) {
        // As statsd: the lowest round(pct% of n) values; none when that rounds to 0.
        const within = Math.round((p.pct / 100) * values.length);
        if (within === 0) continue;
        let partial = 0;
        for (let i = 0; i < within; i++) partial += values[i];
        p.upper.set(values[within - 1], now);
        p.mean.set(partial / within, now);
      }
    }
    entry.values = [];
    entry.count = 0;
  }

  private labelsOf(line: StatsdLine): Labels {
    if (!this.options.tags) return {};
    const names = Object.keys(line.tags);
    if (names.length === 0) return {};
    const labels: Record<string, string> = {};
    for (const tag of names.sort()) labels[labelName(tag, line.type === 'ms')] = line.tags[tag];
    return labels;
  }

  private create(line: StatsdLine, labels: Labels): Entry {
    const { metrics } = this;
    const name = prometheusName(this.options.prefix, line.name);
    switch (line.type) {
      case 'c':
        metrics.declareDerived(name, 'counter');
        return { type: 'c', counter: metrics.derivedCounter(name, `${HELP} (counter, scaled by 1/sample rate)`, labels) };
      case 'g':
        metrics.declareDerived(name, 'gauge');
        return { type: 'g', gauge: metrics.derivedGauge(name, `${HELP} (gauge)`, labels, 'latest') };
      case 's':
        metrics.declareDerived(name, 'gauge');
        return { type: 's', gauge: once(() => metrics.derivedGauge(name, `${HELP} (set: distinct members in the last flush interval)`, labels, 'latest')), members: new Set() };
      case 'ms': {
        const bounds = this.options.timerBuckets;
        metrics.declareDerived(name, `histogram with buckets ${bounds.join(', ')}`);
        const suffixes = ['_interval_count', '_interval_sum', '_mean', '_lower', '_upper', ...this.options.percentiles.flatMap((pct) => [`_upper_${percentileName(pct)}`, `_mean_${percentileName(pct)}`])];
        for (const suffix of suffixes) metrics.declareDerived(name + suffix, 'gauge');
        const gauge = (suffix: string, what: string): SetGauge => metrics.derivedGauge(name + suffix, `${HELP} (timer: ${what} in the last flush interval)`, labels, 'latest');
        const stats = once((): TimerStats => ({
          count: gauge('_interval_count', 'values, scaled by 1/sample rate'),
          sum: gauge('_interval_sum', 'sum of the values'),
          mean: gauge('_mean', 'mean'),
          lower: gauge('_lower', 'smallest value'),
          upper: gauge('_upper', 'largest value'),
          percentiles: this.options.percentiles.map((pct) => ({
            pct,
            upper: gauge(`_upper_${percentileName(pct)}`, `largest value of the lowest ${pct}%`),
            mean: gauge(`_mean_${percentileName(pct)}`, `mean of the lowest ${pct}%`),
          })),
        }));
        return { type: 'ms', histogram: metrics.derivedHistogram(name, `${HELP} (timer, milliseconds)`, labels, bounds), stats, values: [], count: 0 };
      }
    }
  }
}
