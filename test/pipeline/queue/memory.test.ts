import { describe, expect, it } from 'vitest';
import v8 from 'node:v8';
import vm from 'node:vm';
import { MemoryQueue } from '../../../pipeline/queue/memory.js';
import { makeBatch, type BatchOutcome } from '../../../pipeline/batch.js';
import type { Event } from '../../../pipeline/event.js';

v8.setFlagsFromString('--expose-gc');
const collectGarbage = vm.runInNewContext('gc') as () => void;

const events = (n: number): Event[] => Array.from({ length: n }, (_, i) => ({ message: String(i) }));

describe('MemoryQueue', () => {
  it('acks a batch when it is queued in queue mode', () => {
    const queue = new MemoryQueue({ maxEvents: 10, maxBytes: 1000 });
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(events(2), 20, (o) => outcomes.push(o)));
    expect(outcomes).toEqual([{ ok: true }]);
  });

  it('acks in end_to_end mode only when the read is done, with the outcome the worker reports', async () => {
    const queue = new MemoryQueue({ maxEvents: 10, maxBytes: 1000 }, 'end_to_end');
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(events(2), 20, (o) => outcomes.push(o)));
    queue.push(makeBatch(events(1), 20, (o) => outcomes.push(o)));
    expect(outcomes).toEqual([]);
    const read = await queue.read(10);
    expect(read?.events).toHaveLength(3);
    read?.done({ ok: false, reason: 'an output gave up' });
    read?.done({ ok: true }); // a second call changes nothing
    expect(outcomes).toEqual([
      { ok: false, reason: 'an output gave up' },
      { ok: false, reason: 'an output gave up' },
    ]);
    expect(queue.events).toBe(0);
  });

  it('reports full by events and by bytes, and wakes writers when a read is done', async () => {
    const queue = new MemoryQueue({ maxEvents: 3, maxBytes: 1000 });
    expect(queue.push(makeBatch(events(2), 10))).toBe(true);
    expect(queue.push(makeBatch(events(2), 10))).toBe(false);
    expect(queue.tryPush(makeBatch(events(1), 10))).toBe(false);
    let woke = false;
    const writable = queue.whenWritable().then(() => (woke = true));
    const read = await queue.read(100);
    expect(read?.events).toHaveLength(4);
    expect(queue.depth).toBe(0);
    expect(woke).toBe(false); // read but not done: still counted
    read?.done({ ok: true });
    await writable;
    expect(woke).toBe(true);
    const bytesQueue = new MemoryQueue({ maxEvents: 100, maxBytes: 50 });
    expect(bytesQueue.push(makeBatch(events(1), 60))).toBe(false);
  });

  it('hands batches to a waiting reader and keeps whole batches within the read size', async () => {
    const queue = new MemoryQueue({ maxEvents: 100, maxBytes: 1000 });
    const waiting = queue.read(3);
    queue.push(makeBatch(events(2), 1));
    expect((await waiting)?.events).toHaveLength(2);
    queue.push(makeBatch(events(2), 1));
    queue.push(makeBatch(events(2), 1));
    expect((await queue.read(3))?.events).toHaveLength(2);
  });

  it('refuses pushes after close through the ack and ends readers once drained', async () => {
    const queue = new MemoryQueue({ maxEvents: 100, maxBytes: 1000 });
    queue.push(makeBatch(events(1), 1));
    queue.close();
    const outcomes: BatchOutcome[] = [];
    queue.push(makeBatch(events(1), 1, (o) => outcomes.push(o)));
    expect(outcomes).toEqual([{ ok: false, reason: 'pipeline is shutting down' }]);
    expect((await queue.read(10))?.events).toHaveLength(1);
    expect(await queue.read(10)).toBeUndefined();
  });

  it('lets go of the events it handed out while their read is still in flight', async () => {
    const queue = new MemoryQueue({ maxEvents: 1000, maxBytes: 1_000_000 });
    // Helpers, so that no local of this test holds an event: three batches in, the first two read.
    const refs = pushWatched(queue, 3);
    const dones = await readDones(queue, 2);
    await new Promise((resolve) => setImmediate(resolve));
    collectGarbage();
    // Held by the queue, a read's events outlived its processing and were promoted to the old generation.
    expect(refs.map((ref) => ref.deref() !== undefined)).toEqual([false, false, true]);
    for (const done of dones) done({ ok: true });
    expect(queue.events).toBe(5);
  });
});

function pushWatched(queue: MemoryQueue, batches: number): Array<WeakRef<Event>> {
  const refs: Array<WeakRef<Event>> = [];
  for (let i = 0; i < batches; i++) {
    const batch = events(5);
    refs.push(new WeakRef(batch[0]));
    queue.push(makeBatch(batch, 50));
  }
  return refs;
}

async function readDones(queue: MemoryQueue, reads: number): Promise<Array<(outcome: BatchOutcome) => void>> {
  const dones: Array<(outcome: BatchOutcome) => void> = [];
  for (let i = 0; i < reads; i++) {
    const read = await queue.read(5);
    if (read) dones.push(read.done);
  }
  return dones;
}
