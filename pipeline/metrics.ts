/**
 * Counters and gauges for `/metrics` (Prometheus text) and `/stats` (JSON). Plugins hold the
 * counter objects they increment, so the hot path is one property add, no map lookups.
 */

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

function seriesKey(name: string, labels: Labels): string {
  return name + JSON.stringify(Object.entries(labels).sort());
}

export interface MetricSample {
  name: string;
  help: string;
  labels: Labels;
  value: number;
  kind: 'counter' | 'gauge';
}

export class Metrics {
  constructor(
    private readonly baseLabels: Labels = {},
    private readonly series = new Map<string, Counter | Gauge>(),
  ) {}

  /** A view whose series all carry these extra labels (e.g. plugin type and id); it shares the registry. */
  withLabels(labels: Labels): Metrics {
    return new Metrics({ ...this.baseLabels, ...labels }, this.series);
  }

  counter(name: string, help: string, labels: Labels = {}): Counter {
    const all = { ...this.baseLabels, ...labels };
    const key = seriesKey(name, all);
    const existing = this.series.get(key);
    if (existing instanceof Counter) return existing;
    const created = new Counter(name, help, all);
    this.series.set(key, created);
    return created;
  }

  gauge(name: string, help: string, read: () => number, labels: Labels = {}): Gauge {
    const all = { ...this.baseLabels, ...labels };
    const created = new Gauge(name, help, all, read);
    this.series.set(seriesKey(name, all), created);
    return created;
  }

  /** Plain values, to send from a worker process to the primary. */
  snapshot(): MetricSample[] {
    return this.all().map((s) => ({ name: s.name, help: s.help, labels: s.labels, value: s.value, kind: s instanceof Counter ? 'counter' : 'gauge' }));
  }

  /** Adds samples from another process: series with the same name and labels are summed. */
  absorb(samples: readonly MetricSample[]): void {
    for (const sample of samples) {
      if (sample.kind === 'counter') {
        this.counter(sample.name, sample.help, sample.labels).inc(sample.value);
      } else {
        const key = seriesKey(sample.name, { ...this.baseLabels, ...sample.labels });
        const existing = this.series.get(key);
        const total = (existing ? existing.value : 0) + sample.value;
        this.gauge(sample.name, sample.help, () => total, sample.labels);
      }
    }
  }

  all(): Array<Counter | Gauge> {
    return [...this.series.values()];
  }

  /** Sum of a counter across all label sets that include `match`. */
  sum(name: string, match: Labels = {}): number {
    let total = 0;
    for (const s of this.series.values()) {
      if (s.name !== name) continue;
      if (Object.entries(match).every(([k, v]) => s.labels[k] === v)) total += s.value;
    }
    return total;
  }

  toPrometheus(): string {
    const byName = new Map<string, Array<Counter | Gauge>>();
    for (const s of this.series.values()) {
      const list = byName.get(s.name) ?? [];
      list.push(s);
      byName.set(s.name, list);
    }
    let out = '';
    for (const [name, list] of byName) {
      const type = list[0] instanceof Counter ? 'counter' : 'gauge';
      out += `# HELP sluice_${name} ${list[0].help}\n# TYPE sluice_${name} ${type}\n`;
      for (const s of list) {
        const labels = Object.entries(s.labels)
          .map(([k, v]) => `${k}="${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`)
          .join(',');
        out += `sluice_${name}${labels ? `{${labels}}` : ''} ${s.value}\n`;
      }
    }
    return out;
  }
}
