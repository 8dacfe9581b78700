/**
 * What `sluice top` shows, from successive /status.json polls: the same reading of the numbers
 * as the status page (pipeline/status/status.js): per-second rates kept here, engine health
 * from recent bulk failures and the output's own complaints, repeated log lines folded.
 */
import type { RecentLog } from '../log_ring.js';

export interface StatusPlugin {
  kind: 'input' | 'filter' | 'output';
  type: string;
  id: string;
  [counter: string]: number | string;
}

export interface StatusSnapshot {
  time: number;
  pipeline: Record<string, number>;
  plugins: StatusPlugin[];
  logs: RecentLog[];
}

export const HISTORY_POINTS = 300;
/** "Now", for health: what changed over the last ten seconds. */
const RECENT_WINDOW_MS = 10_000;

interface Point {
  t: number;
  values: Record<string, number | string>;
}

export type Health = 'healthy' | 'degraded' | 'failing';
export interface EngineHealth {
  text: string;
  level: 'ok' | 'warn' | 'bad' | '';
  why: string;
}

export function num(values: Record<string, number | string>, name: string): number {
  const value = values[name];
  return typeof value === 'number' ? value : 0;
}

export class StatusHistory {
  private readonly points = new Map<string, Point[]>();

  remember(snapshot: StatusSnapshot): void {
    for (const plugin of snapshot.plugins) {
      const key = `${plugin.kind}:${plugin.id}`;
      const points = this.points.get(key) ?? [];
      points.push({ t: snapshot.time, values: plugin });
      if (points.length > HISTORY_POINTS) points.splice(0, points.length - HISTORY_POINTS);
      this.points.set(key, points);
    }
  }

  private of(plugin: StatusPlugin): Point[] {
    return this.points.get(`${plugin.kind}:${plugin.id}`) ?? [];
  }

  /** Per-second rates of a counter between consecutive polls (a restarted worker's reset counts as 0). */
  rates(plugin: StatusPlugin, name: string): number[] {
    const points = this.of(plugin);
    const out: number[] = [];
    for (let i = 1; i < points.length; i++) {
      const dt = (points[i].t - points[i - 1].t) / 1000;
      const dv = num(points[i].values, name) - num(points[i - 1].values, name);
      out.push(dt > 0 ? Math.max(0, dv) / dt : 0);
    }
    return out;
  }

  /** How much a counter grew over the recent window. */
  recentGrowth(plugin: StatusPlugin, name: string): number {
    const points = this.of(plugin);
    if (points.length < 2) return 0;
    const last = points[points.length - 1];
    const first = points.find((p) => last.t - p.t <= RECENT_WINDOW_MS) ?? points[0];
    return Math.max(0, num(last.values, name) - num(first.values, name));
  }

  engineHealth(plugin: StatusPlugin, logs: readonly RecentLog[], now: number): EngineHealth {
    if (!('bulk_requests_total' in plugin)) return { text: '-', level: '', why: '' };
    const complaints = logs.filter((l) => l.fields.output === plugin.id && now - Date.parse(l.time) <= RECENT_WINDOW_MS);
    const last = complaints[complaints.length - 1];
    const why = last ? `${last.msg}${last.fields.err ? `: ${String(last.fields.err)}` : ''}` : '';
    const failures = this.recentGrowth(plugin, 'bulk_request_failures_total');
    const retries = this.recentGrowth(plugin, 'events_retried_total');
    const delivered = this.recentGrowth(plugin, 'output_events_delivered_total');
    if ((failures > 0 || complaints.length > 0) && delivered === 0) return { text: 'failing', level: 'bad', why };
    if (failures > 0 || retries > 0 || complaints.length > 0) return { text: 'degraded', level: 'warn', why };
    if (delivered > 0 || num(plugin, 'bulk_requests_in_flight') > 0) return { text: 'ok', level: 'ok', why };
    return num(plugin, 'bulk_requests_total') > 0 ? { text: 'ok, idle', level: 'ok', why } : { text: 'idle', level: '', why };
  }

  /** The pipeline as a whole: failing if an engine is, degraded while events are dropped or retried. */
  health(snapshot: StatusSnapshot): Health {
    let worst = 0;
    for (const p of snapshot.plugins) {
      if (p.kind === 'input' && this.recentGrowth(p, 'events_dropped_total') > 0) worst = Math.max(worst, 1);
      if (p.kind !== 'output') continue;
      const engine = this.engineHealth(p, snapshot.logs, snapshot.time);
      if (engine.level === 'bad') worst = 2;
      else if (engine.level === 'warn' || this.recentGrowth(p, 'output_events_dropped_total') > 0) worst = Math.max(worst, 1);
    }
    return (['healthy', 'degraded', 'failing'] as const)[worst];
  }
}

/** Every way an event was not delivered, with its reason. */
export function dropsOf(snapshot: StatusSnapshot): Array<{ where: string; what: string; reason: string; events: number }> {
  const rows: Array<{ where: string; what: string; reason: string; events: number }> = [];
  const add = (where: string, what: string, reason: string, events: number) => events > 0 && rows.push({ where, what, reason, events });
  const reasons = (where: string, values: Record<string, number | string>) => {
    for (const [key, value] of Object.entries(values)) if (key.startsWith('events_dropped_total.') && typeof value === 'number') add(where, 'dropped', key.slice('events_dropped_total.'.length), value);
  };
  reasons('pipeline', snapshot.pipeline);
  for (const p of snapshot.plugins) {
    const where = `${p.kind} ${p.id}`;
    reasons(where, p);
    add(where, 'dropped', 'gave up (reason in the log)', num(p, 'output_events_dropped_total'));
    add(where, 'dead-lettered', 'rejected by the engine', num(p, 'output_events_dead_lettered_total'));
    add(where, 'dropped', 'drop filter (on purpose)', num(p, 'filter_events_dropped_total'));
    add(where, 'dropped', 'line over the size limit', num(p, 'oversize_lines_total'));
    add(where, 'dropped', 'write to stdout failed', num(p, 'write_failures_total'));
  }
  return rows;
}

/** Lines alike (level, message, plugin, code) once, the latest, with how many and since when; newest first. */
export function groupLogs(lines: readonly RecentLog[], limit: number): Array<{ line: RecentLog; times: number; first: string }> {
  const groups = new Map<string, { line: RecentLog; times: number; first: string }>();
  for (const line of lines) {
    const f = line.fields;
    const key = JSON.stringify([line.level, line.msg, f.input, f.filter, f.output, f.code]);
    const group = groups.get(key);
    if (group) {
      group.times += line.repeats ?? 1;
      group.line = line;
    } else groups.set(key, { line, times: line.repeats ?? 1, first: line.since ?? line.time });
  }
  return [...groups.values()].sort((a, b) => (a.line.time < b.line.time ? 1 : -1)).slice(0, limit);
}
