/**
 * The bounded memory queue between inputs and the worker. Its bound counts events and wire
 * bytes from the moment a batch is pushed until every output has finished with it, so a slow
 * output holds the inputs back no further than the bound (DESIGN.md "backpressure").
 */
import type { Batch } from './batch.js';
import type { BatchSink } from './plugin.js';

export interface QueueLimits {
  maxEvents: number;
  maxBytes: number;
}

export type AckMode = 'memory' | 'end_to_end';

export class MemoryQueue implements BatchSink {
  private pending: Batch[] = [];
  private head = 0;
  private closed = false;
  /** Events and bytes held: queued plus being processed. */
  events = 0;
  bytes = 0;
  private queuedEvents = 0;
  private takers: Array<(batches: Batch[] | undefined) => void> = [];
  private writableWaiters: Array<() => void> = [];
  private emptyWaiters: Array<() => void> = [];

  constructor(
    readonly limits: QueueLimits,
    readonly ackMode: AckMode = 'memory',
  ) {}

  get full(): boolean {
    return this.events >= this.limits.maxEvents || this.bytes >= this.limits.maxBytes;
  }

  get depth(): number {
    return this.queuedEvents;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  push(batch: Batch): boolean {
    if (this.closed) {
      // Inputs stop before the queue closes; a late batch is refused through its ack, never lost quietly.
      batch.ack?.({ ok: false, reason: 'pipeline is shutting down' });
      return false;
    }
    this.events += batch.events.length;
    this.bytes += batch.bytes;
    if (this.ackMode === 'memory') batch.ack?.({ ok: true });
    const taker = this.takers.shift();
    if (taker) {
      taker([batch]);
    } else {
      this.pending.push(batch);
      this.queuedEvents += batch.events.length;
    }
    return !this.full;
  }

  tryPush(batch: Batch): boolean {
    if (this.closed || this.full) return false;
    this.push(batch);
    return true;
  }

  whenWritable(): Promise<void> {
    if (!this.full || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.writableWaiters.push(resolve));
  }

  /** Up to `maxEvents` events as whole batches (at least one batch); undefined once closed and empty. */
  take(maxEvents: number): Promise<Batch[] | undefined> {
    if (this.head < this.pending.length) return Promise.resolve(this.drain(maxEvents));
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  private drain(maxEvents: number): Batch[] {
    const out: Batch[] = [];
    let count = 0;
    while (this.head < this.pending.length) {
      const next = this.pending[this.head];
      if (out.length > 0 && count + next.events.length > maxEvents) break;
      out.push(next);
      count += next.events.length;
      this.head++;
    }
    this.queuedEvents -= count;
    if (this.head > 1024 && this.head * 2 > this.pending.length) {
      this.pending = this.pending.slice(this.head);
      this.head = 0;
    }
    return out;
  }

  /** The worker is done with these batches: their room is free again. */
  release(batches: readonly Batch[]): void {
    for (const batch of batches) {
      this.events -= batch.events.length;
      this.bytes -= batch.bytes;
    }
    if (!this.full && this.writableWaiters.length > 0) {
      const waiters = this.writableWaiters;
      this.writableWaiters = [];
      for (const wake of waiters) wake();
    }
    if (this.events === 0 && this.emptyWaiters.length > 0) {
      const waiters = this.emptyWaiters;
      this.emptyWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** No more pushes; takers get what is left, then undefined. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const taker of this.takers) taker(undefined);
    this.takers = [];
    for (const wake of this.writableWaiters) wake();
    this.writableWaiters = [];
  }

  /** Resolves when nothing is queued or in flight. */
  whenEmpty(): Promise<void> {
    if (this.events === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptyWaiters.push(resolve));
  }
}
