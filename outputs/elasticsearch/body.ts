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

export class BulkBody {
  private buffer: Buffer;
  private used = 0;
  private readonly spare: ArrayBuffer[] = [];

  constructor(
    private readonly capacity = FIRST_CAPACITY,
    private readonly maxSpare = 4,
  ) {
    this.buffer = Buffer.allocUnsafe(capacity);
  }

  get length(): number {
    return this.used;
  }

  /** Appends `text` as UTF-8 and returns the number of bytes written. */
  append(text: string): number {
    // A UTF-16 unit never takes more than three UTF-8 bytes: room for that means write() never cuts.
    if (this.used + text.length * 3 > this.buffer.length) this.grow(this.used + text.length * 3);
    const written = this.buffer.write(text, this.used, 'utf8');
    this.used += written;
    return written;
  }

  /** The bytes written so far; the body starts over empty. */
  take(): Buffer {
    const out = this.buffer.subarray(0, this.used);
    // The next bulk is likely the size of this one: start there and grow less.
    this.buffer = this.fresh(Math.max(this.capacity, this.used + (this.used >> 2)));
    this.used = 0;
    return out;
  }

  /** A body from take() that nothing reads or sends any more: its memory serves a later bulk. */
  recycle(sent: Buffer): void {
    // Only whole allocations of our own: a small Buffer may be a slice of Node's shared pool.
    if (sent.byteOffset !== 0 || sent.buffer.byteLength < this.capacity || this.spare.length >= this.maxSpare) return;
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
