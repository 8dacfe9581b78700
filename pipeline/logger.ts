/** sluice's own logs: pino JSON on stderr, because stdout belongs to the stdout output. */
import { pino, type Logger as PinoLogger } from 'pino';
import { recentLogs } from './log_ring.js';

export type Logger = PinoLogger;

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export function createLogger(level: LogLevel): Logger {
  // Synchronous writes: our own log volume is small, and a fatal line must reach stderr before exit.
  const stderr = pino.destination({ fd: 2, sync: true });
  // Warnings and errors also go to the ring the status page shows (pipeline/log_ring.ts).
  const streams = pino.multistream([
    { level, stream: stderr },
    { level: 'warn', stream: recentLogs },
  ]);
  return pino({ level, base: { name: 'sluice' }, timestamp: pino.stdTimeFunctions.isoTime }, streams);
}
