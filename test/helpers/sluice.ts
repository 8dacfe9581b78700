/**
 * Starts `sluice run` as a child process for end-to-end tests: a real process, real sockets,
 * its stdout parsed as JSON lines and its stderr as pino logs.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';

export const REPO_ROOT = resolve(import.meta.dirname, '..', '..');
export const SLUICE_BIN = join(REPO_ROOT, 'bin', 'sluice.js');

export type LogLine = Record<string, unknown> & { msg?: string; level?: number };
export type JsonObject = Record<string, unknown>;

export interface StartedInput {
  id: string;
  transport: string;
  host: string;
  port: number;
}

export interface StartOptions {
  env?: Record<string, string>;
  /** 'pipe' (default) collects stdout; 'stall' never reads it, so the pipe fills up (backpressure tests). */
  stdout?: 'pipe' | 'stall';
  args?: string[];
  startTimeoutMs?: number;
  /** Its own process group, so that killGroup() takes the primary and every worker at once (kill -9 of a host). */
  detached?: boolean;
}

/** Waits until `predicate` holds, re-checking whenever `emitter` says something changed. */
function waitUntil<T>(check: () => T | undefined, subscribe: (wake: () => void) => () => void, timeoutMs: number, what: string, describe: () => string): Promise<T> {
  return new Promise((resolvePromise, reject) => {
    const first = check();
    if (first !== undefined) return resolvePromise(first);
    const timer = setTimeout(() => {
      unsubscribe();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; ${describe()}`));
    }, timeoutMs);
    const unsubscribe = subscribe(() => {
      const value = check();
      if (value !== undefined) {
        clearTimeout(timer);
        unsubscribe();
        resolvePromise(value);
      }
    });
  });
}

export class SluiceProcess {
  readonly stdoutLines: string[] = [];
  readonly logLines: LogLine[] = [];
  readonly rawStderr: string[] = [];
  private listeners = new Set<() => void>();
  private exitCode: number | null | undefined;
  inputs: StartedInput[] = [];
  api: { host: string; port: number } | undefined;

  private readingStdout = false;

  constructor(readonly child: ChildProcess, readonly configPath: string, readStdout: boolean) {
    if (readStdout) this.readStdout();
    let errCarry = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      const parts = (errCarry + text).split('\n');
      errCarry = parts.pop() ?? '';
      for (const line of parts) {
        if (line.length === 0) continue;
        this.rawStderr.push(line);
        try {
          this.logLines.push(JSON.parse(line) as LogLine);
        } catch {
          // not a pino line (e.g. a config error printed for people)
        }
      }
      this.notify();
    });
    child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : null);
      this.notify();
    });
  }

  /** Starts collecting stdout (at spawn, or later for a test that stalled it on purpose). */
  readStdout(): void {
    if (this.readingStdout) return;
    this.readingStdout = true;
    // The start of a line not ended yet, in pieces: re-splitting it whole on every read would
    // be quadratic in the length of a long line (tens of MiB in the long-line test).
    let carry: string[] = [];
    this.child.stdout?.setEncoding('utf8');
    this.child.stdout?.on('data', (text: string) => {
      const nl = text.indexOf('\n');
      if (nl === -1) {
        carry.push(text);
        return;
      }
      carry.push(text.slice(0, nl));
      const parts = [carry.join(''), ...text.slice(nl + 1).split('\n')];
      carry = [parts.pop() ?? ''];
      for (const line of parts) if (line.length > 0) this.stdoutLines.push(line);
      this.notify();
    });
  }

  private notify(): void {
    for (const wake of [...this.listeners]) wake();
  }

  private subscribe = (wake: () => void) => {
    this.listeners.add(wake);
    return () => this.listeners.delete(wake);
  };

  get pid(): number {
    return this.child.pid ?? -1;
  }

  get exited(): boolean {
    return this.exitCode !== undefined;
  }

  port(inputId: string, transport?: string): number {
    const found = this.inputs.find((i) => i.id === inputId && (transport === undefined || i.transport === transport));
    if (!found) throw new Error(`no input ${inputId}${transport ? `/${transport}` : ''}; started: ${JSON.stringify(this.inputs)}`);
    return found.port;
  }

  stdoutEvents(): JsonObject[] {
    return this.stdoutLines.map((line) => JSON.parse(line) as JsonObject);
  }

  waitForStdoutEvents(count: number, timeoutMs = 20_000): Promise<JsonObject[]> {
    return waitUntil(
      () => (this.stdoutLines.length >= count ? this.stdoutEvents() : undefined),
      this.subscribe,
      timeoutMs,
      `${count} events on stdout`,
      () => `got ${this.stdoutLines.length}; stderr tail: ${this.rawStderr.slice(-5).join('\n')}`,
    );
  }

  /** Waits for `count` events that satisfy `predicate`, whatever else arrives beside them. */
  waitForStdoutEventsWhere(predicate: (event: JsonObject) => boolean, count: number, timeoutMs = 20_000): Promise<JsonObject[]> {
    return waitUntil(
      () => {
        const matching = this.stdoutEvents().filter(predicate);
        return matching.length >= count ? matching : undefined;
      },
      this.subscribe,
      timeoutMs,
      `${count} matching events on stdout`,
      () => `got ${this.stdoutEvents().filter(predicate).length} of ${this.stdoutLines.length}; stderr tail: ${this.rawStderr.slice(-5).join('\n')}`,
    );
  }

  waitForLog(predicate: (line: LogLine) => boolean, timeoutMs = 20_000): Promise<LogLine> {
    return waitUntil(
      () => this.logLines.find(predicate),
      this.subscribe,
      timeoutMs,
      'a log line',
      () => `stderr tail: ${this.rawStderr.slice(-8).join('\n')}`,
    );
  }

  waitForExit(timeoutMs = 30_000): Promise<number | null> {
    return waitUntil(
      () => (this.exitCode !== undefined ? { code: this.exitCode } : undefined),
      this.subscribe,
      timeoutMs,
      'exit',
      () => `stderr tail: ${this.rawStderr.slice(-8).join('\n')}`,
    ).then((r) => r.code);
  }

  async stats(): Promise<JsonObject> {
    if (!this.api) throw new Error('API not started');
    const res = await fetch(`http://${this.api.host}:${this.api.port}/stats`);
    return (await res.json()) as JsonObject;
  }

  /** Sum of a counter across plugins in /stats, optionally only for one plugin id. */
  async counter(name: string, pluginId?: string): Promise<number> {
    const stats = (await this.stats()) as { plugins: Array<Record<string, unknown>>; pipeline: Record<string, number> };
    let total = stats.pipeline[name] ?? 0;
    for (const p of stats.plugins) if ((pluginId === undefined || p.id === pluginId) && typeof p[name] === 'number') total += p[name];
    return total;
  }

  /**
   * Polls a counter until it equals `expected` or the timeout passes, and returns its last value.
   * What a test observes outside sluice (a document in the engine, a line on stdout) can come
   * before sluice has handled the reply or callback that counts it.
   */
  async settledCounter(name: string, pluginId: string | undefined, expected: number, timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = await this.counter(name, pluginId);
      if (value === expected || Date.now() >= deadline) return value;
      await new Promise((r) => setTimeout(r, 50));
    }
  }

  /** Sends a signal and waits for the exit code. */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<number | null> {
    if (this.exited) return this.exitCode ?? null;
    this.child.kill(signal);
    return this.waitForExit(timeoutMs);
  }

  kill(): void {
    if (!this.exited) this.child.kill('SIGKILL');
  }

  /** SIGKILL to the whole process group (started with `detached`): no process gets to clean up. */
  async killGroup(timeoutMs = 10_000): Promise<void> {
    if (this.child.pid === undefined) return;
    const group = -this.child.pid;
    try {
      process.kill(group, 'SIGKILL');
    } catch {
      // already gone
    }
    await this.waitForExit(timeoutMs);
    // The primary's exit comes first; its workers are reaped a moment later.
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; await new Promise((r) => setTimeout(r, 20))) {
      try {
        process.kill(group, 0);
      } catch {
        return;
      }
    }
  }
}

export function writeConfig(yaml: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-test-'));
  const path = join(dir, 'pipeline.yml');
  writeFileSync(path, yaml);
  return path;
}

const running = new Set<SluiceProcess>();

/** Spawns `sluice run -c <yaml>` (or, with `null`, the built-in default pipeline); resolves once it logged "sluice started". */
export async function startSluice(yaml: string | null, options: StartOptions = {}): Promise<SluiceProcess> {
  const configPath = yaml === null ? '' : writeConfig(yaml);
  const configArgs = yaml === null ? [] : ['-c', configPath];
  const child = spawn(process.execPath, [SLUICE_BIN, 'run', ...configArgs, ...(options.args ?? [])], {
    cwd: REPO_ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: options.detached ?? false,
  });
  // A stalled stdout is never read: the pipe fills and sluice's stdout output must wait.
  const proc = new SluiceProcess(child, configPath, options.stdout !== 'stall');
  running.add(proc);
  child.on('exit', () => running.delete(proc));
  try {
    const started = await proc.waitForLog((l) => l.msg === 'sluice started' || l.msg === 'cannot start', options.startTimeoutMs ?? 20_000);
    if (started.msg !== 'sluice started') throw new Error(`sluice could not start: ${JSON.stringify(started)}`);
    proc.inputs = (started.inputs as StartedInput[]) ?? [];
    proc.api = started.api as { host: string; port: number } | undefined;
  } catch (err) {
    proc.kill();
    throw err;
  }
  return proc;
}

/** Kills every sluice a test file started and did not stop (call from afterAll/afterEach). */
export function killAllSluices(): void {
  for (const proc of running) proc.kill();
}

/** Runs a sluice command to completion (check, docs, --help) and returns its exit code and output. */
export async function runSluiceCommand(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [SLUICE_BIN, ...args], { cwd: REPO_ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (t: string) => (stdout += t));
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, stdout, stderr };
}
