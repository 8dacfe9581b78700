/**
 * The bench history: one JSON line per `npm run bench` run (its results, the commit, the date and
 * the machine), appended to bench/history.jsonl so figures can be compared across commits.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import type { BenchResult } from './lib.js';

export interface MachineInfo {
  cores: number;
  memoryMiB: number;
  cpuModel: string;
  node: string;
}

export interface HistoryEntry {
  commit: string;
  /** Tracked files differed from the commit (the history and report aside): the figures are of code no commit holds. */
  dirty?: boolean;
  date: string;
  machine: MachineInfo;
  /** NaN figures (a target that does not measure CPU or memory) are stored as null by JSON. */
  results: BenchResult[];
}

function cpuModel(): string {
  try {
    const model = /^model name\s*:\s*(.+)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'));
    if (model) return model[1].trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(): MachineInfo {
  return { cores: cpus().length, memoryMiB: Math.round(totalmem() / 1048576), cpuModel: cpuModel(), node: process.version };
}

export function currentCommit(repo: string): string {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown'; // a tarball without .git still gets its figures recorded
  }
}

export function uncommittedChanges(repo: string): boolean {
  try {
    const args = ['status', '--porcelain', '--untracked-files=no', '--', '.', ':(exclude)bench/history.jsonl', ':(exclude)bench/report.svg'];
    return execFileSync('git', args, { cwd: repo, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
  } catch {
    return false;
  }
}

export function historyEntry(repo: string, results: BenchResult[], now = new Date()): HistoryEntry {
  return { commit: currentCommit(repo), ...(uncommittedChanges(repo) ? { dirty: true } : {}), date: now.toISOString(), machine: machineInfo(), results };
}

/** Appends one line; earlier lines are never rewritten. */
export function appendHistory(path: string, entry: HistoryEntry): void {
  appendFileSync(path, `${JSON.stringify(entry)}\n`);
}

function figure(value: unknown): number {
  return typeof value === 'number' ? value : NaN;
}

/** Reads every entry; a line that is not an entry is an error naming the file and line. */
export function readHistory(path: string): HistoryEntry[] {
  if (!existsSync(path)) return [];
  const entries: HistoryEntry[] = [];
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (line.trim() === '') return;
      let parsed: HistoryEntry;
      try {
        parsed = JSON.parse(line) as HistoryEntry;
      } catch (err) {
        throw new Error(`${path}:${index + 1}: not JSON (${err instanceof Error ? err.message : String(err)})`);
      }
      if (typeof parsed.commit !== 'string' || !Array.isArray(parsed.results)) throw new Error(`${path}:${index + 1}: not a bench history entry (needs commit and results)`);
      const results = parsed.results.map((r) => ({ ...r, cpuPercent: figure(r.cpuPercent), peakRssMiB: figure(r.peakRssMiB), peakTreeRssMiB: figure(r.peakTreeRssMiB), eventsPerSecond: figure(r.eventsPerSecond), mibPerSecond: figure(r.mibPerSecond) }));
      entries.push({ ...parsed, results });
    });
  return entries;
}
