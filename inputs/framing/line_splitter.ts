/**
 * Newline framing over a byte stream. Each chunk is decoded to text once, up to its last
 * newline, and split there; only the bytes after the last newline are carried to the next
 * chunk, so a multi-byte character split across packets is never cut. A line that spans reads
 * is held as the list of its pieces and joined once, when its newline arrives: re-joining what
 * is held on every read would copy a long line over and over (quadratic in its length). A line
 * longer than the limit is skipped up to its newline and reported; the lines around it are not
 * affected. `\r\n` endings are accepted; empty lines are skipped.
 */

import type { Framer } from './framer.js';

export interface OversizeLine {
  /** 1-based number of the line on this stream. */
  line: number;
  /** Offset of the line's first byte in the stream. */
  offset: number;
  /** Bytes seen of it (more than the limit). */
  bytes: number;
}

export class LineSplitter implements Framer {
  /** Pieces of the line that has not ended yet, in order, and their total size. */
  private held: Buffer[] = [];
  private heldTotal = 0;
  private discarding = false;
  private discardStart = 0;
  private discardBytes = 0;
  private streamOffset = 0;
  private lineNumber = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onOversize: (info: OversizeLine) => void,
  ) {}

  get heldBytes(): number {
    return this.heldTotal;
  }

  get lines(): number {
    return this.lineNumber;
  }

  /**
   * Calls `onLine` for every complete line in `chunk` (plus what was carried). With `raw`, also
   * appends the bytes of those lines (views, valid until this call returns), which a fresh
   * splitter with the same limit splits into the same lines again (inputs/replay.ts).
   */
  push(chunk: Buffer, onLine: (line: string) => void, raw?: Buffer[]): void {
    let data = chunk;
    let dataOffset = this.streamOffset;
    this.streamOffset += chunk.length;

    if (this.discarding || this.heldTotal > 0) {
      const nl = data.indexOf(10);
      if (nl === -1) {
        this.hold(data, dataOffset, data === chunk);
        return;
      }
      // Joined before this read returns: a view pins nothing.
      this.hold(data.subarray(0, nl), dataOffset, true);
      this.completeHeld(onLine, raw);
      data = data.subarray(nl + 1);
      dataOffset += nl + 1;
    }

    const last = data.lastIndexOf(10);
    if (last === -1) {
      if (data.length > 0) this.hold(data, dataOffset, data === chunk);
      return;
    }
    raw?.push(data.subarray(0, last + 1));
    const text = data.toString('utf8', 0, last);
    const lines = text.split('\n');
    const limit = this.maxLineBytes;
    // The limit is on wire bytes, which the decoded text does not give back (a broken byte
    // decodes to a 3-byte U+FFFD): a long line's bytes are found by walking the chunk's LFs.
    let rawLine = 0;
    let rawStart = 0;
    for (let i = 0; i < lines.length; i++) {
      const line = lines[i];
      this.lineNumber++;
      // Each UTF-16 unit comes from at most 3 bytes, so only long strings need their bytes counted.
      if (line.length * 3 > limit) {
        for (; rawLine < i; rawLine++) rawStart = data.indexOf(10, rawStart) + 1;
        const bytes = data.indexOf(10, rawStart) - rawStart;
        if (bytes > limit) {
          this.onOversize({ line: this.lineNumber, offset: dataOffset + rawStart, bytes });
          continue;
        }
      }
      emit(line, onLine);
    }
    if (last + 1 < data.length) this.hold(data.subarray(last + 1), dataOffset + last + 1, false);
  }

  /** What is left when the stream ends: a final line without newline (Logstash emits it too). */
  end(onLine: (line: string) => void, raw?: Buffer[]): void {
    if (this.discarding || this.heldTotal > 0) this.completeHeld(onLine, raw);
    this.release();
  }

  /**
   * Keeps a piece of a line that has not ended yet, or counts it if the line is already too
   * long. `asView`: the piece is an entire socket chunk, or is joined before the read returns,
   * so it is kept as it is; any other part of a chunk is copied, since a view would pin the
   * whole chunk in memory while a slow line trickles in.
   */
  private hold(data: Buffer, offset: number, asView: boolean): void {
    if (this.discarding) {
      this.discardBytes += data.length;
      return;
    }
    if (this.heldTotal + data.length > this.maxLineBytes) {
      this.discarding = true;
      this.discardStart = offset - this.heldTotal;
      this.discardBytes = this.heldTotal + data.length;
      this.release();
      return;
    }
    if (data.length === 0) return;
    this.held.push(asView ? data : Buffer.from(data));
    this.heldTotal += data.length;
  }

  private release(): void {
    this.held = [];
    this.heldTotal = 0;
  }

  /** The held line has ended: emit it (its pieces joined once), or report it if it was too long. */
  private completeHeld(onLine: (line: string) => void, raw: Buffer[] | undefined): void {
    this.lineNumber++;
    if (this.discarding) {
      this.onOversize({ line: this.lineNumber, offset: this.discardStart, bytes: this.discardBytes });
      this.discarding = false;
      this.discardBytes = 0;
    } else if (this.heldTotal > 0) {
      const line = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held, this.heldTotal);
      this.release();
      if (raw) raw.push(line, LINE_FEED);
      emit(line.toString('utf8'), onLine);
    }
  }
}

const LINE_FEED = Buffer.from('\n');

function emit(line: string, onLine: (line: string) => void): void {
  const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  if (text.length > 0) onLine(text);
}
