/**
 * Newline framing over a byte stream. Each chunk is decoded to text once, up to its last
 * newline, and split there; only the bytes after the last newline are carried to the next
 * chunk, so a multi-byte character split across packets is never cut. A line longer than the
 * limit is skipped up to its newline and reported; the lines around it are not affected.
 * `\r\n` endings are accepted; empty lines are skipped.
 */

export interface OversizeLine {
  /** 1-based number of the line on this stream. */
  line: number;
  /** Offset of the line's first byte in the stream. */
  offset: number;
  /** Bytes seen of it (more than the limit). */
  bytes: number;
}

export class LineSplitter {
  private carry: Buffer | undefined;
  private discarding = false;
  private discardStart = 0;
  private discardBytes = 0;
  private streamOffset = 0;
  private lineNumber = 0;

  constructor(
    private readonly maxLineBytes: number,
    private readonly onOversize: (info: OversizeLine) => void,
  ) {}

  get lines(): number {
    return this.lineNumber;
  }

  /** Calls `onLine` for every complete line in `chunk` (plus what was carried). */
  push(chunk: Buffer, onLine: (line: string) => void): void {
    let data = chunk;
    let dataOffset = this.streamOffset;
    this.streamOffset += chunk.length;

    if (this.discarding || this.carry) {
      const nl = data.indexOf(10);
      if (nl === -1) {
        this.hold(data, dataOffset);
        return;
      }
      this.hold(data.subarray(0, nl), dataOffset);
      this.completeHeld(onLine);
      data = data.subarray(nl + 1);
      dataOffset += nl + 1;
    }

    const last = data.lastIndexOf(10);
    if (last === -1) {
      if (data.length > 0) this.hold(data, dataOffset);
      return;
    }
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
    if (last + 1 < data.length) this.hold(data.subarray(last + 1), dataOffset + last + 1);
  }

  /** What is left when the stream ends: a final line without newline (Logstash emits it too). */
  end(onLine: (line: string) => void): void {
    if (this.discarding || (this.carry && this.carry.length > 0)) this.completeHeld(onLine);
    this.carry = undefined;
  }

  /** Keeps the start of a line that has not ended yet, or counts it if it is already too long. */
  private hold(data: Buffer, offset: number): void {
    if (this.discarding) {
      this.discardBytes += data.length;
      return;
    }
    const held = this.carry ? this.carry.length : 0;
    if (held + data.length > this.maxLineBytes) {
      this.discarding = true;
      this.discardStart = offset - held;
      this.discardBytes = held + data.length;
      this.carry = undefined;
      return;
    }
    if (data.length === 0) return;
    // Copy: a subarray would pin the whole socket chunk in memory while a slow line trickles in.
    this.carry = this.carry ? Buffer.concat([this.carry, data]) : Buffer.from(data);
  }

  /** The held line has ended: emit it, or report it if it was too long. */
  private completeHeld(onLine: (line: string) => void): void {
    this.lineNumber++;
    if (this.discarding) {
      this.onOversize({ line: this.lineNumber, offset: this.discardStart, bytes: this.discardBytes });
      this.discarding = false;
      this.discardBytes = 0;
    } else if (this.carry) {
      emit(this.carry.toString('utf8'), onLine);
      this.carry = undefined;
    }
  }
}

function emit(line: string, onLine: (line: string) => void): void {
  const text = line.charCodeAt(line.length - 1) === 13 ? line.slice(0, -1) : line;
  if (text.length > 0) onLine(text);
}
