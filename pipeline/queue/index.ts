/** The queue a pipeline's settings ask for, with this process's share of its bounds. */
import { join } from 'node:path';
import type { PipelineSettings } from '../../config/schema.js';
import type { Logger } from '../logger.js';
import type { PipelineQueue } from './contract.js';
import { MemoryQueue } from './memory.js';
import { PersistedQueue } from './persisted/index.js';

export type { PipelineQueue, QueueRead, AckMode } from './contract.js';

export const DEFAULT_MEMORY_QUEUE_BYTES = 32 * 1024 * 1024;
export const DEFAULT_PERSISTED_QUEUE_BYTES = 1024 * 1024 * 1024;

export interface ProcessShare {
  index: number;
  count: number;
}

export function queuePath(settings: PipelineSettings): string {
  return settings.queue.path ?? join('data', 'queue', settings.id);
}

export function createQueue(settings: PipelineSettings, share: ProcessShare, logger: Logger): PipelineQueue {
  const { queue } = settings;
  const split = (total: number) => Math.max(1, Math.ceil(total / share.count));
  if (queue.type === 'memory') {
    return new MemoryQueue({ maxEvents: split(queue.max_events), maxBytes: split(queue.max_bytes ?? DEFAULT_MEMORY_QUEUE_BYTES) }, settings.ack);
  }
  return new PersistedQueue(
    {
      path: queuePath(settings),
      index: share.index,
      count: share.count,
      maxBytes: split(queue.max_bytes ?? DEFAULT_PERSISTED_QUEUE_BYTES),
      memory: { maxEvents: split(queue.max_events), maxBytes: split(queue.memory_bytes) },
      segmentBytes: queue.segment_bytes,
      sync: queue.sync,
      syncIntervalMs: Math.max(1, queue.sync_interval * 1000),
    },
    settings.ack,
    logger.child({ queue: 'persisted' }),
  );
}
