/**
 * Judges alert rules on a metrics registry, window after window, and says which alerts start
 * and stop firing. Pure apart from the registry it reads: the caller owns the clock and the
 * notifications, so a test drives it window by window.
 */
import { Counter, Histogram, type Labels, type Metrics, type Series } from '../metrics.js';
import type { AlertRule } from './config.js';

export interface AlertState {
  rule: AlertRule;
  /** `alertname` plus the rule's `by` labels. */
  labels: Record<string, string>;
  value: number;
  startsAt: number;
  /** Set once it resolved. */
  endsAt?: number;
}

interface GroupState {
  /** Cumulative total at the previous judgement (counters and histograms). */
  previous?: number;
  breaches: number;
  firing?: AlertState;
  resolvedAt?: number;
}

function cumulative(series: Series): number | undefined {
  if (series instanceof Counter) return series.value;
  if (series instanceof Histogram) return series.count;
  return undefined;
}

const compare = {
  '>': (a: number, b: number) => a > b,
  '>=': (a: number, b: number) => a >= b,
  '<': (a: number, b: number) => a < b,
  '<=': (a: number, b: number) => a <= b,
} as const;

function matches(labels: Labels, match: Record<string, string>): boolean {
  for (const key in match) if (labels[key] !== match[key]) return false;
  return true;
}

export class AlertEvaluator {
  private readonly groups = new Map<AlertRule, Map<string, GroupState>>();
  private readonly judgedAt = new Map<AlertRule, number>();

  constructor(private readonly rules: readonly AlertRule[]) {
    for (const rule of rules) this.groups.set(rule, new Map());
  }

  /** Judges every rule whose window has passed since its last judgement; returns the alerts that changed (fired or resolved). */
  tick(metrics: Metrics, now: number): AlertState[] {
    const changed: AlertState[] = [];
    for (const rule of this.rules) {
      const last = this.judgedAt.get(rule);
      if (last !== undefined && now - last < rule.window * 1000) continue;
      this.judgedAt.set(rule, now);
      changed.push(...this.judge(rule, metrics, now, last === undefined));
    }
    return changed;
  }

  /** Alerts firing now, for re-sending (Alertmanager forgets alerts that are not repeated). */
  firing(): AlertState[] {
    const out: AlertState[] = [];
    for (const groups of this.groups.values()) for (const group of groups.values()) if (group.firing) out.push(group.firing);
    return out;
  }

  private judge(rule: AlertRule, metrics: Metrics, now: number, first: boolean): AlertState[] {
    const totals = new Map<string, { labels: Record<string, string>; cumulative: number; gauge: number; isGauge: boolean }>();
    for (const series of metrics.derived()) {
      if (series.name !== rule.metric || !matches(series.labels, rule.match)) continue;
      const labels: Record<string, string> = { alertname: rule.name };
      for (const key of rule.by) labels[key] = series.labels[key] ?? '';
      const key = JSON.stringify(labels);
      const entry = totals.get(key) ?? { labels, cumulative: 0, gauge: 0, isGauge: false };
      const total = cumulative(series);
      if (total !== undefined) entry.cumulative += total;
      else if (!(series instanceof Histogram)) {
        entry.isGauge = true;
        entry.gauge += series.value;
      }
      totals.set(key, entry);
    }
    const groups = this.groups.get(rule) as Map<string, GroupState>;
    // A rule without `by` always has its one group, so a metric never seen can flatline.
    if (rule.by.length === 0 && totals.size === 0) totals.set(JSON.stringify({ alertname: rule.name }), { labels: { alertname: rule.name }, cumulative: 0, gauge: 0, isGauge: false });
    // Groups seen before but absent now (a series gone) judge as zero increase.
    for (const [key, group] of groups) if (!totals.has(key) && group.previous !== undefined) totals.set(key, { labels: JSON.parse(key) as Record<string, string>, cumulative: group.previous, gauge: 0, isGauge: false });

    const changed: AlertState[] = [];
    for (const [key, entry] of totals) {
      let group = groups.get(key);
      if (group === undefined) {
        group = { breaches: 0 };
        groups.set(key, group);
      }
      let value: number;
      if (entry.isGauge) value = entry.gauge;
      else {
        // The first judgement of a rule has no window behind it: it only sets the baseline.
        const previous = group.previous ?? (first ? undefined : 0);
        group.previous = entry.cumulative;
        if (previous === undefined) continue;
        // A smaller total means a counter reset (a worker replaced): count from zero.
        value = entry.cumulative >= previous ? entry.cumulative - previous : entry.cumulative;
      }
      const breached = compare[rule.op](value, rule.threshold);
      group.breaches = breached ? group.breaches + 1 : 0;
      if (group.firing) {
        group.firing.value = value;
        if (!breached) {
          group.firing.endsAt = now;
          changed.push(group.firing);
          group.firing = undefined;
          group.resolvedAt = now;
        }
      } else if (group.breaches >= rule.for && (group.resolvedAt === undefined || now - group.resolvedAt >= rule.cooldown * 1000)) {
        group.firing = { rule, labels: entry.labels, value, startsAt: now };
        changed.push(group.firing);
      }
    }
    return changed;
  }
}
