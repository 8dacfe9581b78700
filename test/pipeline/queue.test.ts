import { describe, expect, it } from 'vitest';
import { MemoryQueue } from '../../pipeline/queue.js';
import { makeBatch, type BatchOutcome } from '../../pipeline/batch.js';
import type { Event } from '../../pipeline/event.js';

const events = (n: number): Event[] => Array.from({ length: n }, (_, i) => ({ message: String(i) }));

describe('MemoryQueue', () => {
  it('acks a batch when it is queued in memory mode', () => {
    const queue = new MemoryQueue({ maxEvents: 10, maxBytes: 1000 });
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(events(2), 20, (o) => outcomes.push(o)));
    expect(outcomes).toEqual([{ ok: true }]);
  });

  it('does not ack in end_to_end mode until the worker says so', () => {
    const queue = new MemoryQueue({ maxEvents: 10, maxBytes: 1000 }, 'end_to_end');
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(events(2), 20, (o) => outcomes.push(o)));
    expect(outcomes).toEqual([]);
  });

  it('reports full by events and by bytes, and wakes writers when room is released', async () => {
    const queue = new MemoryQueue({ maxEvents: 3, maxBytes: 1000 });
    expect(queue.push(makeBatch(events(2), 10))).toBe(true);
    expect(queue.push(makeBatch(events(2), 10))).toBe(false);
    expect(queue.tryPush(makeBatch(events(1), 10))).toBe(false);
    let woke = false;
    const writable = queue.whenWritable().then(() => (woke = true));
    const taken = await queue.take(100);
    expect(taken?.map((b) => b.events.length)).toEqual([2, 2]);
    expect(woke).toBe(false); // taken is not released: still counted
    queue.release(taken ?? []);
    await writable;
    expect(woke).toBe(true);
    const bytesQueue = new MemoryQueue({ maxEvents: 100, maxBytes: 50 });
    expect(bytesQueue.push(makeBatch(events(1), 60))).toBe(false);
  });

  it('hands batches to a waiting taker and respects the take size', async () => {
    const queue = new MemoryQueue({ maxEvents: 100, maxBytes: 1000 });
    const waiting = queue.take(3);
    queue.push(makeBatch(events(2), 1));
    expect((await waiting)?.[0].events).toHaveLength(2);
    queue.push(makeBatch(events(2), 1));
    queue.push(makeBatch(events(2), 1));
    expect((await queue.take(3))?.length).toBe(1);
  });

  it('refuses pushes after close through the ack and ends takers once drained', async () => {
    const queue = new MemoryQueue({ maxEvents: 100, maxBytes: 1000 });
    queue.push(makeBatch(events(1), 1));
    queue.close();
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(events(1), 1, (o) => outcomes.push(o)));
    expect(outcomes).toEqual([{ ok: false, reason: 'pipeline is shutting down' }]);
    expect((await queue.take(10))?.length).toBe(1);
    expect(await queue.take(10)).toBeUndefined();
  });
});
