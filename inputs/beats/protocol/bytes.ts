/**
 * The unread bytes of a connection as the socket's own chunks. A frame body that spans reads is
 * copied once, when it is complete; re-joining everything on every read instead costs
 * O(frame^2) when a large compressed window arrives in MSS-sized segments.
 */
export class ByteQueue {
  private chunks: Buffer[] = [];
  /** Index of the first unread chunk; shift() would be O(n) with thousands of small reads queued. */
  private head = 0;
  /** Read position inside chunks[head]. */
  private start = 0;
  length = 0;

  append(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.chunks.push(chunk);
    this.length += chunk.length;
  }

  /** The byte `at` positions ahead; `at` < length. */
  byteAt(at: number): number {
    let index = this.start + at;
    for (let i = this.head; i < this.chunks.length; i++) {
      const chunk = this.chunks[i];
      if (index < chunk.length) return chunk[index];
      index -= chunk.length;
    }
    throw new RangeError(`byteAt(${at}) beyond ${this.length} buffered bytes`);
  }

  /** Big-endian uint32 `at` positions ahead; at + 4 <= length. */
  uint32At(at: number): number {
    const first = this.chunks[this.head];
    const index = this.start + at;
    if (index + 4 <= first.length) return first.readUInt32BE(index);
    return ((this.byteAt(at) << 24) | (this.byteAt(at + 1) << 16) | (this.byteAt(at + 2) << 8) | this.byteAt(at + 3)) >>> 0;
  }

  /** Removes and returns `n` bytes: a view of the socket's chunk when they lie in one, else one copy. */
  take(n: number): Buffer {
    const first = this.chunks[this.head];
    if (this.start + n <= first.length) {
      const view = first.subarray(this.start, this.start + n);
      this.skip(n);
      return view;
    }
    const out = Buffer.allocUnsafe(n);
    let written = 0;
    while (written < n) {
      const chunk = this.chunks[this.head];
      const count = Math.min(n - written, chunk.length - this.start);
      chunk.copy(out, written, this.start, this.start + count);
      written += count;
      this.skip(count);
    }
    return out;
  }

  skip(n: number): void {
    this.length -= n;
    this.start += n;
    while (this.head < this.chunks.length && this.start >= this.chunks[this.head].length) {
      this.start -= this.chunks[this.head].length;
      this.head++;
    }
    if (this.head === this.chunks.length) {
      this.chunks = [];
      this.head = 0;
    } else if (this.head > 64) {
      this.chunks = this.chunks.slice(this.head);
      this.head = 0;
    }
  }
}
