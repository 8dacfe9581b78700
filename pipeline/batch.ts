/**
 * A batch is the unit that moves from an input to the queue and on to the outputs. Its ack
 * travels with it (Redpanda Connect's habit): the input learns its batch's fate, nothing else
 * needs to know who sent it.
 */
import type { Event } from './event.js';

export type BatchOutcome = { ok: true } | { ok: false; reason: string };

export interface Batch {
  readonly events: Event[];
  /** Wire bytes the events came from; the queue's byte bound counts these. */
  readonly bytes: number;
  /** Called once, when the batch is accepted in the pipeline's ack mode (memory: queued). */
  readonly ack?: (outcome: BatchOutcome) => void;
}

export function makeBatch(events: Event[], bytes: number, ack?: (outcome: BatchOutcome) => void): Batch {
  return ack ? { events, bytes, ack } : { events, bytes };
}
