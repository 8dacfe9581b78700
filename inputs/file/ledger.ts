/**
 * What sluice knows of one file identity: how far its lines were read and handed on (`read`)
 * and how far every line was accepted in the pipeline's ack mode (`acked`, what the checkpoint
 * records). Batches may settle in any order; `acked` moves only over a run of settled ones. A
 * failed batch sends reading back to `acked` (a new generation: acks of the batches read
 * before it no longer move anything), so a line is given up on never.
 */
import type { BatchOutcome } from '../../pipeline/batch.js';
import type { Identity } from './identity.js';

interface Pending {
  /** Offset `acked` may move to once this batch and all before it settled. */
  readonly upTo: number;
  settled: boolean;
}

export class FileLedger {
  acked: number;
  read: number;
  private pending: Pending[] = [];
  private generation = 0;
  /** The offset moved since the checkpoint was last written. */
  dirty = false;
  /** When `acked` last moved (or the identity was first met). */
  updated = new Date();

  constructor(
    public identity: Identity,
    /** Where the identity was first seen (device and inode in the checkpoint). */
    public readonly origin: { dev: number; ino: number },
    offset: number,
    public path: string,
  ) {
    this.acked = offset;
    this.read = offset;
  }

  get inFlight(): number {
    return this.pending.length;
  }

  /** Records a batch that covers the file up to `upTo`; returns its ack callback. */
  track(upTo: number, onFailure: (resumeAt: number, reason: string) => void): (outcome: BatchOutcome) => void {
    this.read = Math.max(this.read, upTo);
    const entry: Pending = { upTo, settled: false };
    this.pending.push(entry);
    const generation = this.generation;
    return (outcome) => {
      if (generation !== this.generation) return;
      if (!outcome.ok) {
        this.generation++;
        this.pending = [];
        this.read = this.acked;
        onFailure(this.acked, outcome.reason);
        return;
      }
      entry.settled = true;
      while (this.pending.length > 0 && this.pending[0].settled) {
        const done = this.pending.shift()!;
        if (done.upTo > this.acked) {
          this.acked = done.upTo;
          this.dirty = true;
          this.updated = new Date();
        }
      }
    };
  }
}
