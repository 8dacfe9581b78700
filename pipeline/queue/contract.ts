/**
 * What the worker sees of a queue, whatever its kind (DESIGN.md "flow"): `read` hands out up to
 * N events with one `done` for them, and the queue, not the worker, decides when each input
 * batch among them is acknowledged: the memory queue when it is queued, the persisted queue
 * when it is on disk per the sync policy, either of them in `end_to_end` mode when `done` says
 * every output has settled it. The outcome travels back to the input through the batch's ack.
 */
import type { Event } from '../event.js';
import type { BatchOutcome } from '../batch.js';
import type { BatchSink } from '../plugin.js';
import type { Metrics } from '../metrics.js';

/** `queue`: acked once the queue holds the batch safely for its kind; `end_to_end`: once every output settled it. */
export type AckMode = 'queue' | 'end_to_end';

export interface QueueRead {
  readonly events: Event[];
  /** Called once, when every output has settled these events; `ok: false` if an output gave up on some. */
  done(outcome: BatchOutcome): void;
}

export interface PipelineQueue extends BatchSink {
  readonly kind: 'memory' | 'persisted';
  readonly ackMode: AckMode;
  /** Events held: waiting plus being processed (persisted: not yet acknowledged). */
  readonly events: number;
  /** Bytes held: wire bytes (memory) or record bytes on disk (persisted). */
  readonly bytes: number;
  /** Events waiting to be read. */
  readonly depth: number;
  readonly closed: boolean;
  /** Opens what the queue needs (the persisted queue recovers its folder). */
  open(): Promise<void>;
  /** Up to `maxEvents` events (whole input batches, at least one); undefined once closed and nothing more will be handed out. */
  read(maxEvents: number): Promise<QueueRead | undefined>;
  /** No more pushes. The memory queue still hands out what it holds; the persisted queue keeps it for the next start. */
  close(): void;
  /** Resolves when nothing is waiting or in flight. */
  whenEmpty(): Promise<void>;
  /** After close and the worker's last `done`: the persisted queue syncs, checkpoints and releases its folder. */
  shutdown(): Promise<void>;
  /** Gauges of its own beside the pipeline's queue gauges (the persisted queue's recovery figures). */
  registerMetrics?(metrics: Metrics): void;
}
