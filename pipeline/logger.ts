/**
 * sluice's own logs, on stderr because stdout belongs to the stdout output: pino JSON for
 * machines, or readable lines for a person when stderr is a terminal (pipeline/log_pretty.ts).
 */
import { writeSync } from 'node:fs';
import { pino, type Logger as PinoLogger, type DestinationStream } from 'pino';
import { LogRing, recentLogs } from './log_ring.js';
import { prettyStream } from './log_pretty.js';

export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LOG_FORMATS = ['json', 'pretty'] as const;
export type LogFormat = (typeof LOG_FORMATS)[number];

/** Without --log-format: readable on a terminal, JSON when stderr goes to a file, a pipe or a collector. */
export function defaultLogFormat(stderrIsTerminal = process.stderr.isTTY === true): LogFormat {
  return stderrIsTerminal ? 'pretty' : 'json';
}

/**
 * Warnings every worker of a cluster gives alike (the same kernel cap on the same shared socket):
 * the workers keep them off stderr and report them in their `started` message, and the primary
 * logs each once (pipeline/cluster/primary.ts), in its own ring too: the status page shows it once.
 */
export const SAID_ONCE_BY_PRIMARY = new Set<string>(['SLUICE_UDP_BUFFER_CAPPED']);

/** A worker's warnings of that kind, held for its `started` message instead of its ring. */
export const heldForPrimary = new LogRing();

function isSaidOnce(line: string): boolean {
  for (const code of SAID_ONCE_BY_PRIMARY) if (line.includes(`"code":"${code}"`)) return true;
  return false;
}

export interface LoggerOptions {
  format?: LogFormat;
  /** A worker of a cluster: what the primary says for every worker is left out of its stderr. */
  clusterWorker?: boolean;
}

/** On a terminal, every worker's `listening` line is one summary by the primary; JSON keeps one per worker (tools count them). */
function saidByPrimary(line: string, format: LogFormat, level: LogLevel): boolean {
  if (isSaidOnce(line)) return true;
  return format === 'pretty' && level !== 'debug' && level !== 'trace' && line.includes('"msg":"listening"');
}

function stderrStream(options: LoggerOptions, level: LogLevel): DestinationStream {
  const format = options.format ?? 'json';
  // Synchronous writes: our own log volume is small, and a fatal line must reach stderr before exit.
  const out: DestinationStream =
    format === 'pretty'
      ? prettyStream({ color: process.stderr.isTTY === true && !process.env.NO_COLOR, write: (text) => writeSync(2, text) })
      : pino.destination({ fd: 2, sync: true });
  if (!options.clusterWorker) return out;
  return { write: (line: string) => (saidByPrimary(line, format, level) ? undefined : out.write(line)) };
}

export function createLogger(level: LogLevel, options: LoggerOptions = {}): Logger {
  // Warnings and errors also go to the ring the status page shows (pipeline/log_ring.ts).
  const streams = pino.multistream([
    { level, stream: stderrStream(options, level) },
    { level: 'warn', stream: options.clusterWorker ? { write: (line: string) => (isSaidOnce(line) ? heldForPrimary : recentLogs).write(line) } : recentLogs },
  ]);
  return pino({ level, base: { name: 'sluice' }, timestamp: pino.stdTimeFunctions.isoTime }, streams);
}
