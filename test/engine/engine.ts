/** Starting and stopping real engines from tests, through test/engine/run. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { logTail } from '../helpers/log_tail.js';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, 'run');

export interface EngineOptions {
  /** State dir: each engine a test starts on its own needs its own. */
  state: string;
  nodes?: number;
  port?: number;
  keepData?: boolean;
}

export interface EngineHandle {
  url: string;
  urls: string[];
  env: Record<string, string>;
}

function envFor(options: EngineOptions): Record<string, string> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), SLUICE_ENGINE_STATE: options.state };
  if (options.nodes) env.SLUICE_ENGINE_NODES = String(options.nodes);
  if (options.port) env.SLUICE_ENGINE_PORT = String(options.port);
  if (options.keepData) env.SLUICE_ENGINE_KEEP_DATA = '1';
  return env;
}

export async function startEngine(options: EngineOptions): Promise<EngineHandle> {
  const env = envFor(options);
  const { stdout } = await run(SCRIPT, ['start'], { env, maxBuffer: 16 * 1024 * 1024, timeout: 600_000 });
  const url = stdout.trim().split('\n').pop() ?? '';
  if (!url.startsWith('http')) throw new Error(`test/engine/run start printed no URL: ${stdout}`);
  let urls = [url];
  try {
    urls = readFileSync(join(options.state, 'urls'), 'utf8').trim().split('\n');
  } catch {
    // an external engine (ELASTICSEARCH_URL) has no state dir
  }
  return { url, urls, env };
}

export async function stopEngine(engine: EngineHandle): Promise<void> {
  await run(SCRIPT, ['stop'], { env: engine.env, timeout: 120_000 });
}

export async function engineCommand(engine: EngineHandle, ...args: string[]): Promise<string> {
  const { stdout } = await run(SCRIPT, args, { env: engine.env, timeout: 180_000 });
  return stdout.trim();
}

/** The end of the engine's log (every start appends to it), for failure messages. */
export function engineLogTail(engine: EngineHandle, lines = 40): string {
  return logTail(join(engine.env.SLUICE_ENGINE_STATE, 'engine.log'), lines);
}

/** True when the tests run against an engine they did not start (and so cannot stop). */
export function externalEngine(): boolean {
  return Boolean(process.env.ELASTICSEARCH_URL);
}
