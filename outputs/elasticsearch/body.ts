/**
 * The NDJSON of a bulk request, written straight into fixed-size chunks as events are encoded. A
 * Buffer's bytes live outside the JavaScript heap, so the bulks held in flight (seconds, under a
 * slow engine) are not objects the collector must trace and promote: held as event objects and
 * strings they made old-generation collections most of the output's CPU.
 *
 * Chunks the engine has taken are used again, from a free list bounded in bytes. A body lives
 * long enough in flight to be promoted, and a promoted Buffer's memory comes back only at a full
 * collection: fresh bodies for every bulk held tens of MiB of dead ones, and bodies grown by
 * doubling left their smaller copies behind too. Fixed chunks cycle instead, so the output holds
 * what is in flight, the bulk being written and the free list, whatever the size of its events.
 */

const CHUNK_BYTES = 256 * 1024;
const encoder = new TextEncoder();

export interface BodyLimits {
  /** Size of every chunk. */
  chunkBytes: number;
  /** Most bytes of free chunks kept for later bodies: one huge event makes many chunks, not a habit. */
  maxFreeBytes: number;
}

const DEFAULT_LIMITS: BodyLimits = { chunkBytes: CHUNK_BYTES, maxFreeBytes: 8 * 1024 * 1024 };

/** A bulk's bytes, in order: sent as they are, one chunk after another. */
export interface BodyBytes {
  readonly chunks: readonly Buffer[];
  readonly length: number;
}

/** The bytes as one Buffer, for the paths that read single items (a copy unless there is one chunk). */
export function contiguous(body: BodyBytes): Buffer {
  return body.chunks.length === 1 ? body.chunks[0] : Buffer.concat(body.chunks, body.length);
}

export class BulkBody {
  private readonly limits: BodyLimits;
  private readonly free: Buffer[] = [];
  /** Chunks filled so far, cut to what was written. */
  private filled: Buffer[] = [];
  private current: Buffer | undefined;
  private used = 0;
  private total = 0;

  constructor(limits: Partial<BodyLimits> = {}) {
    this.limits = { ...DEFAULT_LIMITS, ...limits };
  }

  get length(): number {
    return this.total;
  }

  /** Bytes of chunks this body holds: the ones being written and the free ones. */
  get heldBytes(): number {
    const chunk = this.limits.chunkBytes;
    return (this.filled.length + (this.current ? 1 : 0) + this.free.length) * chunk;
  }

  /** Appends `text` as UTF-8 and returns the number of bytes written; `maxBytes`, an upper bound of them, lets a text that surely fits be written in one call. */
  append(text: string, maxBytes?: number): number {
    let rest = text;
    let written = 0;
    for (;;) {
      const chunk = this.current ?? this.nextChunk();
      const room = chunk.length - this.used;
      if (maxBytes !== undefined && maxBytes - written <= room) {
        const n = chunk.write(rest, this.used, 'utf8');
        this.used += n;
        written += n;
        break;
      }
      // Only whole characters go in: what does not fit starts the next chunk.
      const { read, written: n } = encoder.encodeInto(rest, chunk.subarray(this.used));
      this.used += n;
      written += n;
      if (read === rest.length) break;
      rest = rest.slice(read);
      this.closeChunk();
    }
    this.total += written;
    return written;
  }

  /** The bytes written so far; the body starts over empty. */
  take(): BodyBytes {
    if (this.used > 0) this.closeChunk();
    const out: BodyBytes = { chunks: this.filled, length: this.total };
    this.filled = [];
    this.total = 0;
    return out;
  }

  /** A body from take() that nothing reads or sends any more: its chunks serve later bulks. */
  recycle(sent: BodyBytes): void {
    const { chunkBytes, maxFreeBytes } = this.limits;
    for (const view of sent.chunks) {
      if (this.free.length * chunkBytes >= maxFreeBytes) return;
      // Only whole chunks of our own: a gathered retry body is one Buffer of its own size.
      const memory = view.buffer;
      if (view.byteOffset !== 0 || memory.byteLength !== chunkBytes) continue;
      this.free.push(Buffer.from(memory as ArrayBuffer, 0, chunkBytes));
    }
  }

  private nextChunk(): Buffer {
    this.current = this.free.pop() ?? Buffer.allocUnsafeSlow(this.limits.chunkBytes);
    this.used = 0;
    return this.current;
  }

  private closeChunk(): void {
    if (this.current === undefined) return;
    if (this.used > 0) this.filled.push(this.current.subarray(0, this.used));
    else this.free.push(this.current);
    this.current = undefined;
    this.used = 0;
  }
}
