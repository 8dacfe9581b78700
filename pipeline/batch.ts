/**
 * A batch is the unit that moves from an input to the queue and on to the outputs. Its ack
 * travels with it (Redpanda Connect's habit): the input learns its batch's fate, nothing else
 * needs to know who sent it.
 */
import type { Event, InputMetadata } from './event.js';

export type BatchOutcome = { ok: true } | { ok: false; reason: string };

export interface Batch {
  readonly events: Event[];
  /** Wire bytes the events came from; the queue's byte bound counts these. */
  readonly bytes: number;
  /** Called once, when the batch is accepted in the pipeline's ack mode (memory: queued). */
  readonly ack?: (outcome: BatchOutcome) => void;
  /** What the input received, from which the same events are decoded again (the persisted queue stores this, not their JSON). */
  readonly source?: BatchSource;
}

/**
 * An input's recording of a batch: the bytes as received plus the facts its decoder added
 * (inputs/replay.ts turns it back into the same events). Only inputs whose decoding is
 * deterministic attach one, and only when the sink asks for it (`BatchSink.wantsSource`).
 */
export interface RecordedFacts {
  input: InputMetadata;
  /** The receive time: ingest `@timestamp` of events without one, and the millisecond of their ids. */
  now: number;
  /** The id given to the first event that had none; the others follow it in the same millisecond run (pipeline/id.ts). */
  firstId: string | undefined;
}

export type BatchSource =
  /** Line framing: whole lines as received, LF-terminated, decoded with `codec` under `maxLineBytes`. */
  | (RecordedFacts & { form: 'lines'; codec: 'json_lines' | 'lines'; maxLineBytes: number; raw: Buffer[] })
  /** Beats v2: each event's JSON document as the frame carried it. */
  | (RecordedFacts & { form: 'json_frames'; payloads: Buffer[] });

export function makeBatch(events: Event[], bytes: number, ack?: (outcome: BatchOutcome) => void, source?: BatchSource): Batch {
  if (source) return ack ? { events, bytes, ack, source } : { events, bytes, source };
  return ack ? { events, bytes, ack } : { events, bytes };
}
