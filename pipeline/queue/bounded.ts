/** What both queues do alike at their bound: refuse a `tryPush` when full, wake writers when room returns. */
import type { Batch } from '../batch.js';
import { Waiters } from './waiters.js';

export abstract class BoundedQueue {
  closed = false;
  protected readonly writable = new Waiters();
  abstract readonly full: boolean;
  abstract push(batch: Batch): boolean;

  tryPush(batch: Batch): boolean {
    if (this.closed || this.full) return false;
    this.push(batch);
    return true;
  }

  whenWritable(): Promise<void> {
    if (!this.full || this.closed) return Promise.resolve();
    return this.writable.wait();
  }
}
