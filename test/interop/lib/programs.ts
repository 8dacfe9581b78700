/**
 * What the grok pattern tests share: running a real program in a temp dir on a free port,
 * collecting the lines it writes, and parsing a line with one library pattern.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { grokFilter } from '../../../filters/grok/index.js';
import type { Event } from '../../../pipeline/event.js';
import { makeFilter } from '../../filters/helpers.js';

/** A port the OS had free a moment ago, for programs that cannot be told to listen on port 0. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

export interface Program {
  readonly child: ChildProcess;
  /** stdout and stderr, line by line, as they came. */
  readonly lines: string[];
  stop(): Promise<void>;
}

export function startProgram(command: string, args: readonly string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): Program {
  const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    let rest = '';
    stream?.setEncoding('utf8').on('data', (chunk: string) => {
      const parts = (rest + chunk).split('\n');
      rest = parts.pop() ?? '';
      lines.push(...parts);
    });
  }
  const exited = once(child, 'exit');
  return {
    child,
    lines,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
        await exited;
        clearTimeout(timer);
      }
    },
  };
}

/** Polls until `read()` holds a line for every predicate; returns those lines, in predicate order. */
export async function waitForLines(read: () => string[], predicates: ReadonlyArray<(line: string) => boolean>, timeoutMs = 15_000): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const lines = read();
    const found = predicates.map((p) => lines.find(p));
    if (found.every((l) => l !== undefined)) return found as string[];
    if (Date.now() > deadline) throw new Error(`lines not written within ${timeoutMs} ms; got:\n${lines.join('\n')}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export const fileLines = (path: string) => () => (existsSync(path) ? readFileSync(path, 'utf8').split('\n').filter((l) => l !== '') : []);

/** Parses `line` with `%{PATTERN}` alone; fails the test when it does not match. */
export function grokLine(pattern: string, line: string, settings: Record<string, unknown> = {}): Event {
  const [event] = makeFilter(grokFilter, { match: { message: `^%{${pattern}}$` }, overwrite: ['message'], ...settings }).run([{ message: line }]);
  if (event.tags?.includes('_grokparsefailure')) throw new Error(`${pattern} did not match ${JSON.stringify(line)}`);
  return event;
}

export async function httpGet(port: number, path: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}${path}`, { headers });
  await response.arrayBuffer();
  return response.status;
}

/** Retries until the port accepts connections (a server writing no readiness line). */
export async function waitForPort(port: number, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => (socket.destroy(), resolve(true)));
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`port ${port} did not open within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
