/**
 * What may be committed for one partition. Ranges of offsets are recorded in the order they
 * were pushed; each is settled once, in any order, by its batch's ack. The committable offset
 * is the end of the longest run of ok ranges from the start: a range acked early waits for every
 * earlier one, so a crash never commits past an event the pipeline had not accepted.
 *
 * A failed range (or a rebalance that keeps the partition elsewhere) starts a new generation:
 * what was in flight is forgotten (its late acks change nothing) and fetching starts again at
 * the first offset that was not acked, so everything after it is delivered again.
 */

export interface OffsetRange {
  /** First offset of the range. */
  readonly first: bigint;
  /** One past its last offset (what a commit after it says: the next offset to read). */
  readonly end: bigint;
  readonly generation: number;
  state: 'pending' | 'ok' | 'failed';
}

export class PartitionOffsets {
  /** Next offset to fetch. */
  position: bigint;
  /** Everything before it was accepted by the pipeline. */
  acked: bigint;
  /** What the group holds as committed (as far as this process knows). */
  committed: bigint;
  generation = 0;
  private ranges: OffsetRange[] = [];
  private head = 0;

  constructor(start: bigint, committed: bigint = start) {
    this.position = start;
    this.acked = start;
    this.committed = committed;
  }

  /** Ranges pushed and not yet settled ok in order: the events still in the pipeline. */
  get inFlight(): number {
    return this.ranges.length - this.head;
  }

  /** Records offsets `first`..`end - 1` as pushed; fetching goes on at `end`. */
  add(first: bigint, end: bigint): OffsetRange {
    const range: OffsetRange = { first, end, generation: this.generation, state: 'pending' };
    this.ranges.push(range);
    if (end > this.position) this.position = end;
    return range;
  }

  /**
   * The pipeline's verdict on a range. Returns true when it failed and the partition was
   * rewound (the caller forgets what it holds of this partition and fetches from `position`).
   */
  settle(range: OffsetRange, ok: boolean): boolean {
    if (range.generation !== this.generation || range.state !== 'pending') return false;
    if (!ok) {
      range.state = 'failed';
      this.rewind();
      return true;
    }
    range.state = 'ok';
    while (this.head < this.ranges.length && this.ranges[this.head].state === 'ok') this.acked = this.ranges[this.head++].end;
    if (this.head > 256 && this.head * 2 > this.ranges.length) {
      this.ranges = this.ranges.slice(this.head);
      this.head = 0;
    }
    return false;
  }

  /** Forgets what is in flight and fetches again from the first offset not acked. */
  rewind(): void {
    this.generation++;
    this.ranges = [];
    this.head = 0;
    this.position = this.acked;
  }

  /** The offset to commit now, or undefined when the group already has it. */
  committable(): bigint | undefined {
    return this.acked > this.committed ? this.acked : undefined;
  }

  /** The group took a commit of `offset`. */
  committedTo(offset: bigint): void {
    if (offset > this.committed) this.committed = offset;
  }
}
