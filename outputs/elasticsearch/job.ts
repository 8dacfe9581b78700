/**
 * One bulk request's events: their NDJSON body and, in order, the send() call each run of them
 * came from. There is no object per event: a bulk the engine takes whole is settled run by run,
 * and only a partial failure looks at single items, found again by their newlines (an item is
 * exactly two lines, since JSON text never holds a raw newline).
 */
import type { Event } from '../../pipeline/event.js';
import { METADATA } from '../../pipeline/event.js';
import type { SendCall, Settleable } from '../delivery/settlement.js';
import { contiguous, type BodyBytes } from './body.js';

const NEWLINE = 0x0a;

/** `count` consecutive events of the body that came in one send() call. */
export interface CallRun extends Settleable {
  count: number;
}

export interface BulkJob {
  readonly body: BodyBytes;
  readonly count: number;
  readonly runs: readonly CallRun[];
  /** Attempts that ended in a retry so far: every event of a job has had the same. */
  readonly retries: number;
}

/** The job's events one by one, for the paths that judge them singly. */
export class JobItems {
  /** Where each item starts, and the body's end last. */
  readonly starts: Int32Array;
  readonly calls: SendCall[];
  /** The job's bytes in one Buffer: this path is rare, and one copy makes it simple. */
  private readonly body: Buffer;

  constructor(readonly job: BulkJob) {
    const { count } = job;
    const body = (this.body = contiguous(job.body));
    this.starts = new Int32Array(count + 1);
    let at = 0;
    for (let i = 0; i < count; i++) {
      this.starts[i] = at;
      const actionEnd = body.indexOf(NEWLINE, at);
      at = body.indexOf(NEWLINE, actionEnd + 1) + 1;
    }
    this.starts[count] = at;
    this.calls = [];
    for (const run of job.runs) for (let i = 0; i < run.count; i++) this.calls.push(run.call);
  }

  settleables(positions: readonly number[]): Settleable[] {
    return positions.map((i) => ({ call: this.calls[i] }));
  }

  /** The items at `positions` (ascending) as a job of their own: their bytes gathered, the runs following them. */
  subJob(positions: readonly number[], retries: number): BulkJob {
    const { body } = this;
    let size = 0;
    for (const i of positions) size += this.starts[i + 1] - this.starts[i];
    const out = Buffer.allocUnsafe(size);
    const runs: CallRun[] = [];
    let at = 0;
    for (const i of positions) {
      at += body.copy(out, at, this.starts[i], this.starts[i + 1]);
      const call = this.calls[i];
      const last = runs[runs.length - 1];
      if (last?.call === call) last.count++;
      else runs.push({ call, count: 1 });
    }
    return { body: { chunks: [out], length: size }, count: positions.length, runs, retries };
  }

  /** What the dead letter file keeps of an item: the event as sent with the id it was sent under, and its index. */
  letter(i: number): { event: Event; index: string } {
    const text = this.body.toString('utf8', this.starts[i], this.starts[i + 1]);
    const split = text.indexOf('\n');
    const action = Object.values(JSON.parse(text.slice(0, split)) as Record<string, { _index: string; _id?: string }>)[0];
    const event = JSON.parse(text.slice(split + 1)) as Event;
    if (action._id !== undefined) event[METADATA] = { _id: action._id };
    return { event, index: action._index };
  }
}
