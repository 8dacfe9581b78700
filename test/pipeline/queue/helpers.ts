import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistedQueue, type PersistedQueueOptions } from '../../../pipeline/queue/persisted/index.js';
import type { AckMode } from '../../../pipeline/queue/contract.js';
import { createLogger } from '../../../pipeline/logger.js';
import type { Event } from '../../../pipeline/event.js';

export function queueDir(): string {
  return mkdtempSync(join(tmpdir(), 'sluice-pq-'));
}

export function persistedQueue(path: string, overrides: Partial<PersistedQueueOptions> = {}, ackMode: AckMode = 'queue'): PersistedQueue {
  return new PersistedQueue(
    {
      path,
      index: 0,
      count: 1,
      maxBytes: 64 * 1024 * 1024,
      memory: { maxEvents: 1000, maxBytes: 1024 * 1024 },
      segmentBytes: 4096,
      sync: 'batch',
      syncIntervalMs: 5,
      ...overrides,
    },
    ackMode,
    createLogger('silent'),
  );
}

/** Numbered events of one input: `{ input, n }`, with an id in @metadata as inputs stamp it. */
export function numbered(input: string, from: number, count: number): Event[] {
  return Array.from({ length: count }, (_, i) => ({ message: `${input}-${from + i}`, input, n: from + i, '@metadata': { _id: `${input}-${from + i}` } }));
}

/** Reads everything the queue holds (its depth says what is waiting), acking each read. */
export async function drain(queue: PersistedQueue, ack = true): Promise<Event[]> {
  const out: Event[] = [];
  while (queue.depth > 0) {
    const read = await queue.read(1000);
    if (!read) break;
    out.push(...read.events);
    if (ack) read.done({ ok: true });
  }
  return out;
}
