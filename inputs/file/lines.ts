/**
 * Newline framing of a file, with the byte offset of every line: the checkpoint needs to know
 * where each line starts and ends, and the event carries its start (`log.offset`). Chunks come
 * from bounded reads; a line that spans reads is held as its pieces and joined once. A line
 * longer than `maxLineBytes` keeps its first `maxLineBytes` bytes (cut back to a whole UTF-8
 * character) and is reported as cut; the rest of it up to its newline is skipped. A final line
 * without newline stays held until `takeHeld` (the file is closed or rotated).
 */

export interface FileLine {
  text: string;
  /** Offset of the line's first byte in the file. */
  start: number;
  /** Offset just past its newline: where the next line starts. */
  end: number;
  /** Bytes of the whole line when it was cut, else undefined. */
  cutFrom?: number;
}

export class FileLineSplitter {
  private held: Buffer[] = [];
  private heldTotal = 0;
  /** Bytes of the current line beyond the limit, skipped. */
  private skipped = 0;
  /** Offset of the current (held) line's first byte; also where the next line starts. */
  private lineStart: number;

  constructor(private readonly maxLineBytes: number, start: number) {
    this.lineStart = start;
  }

  /** Where the line being held begins (= end of the last complete line). */
  get heldStart(): number {
    return this.lineStart;
  }

  get heldBytes(): number {
    return this.heldTotal + this.skipped;
  }

  /** Starts over at `offset` (a truncated file, a failed ack). */
  reset(offset: number): void {
    this.held = [];
    this.heldTotal = 0;
    this.skipped = 0;
    this.lineStart = offset;
  }

  /** `chunk` is the file's bytes right after what was pushed before. */
  push(chunk: Buffer, onLine: (line: FileLine) => void): void {
    let from = 0;
    const base = this.lineStart + this.heldTotal + this.skipped;
    for (let nl = chunk.indexOf(10); nl !== -1; nl = chunk.indexOf(10, from)) {
      const end = base + nl + 1;
      if (this.heldTotal === 0 && this.skipped === 0 && nl - from <= this.maxLineBytes) {
        this.emit(chunk.toString('utf8', from, trimCr(chunk, from, nl)), end, undefined, onLine);
      } else {
        this.hold(chunk.subarray(from, nl));
        this.completeHeld(end, onLine);
      }
      from = nl + 1;
    }
    // The start of a line not ended yet: copied, so a slow line does not pin the whole read.
    if (from < chunk.length) this.hold(Buffer.from(chunk.subarray(from)));
  }

  /** The unterminated last line, if any, as a line of its own (the file will not grow any more). */
  takeHeld(onLine: (line: FileLine) => void): void {
    if (this.heldTotal === 0 && this.skipped === 0) return;
    this.completeHeld(this.lineStart + this.heldTotal + this.skipped, onLine);
  }

  private hold(piece: Buffer): void {
    const room = this.maxLineBytes - this.heldTotal;
    if (piece.length <= room) {
      if (piece.length > 0) this.held.push(piece);
      this.heldTotal += piece.length;
      return;
    }
    if (room > 0) this.held.push(piece.subarray(0, room));
    this.heldTotal += Math.max(room, 0);
    this.skipped += piece.length - Math.max(room, 0);
  }

  private completeHeld(end: number, onLine: (line: FileLine) => void): void {
    const whole = this.heldTotal + this.skipped;
    let line = this.held.length === 1 ? this.held[0] : Buffer.concat(this.held, this.heldTotal);
    const cut = this.skipped > 0;
    if (cut) line = line.subarray(0, wholeCharacters(line));
    this.held = [];
    this.heldTotal = 0;
    this.skipped = 0;
    this.emit(line.toString('utf8', 0, cut ? line.length : trimCr(line, 0, line.length)), end, cut ? whole : undefined, onLine);
  }

  private emit(text: string, end: number, cutFrom: number | undefined, onLine: (line: FileLine) => void): void {
    const start = this.lineStart;
    this.lineStart = end;
    // Empty lines carry nothing; their bytes still count as read.
    if (text.length === 0) return;
    onLine(cutFrom === undefined ? { text, start, end } : { text, start, end, cutFrom });
  }
}

/** The end of a line without its `\r` (CRLF files). */
function trimCr(buffer: Buffer, from: number, to: number): number {
  return to > from && buffer[to - 1] === 13 ? to - 1 : to;
}

/** Length of `buffer` without a UTF-8 character cut at its end. */
function wholeCharacters(buffer: Buffer): number {
  let end = buffer.length;
  let back = 0;
  while (back < 4 && end - back - 1 >= 0 && (buffer[end - back - 1] & 0xc0) === 0x80) back++;
  const lead = end - back - 1;
  if (lead < 0) return end;
  const byte = buffer[lead];
  const needed = byte >= 0xf0 ? 3 : byte >= 0xe0 ? 2 : byte >= 0xc0 ? 1 : 0;
  if (needed > back) end = lead;
  return end;
}
