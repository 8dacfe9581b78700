/**
 * Who decides whether a stream input may take one more connection: the process itself, or, in
 * a worker of a multi-process pipeline, the primary (pipeline/cluster/slots.ts), so that
 * `max_connections` is the input's limit whatever `pipeline.workers` is.
 */
import cluster from 'node:cluster';
import { releaseSlot, requestSlot } from '../pipeline/cluster/slots.js';

export interface ConnectionSlots {
  /** True when a slot was taken; then `release` must be called once when the connection ends. */
  acquire(): boolean | Promise<boolean>;
  release(): void;
}

function localSlots(max: number): ConnectionSlots {
  let open = 0;
  return {
    acquire() {
      if (open >= max) return false;
      open++;
      return true;
    },
    release() {
      open--;
    },
  };
}

function clusterSlots(inputId: string, max: number): ConnectionSlots {
  return {
    acquire: () => requestSlot(inputId, max),
    release: () => releaseSlot(inputId),
  };
}

export function connectionSlots(inputId: string, max: number): ConnectionSlots {
  return cluster.isWorker ? clusterSlots(inputId, max) : localSlots(max);
}
