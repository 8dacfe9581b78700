/** What the primary and its worker processes say to each other over IPC. */
import type { MetricSample } from '../metrics.js';
import type { InputAddress } from '../runner.js';
import type { ErrorCode } from '../errors.js';
import type { RecentLog } from '../log_ring.js';
import type { Event } from '../event.js';

export type WorkerMessage =
  /** `alike`: the warnings every worker gives the same (logger.ts SAID_ONCE_BY_PRIMARY), for the primary to say once. */
  | { t: 'started'; inputs: InputAddress[]; alike?: RecentLog[] }
  | { t: 'start-failed'; error: string; code?: ErrorCode; config?: boolean }
  | { t: 'metrics'; request: number; samples: MetricSample[]; logs?: RecentLog[] }
  | { t: 'stdout'; seq: number; text: string }
  | { t: 'slot?'; request: number; input: string; max: number }
  | { t: 'slot-release'; input: string }
  | { t: 'stopped'; totals: Record<string, number> };

export type PrimaryMessage =
  | { t: 'metrics?'; request: number }
  | { t: 'stdout-written'; seq: number; error?: string }
  | { t: 'slot'; request: number; granted: boolean }
  /** Events the primary made (alerts), for the worker's queue. */
  | { t: 'events'; events: Event[] }
  | { t: 'stop' };

function hasTag(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { t?: unknown }).t === 'string';
}

export function isWorkerMessage(value: unknown): value is WorkerMessage {
  return hasTag(value);
}

export function isPrimaryMessage(value: unknown): value is PrimaryMessage {
  return hasTag(value);
}
