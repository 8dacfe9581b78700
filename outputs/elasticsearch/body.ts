/**
 * The NDJSON of a bulk request, written straight into a Buffer as events are encoded. A Buffer's
 * bytes live outside the JavaScript heap, so the bulks held in flight (seconds, under a slow
 * engine) are not objects the collector must trace and promote: held as event objects and
 * strings they made old-generation collections most of the output's CPU.
 *
 * Bodies the engine has taken are used again: a body lives long enough in flight to be promoted,
 * and a promoted Buffer's memory comes back only at a full collection, so fresh ones for every
 * bulk held some 60 MiB of dead bodies at 50k events/s.
 */

const FIRST_CAPACITY = 256 * 1024;

export interface BodyLimits {
  /** What a new body starts with. */
  firstCapacity: number;
  /** Largest body kept for reuse or started with: a bulk's byte bound and some room. One huge event makes one huge body, not a habit. */
  maxKept: number;
  /** Bodies kept for reuse at most. */
  maxSpare: number;
}

const DEFAULT_LIMITS: BodyLimits = { firstCapacity: FIRST_CAPACITY, maxKept: 8 * 1024 * 1024, maxSpare: 4 };

export class BulkBody {
  private buffer: Buffer;
  private used = 0;
  private readonly spare: ArrayBuffer[] = [];
  private readonly limits: BodyLimits;

  constructor(limits: Partial<BodyLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
    this.buffer = Buffer.allocUnsafe(this.limits.firstCapacity);
  }

  get length(): number {
    return this.used;
  }

  /** Bytes this body holds: the one being written and the spares. */
  get heldBytes(): number {
    return this.buffer.length + this.spare.reduce((sum, memory) => sum + memory.byteLength, 0);
  }

  /** Appends `text` as UTF-8 and returns the number of bytes written; `bytes`, when the caller knows it, saves reserving the worst case. */
  append(text: string, bytes = text.length * 3): number {
    // A UTF-16 unit never takes more than three UTF-8 bytes: room for that means write() never cuts.
    if (this.used + bytes > this.buffer.length) this.grow(this.used + bytes);
    const written = this.buffer.write(text, this.used, 'utf8');
    this.used += written;
    return written;
  }

  /** The bytes written so far; the body starts over empty. */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.used);
    // The next bulk is likely the size of this one: start there and grow less.
    const { firstCapacity, maxKept } = this.limits;
    this.buffer = this.fresh(Math.min(maxKept, Math.max(firstCapacity, this.used + (this.used >> 2))));
    this.used = 0;
    return out;
  }

  /** A body from take() that nothing reads or sends any more: its memory serves a later bulk. */
  recycle(sent: Buffer): void {
    // Only whole allocations of our own (a small Buffer may be a slice of Node's shared pool), and none larger than kept bodies may be.
    const size = sent.buffer.byteLength;
    if (sent.byteOffset !== 0 || size < this.limits.firstCapacity || size > this.limits.maxKept || this.spare.length >= this.limits.maxSpare) return;
    this.spare.push(sent.buffer as ArrayBuffer);
  }

  private fresh(size: number): Buffer {
    const i = this.spare.findIndex((memory) => memory.byteLength >= size);
    if (i < 0) return Buffer.allocUnsafe(size);
    const [memory] = this.spare.splice(i, 1);
    return Buffer.from(memory);
  }

  private grow(needed: number): void {
    const next = Buffer.allocUnsafe(Math.max(needed, this.buffer.length * 2));
    this.buffer.copy(next, 0, 0, this.used);
    this.buffer = next;
  }
}
