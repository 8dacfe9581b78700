/**
 * The last warnings and errors sluice logged, for the status page and `sluice top`: a bounded
 * ring fed by the logger, so an operator without access to the process's stderr still sees why
 * events are dropped or an output is failing. One ring per process; in cluster mode the primary
 * gathers its workers' rings with their metrics.
 */

/** One log line as the status page shows it: pino's fields, with the level as a name. */
export interface RecentLog {
  time: string;
  level: 'warn' | 'error' | 'fatal';
  msg: string;
  worker?: number;
  /** The line's other fields (plugin id, error, code...), as logged. */
  fields: Record<string, unknown>;
  /** Lines alike logged one after the other (a retry loop) are one entry: how many, since when. */
  repeats?: number;
  since?: string;
}

/** Lines alike: same level and message from the same plugin with the same code. */
function sameKind(a: RecentLog, b: RecentLog): boolean {
  return a.level === b.level && a.msg === b.msg && a.worker === b.worker && a.fields.code === b.fields.code && a.fields.input === b.fields.input && a.fields.filter === b.fields.filter && a.fields.output === b.fields.output;
}

export const RECENT_LOG_LIMIT = 50;
/** A line longer than this (a stack trace) is cut: the ring is for a glance, stderr has it whole. */
const MAX_FIELD_TEXT = 1000;

const PINO_LEVELS: Record<number, RecentLog['level']> = { 40: 'warn', 50: 'error', 60: 'fatal' };
const OWN_KEYS = new Set(['time', 'level', 'msg', 'worker', 'name', 'pid', 'hostname']);

export class LogRing {
  private readonly lines: RecentLog[] = [];
  /** Moves on with every line pushed: a worker resends its ring to the primary only when this changed. */
  generation = 0;
  constructor(private readonly limit = RECENT_LOG_LIMIT) {}

  /** A pino stream: it receives each serialized line at warn and above. */
  write(line: string): void {
    let parsed: Record<string, unknown>;
    try {
      parsed = JSON.parse(line) as Record<string, unknown>;
    } catch {
      return;
    }
    const level = PINO_LEVELS[parsed.level as number];
    if (!level) return;
    const fields: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(parsed)) {
      if (OWN_KEYS.has(key)) continue;
      fields[key] = typeof value === 'string' && value.length > MAX_FIELD_TEXT ? `${value.slice(0, MAX_FIELD_TEXT)}…` : value;
    }
    this.push({
      time: typeof parsed.time === 'string' ? parsed.time : new Date().toISOString(),
      level,
      msg: String(parsed.msg ?? ''),
      ...(typeof parsed.worker === 'number' ? { worker: parsed.worker } : {}),
      fields,
    });
  }

  push(entry: RecentLog): void {
    this.generation++;
    const last = this.lines[this.lines.length - 1];
    if (last && sameKind(last, entry)) {
      this.lines[this.lines.length - 1] = { ...entry, repeats: (last.repeats ?? 1) + (entry.repeats ?? 1), since: last.since ?? last.time };
      return;
    }
    this.lines.push(entry);
    if (this.lines.length > this.limit) this.lines.splice(0, this.lines.length - this.limit);
  }

  /** Oldest first. */
  recent(): RecentLog[] {
    return [...this.lines];
  }
}

/** This process's ring (createLogger feeds it). */
export const recentLogs = new LogRing();

/** Several rings (primary and workers) as one: in time order, the last `limit`. */
export function mergeRecentLogs(sources: ReadonlyArray<readonly RecentLog[]>, limit = RECENT_LOG_LIMIT): RecentLog[] {
  return sources
    .flat()
    .sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : 0))
    .slice(-limit);
}
