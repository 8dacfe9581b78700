/**
 * The bounded memory queue between inputs and the worker. Its bound counts events and wire
 * bytes from the moment a batch is pushed until every output has finished with it, so a slow
 * output holds the inputs back no further than the bound (DESIGN.md "backpressure").
 */
import type { Batch, BatchOutcome } from '../batch.js';
import type { Event } from '../event.js';
import type { AckMode, PipelineQueue, QueueRead } from './contract.js';
import { Waiters } from './waiters.js';
import { BoundedQueue } from './bounded.js';
import { Fifo } from './fifo.js';

export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
}

export class MemoryQueue extends BoundedQueue implements PipelineQueue {
  readonly kind = 'memory';
  private readonly pending = new Fifo<Batch>();
  /** Events and bytes held: queued plus being processed. */
  events = 0;
  bytes = 0;
  private queuedEvents = 0;
  private takers: Array<(read: QueueRead | undefined) => void> = [];
  private readonly empty = new Waiters();

  constructor(
    readonly limits: QueueLimits,
    readonly ackMode: AckMode = 'queue',
  ) {
    super();
  }

  async open(): Promise<void> {}

  get full(): boolean {
    return this.events >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes;
  }

  get depth(): number {
    return this.queuedEvents;
  }

  push(batch: Batch): boolean {
    if (this.closed) {
      // Inputs stop before the queue closes; a late batch is refused through its ack, never lost quietly.
      batch.ack?.({ ok: false, reason: 'pipeline is shutting down' });
      return false;
    }
    this.events += batch.events.length;
    this.bytes += batch.bytes;
    if (this.ackMode === 'queue') batch.ack?.({ ok: true });
    const taker = this.takers.shift();
    if (taker) {
      taker(this.handOut([batch], batch.events.length));
    } else {
      this.pending.push(batch);
      this.queuedEvents += batch.events.length;
    }
    return !this.full;
  }

  read(maxEvents: number): Promise<QueueRead | undefined> {
    if (this.pending.length > 0) return Promise.resolve(this.drain(maxEvents));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  private drain(maxEvents: number): QueueRead {
    const out = this.pending.takeUpTo(maxEvents, (batch) => batch.events.length);
    let count = 0;
    for (const batch of out) count += batch.events.length;
    this.queuedEvents -= count;
    return this.handOut(out, count);
  }

  private handOut(batches: Batch[], count: number): QueueRead {
    const events = batches.length === 1 ? batches[0].events : concatEvents(batches, count);
    // done() keeps what it needs, not the batches: their events must be garbage as soon as the
    // outputs have encoded them, however long delivery takes (held, they are promoted to the old
    // generation and collected at its cost).
    let bytes = 0;
    for (const batch of batches) bytes += batch.bytes;
    const acks = this.ackMode === 'end_to_end' ? batchAcks(batches) : undefined;
    let settled = false;
    return {
      events,
      done: (outcome: BatchOutcome) => {
        if (settled) return;
        settled = true;
        this.release(count, bytes);
        if (acks) for (const ack of acks) ack(outcome);
      },
    };
  }

  /** The worker is done with these events: their room is free again. */
  private release(events: number, bytes: number): void {
    this.events -= events;
    this.bytes -= bytes;
    if (!this.full) this.writable.wakeAll();
    if (this.events === 0) this.empty.wakeAll();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const taker of this.takers) taker(undefined);
    this.takers = [];
    this.writable.wakeAll();
  }

  whenEmpty(): Promise<void> {
    if (this.events === 0) return Promise.resolve();
    return this.empty.wait();
  }

  async shutdown(): Promise<void> {}
}

function batchAcks(batches: readonly Batch[]): Array<(outcome: BatchOutcome) => void> {
  const acks: Array<(outcome: BatchOutcome) => void> = [];
  for (const batch of batches) if (batch.ack) acks.push(batch.ack);
  return acks;
}

export function concatEvents(batches: ReadonlyArray<{ events: Event[] }>, count: number): Event[] {
  const events = new Array<Event>(count);
  let i = 0;
  for (const batch of batches) for (const event of batch.events) events[i++] = event;
  return events;
}
