/** Starting and stopping real Kafka brokers from tests, through test/kafka/run. */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { logTail } from '../helpers/log_tail.js';
import { promisify } from 'node:util';

const run = promisify(execFile);
const SCRIPT = resolve(import.meta.dirname, 'run');

/** The broker's listeners: SASL takes user `sluice`, password `sluice-secret` (PLAIN, SCRAM-SHA-256/512). */
export interface KafkaEndpoints {
  plain: string;
  sasl?: string;
  tls?: string;
  /** The CA file that signed the TLS listener's certificate. */
  ca?: string;
}

export interface KafkaHandle {
  bootstrap: string;
  endpoints: KafkaEndpoints;
  env: Record<string, string>;
}

export const KAFKA_SASL_USER = { username: 'sluice', password: 'sluice-secret' } as const;

function readEndpoints(state: string): KafkaEndpoints | undefined {
  try {
    const lines = readFileSync(join(state, 'endpoints'), 'utf8').trim().split('\n');
    const entries = Object.fromEntries(lines.map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    return { plain: entries.plain, sasl: entries.sasl, tls: entries.tls, ca: entries.ca };
  } catch {
    return undefined;
  }
}

/**
 * Starts a broker with its own state dir. `keepData` starts a stopped one again on its old data and
 * ports (a restarted broker, as clients see it). A set KAFKA_BOOTSTRAP is used instead.
 */
export async function startKafka(options: { state: string; keepData?: boolean }): Promise<KafkaHandle> {
  const env: Record<string, string> = { ...(process.env as Record<string, string>), SLUICE_KAFKA_STATE: options.state };
  if (options.keepData) env.SLUICE_KAFKA_KEEP_DATA = '1';
  const { stdout } = await run(SCRIPT, ['start'], { env, maxBuffer: 16 * 1024 * 1024, timeout: 300_000 });
  const bootstrap = stdout.trim().split('\n').pop() ?? '';
  if (!/^[\w.-]+:\d+$/.test(bootstrap)) throw new Error(`test/kafka/run start printed no address: ${stdout}`);
  const endpoints = readEndpoints(options.state);
  return { bootstrap, endpoints: endpoints?.plain === bootstrap ? endpoints : { plain: bootstrap }, env };
}

/** A test's own broker without starting one: for an external KAFKA_BOOTSTRAP these stay unset. */
export function externalKafka(): boolean {
  return Boolean(process.env.KAFKA_BOOTSTRAP);
}

export async function stopKafka(kafka: KafkaHandle): Promise<void> {
  await run(SCRIPT, ['stop'], { env: kafka.env, timeout: 120_000 });
}

/** Runs a subcommand of test/kafka/run (topic, produce, tool) against this broker; stdin for `produce`. */
export async function kafkaCommand(kafka: KafkaHandle, args: string[], input?: string): Promise<string> {
  const env = { ...kafka.env, KAFKA_BOOTSTRAP: kafka.bootstrap };
  const child = run(SCRIPT, args, { env, timeout: 180_000, maxBuffer: 16 * 1024 * 1024 });
  if (input !== undefined) {
    child.child.stdin?.end(input);
  }
  const { stdout } = await child;
  return stdout.trim();
}

/** The end of the broker's log, for failure messages. */
export function kafkaLogTail(kafka: KafkaHandle, lines = 40): string {
  return logTail(join(kafka.env.SLUICE_KAFKA_STATE, 'kafka.log'), lines);
}
