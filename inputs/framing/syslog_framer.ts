/**
 * RFC 6587 framing for syslog over TCP, decided per frame as rsyslog does: a frame that starts
 * with a digit is octet-counted (`LEN SP MSG`), any other is non-transparent, ended by LF (or
 * NUL, which some senders use; a CR before the LF is dropped). Frames longer than the limit are
 * skipped (never buffered) and reported with their real size, and the stream goes on at the
 * next frame: an octet-counted frame says its size; an LF frame is reported when its end comes,
 * or, if the stream ends first, with the bytes that had come ("at least").
 */
import type { FrameError, Framer } from './framer.js';

const LF = 10;
const CR = 13;
const NUL = 0;
const SPACE = 32;
/** Digits of a length field: 10 would already be more than any limit. */
const MAX_LENGTH_DIGITS = 9;

function isDelimiter(byte: number): boolean {
  return byte === LF || byte === NUL;
}

function findDelimiter(data: Buffer, from: number): number {
  for (let i = from; i < data.length; i++) if (isDelimiter(data[i])) return i;
  return -1;
}

export class SyslogFramer implements Framer {
  /**
   * The unconsumed bytes (the start of a frame) as the chunks they came in, joined only when a
   * chunk may complete the frame: joining on every read would copy a long frame over and over.
   */
  private held: Buffer[] = [];
  private heldTotal = 0;
  /** What the held frame waits for: this many bytes in all (octet counting), or a delimiter (LF framing). */
  private waitBytes = 0;
  private waitDelimiter = false;
  /** Stream offset of the first byte not yet consumed. */
  private offset = 0;
  private frames = 0;
  /** Bytes of an oversize octet-counted frame still to skip. */
  private skipBytes = 0;
  /** Inside an oversize LF-framed frame: skip up to its delimiter, counting its bytes. */
  private skippingLine = false;
  private skipped: { frame: number; offset: number; bytes: number } = { frame: 0, offset: 0, bytes: 0 };

  constructor(
    private readonly maxFrameBytes: number,
    private readonly onError: (error: FrameError) => void,
  ) {}

  get heldBytes(): number {
    return this.heldTotal;
  }

  /** The chunk cannot complete the held frame: keep it as it is, unread. */
  private canWait(chunk: Buffer): boolean {
    const total = this.heldTotal + chunk.length;
    if (this.waitBytes > 0) return total < this.waitBytes;
    return this.waitDelimiter && total <= this.maxFrameBytes && findDelimiter(chunk, 0) === -1;
  }

  push(chunk: Buffer, onFrame: (frame: string) => void): void {
    if (this.heldTotal > 0 && this.canWait(chunk)) {
      this.held.push(chunk);
      this.heldTotal += chunk.length;
      return;
    }
    const data = this.heldTotal > 0 ? Buffer.concat([...this.held, chunk], this.heldTotal + chunk.length) : chunk;
    this.held = [];
    this.heldTotal = 0;
    this.waitBytes = 0;
    this.waitDelimiter = false;
    const base = this.offset;
    let pos = 0;
    while (pos < data.length) {
      if (this.skipBytes > 0) {
        const n = Math.min(this.skipBytes, data.length - pos);
        this.skipBytes -= n;
        pos += n;
        continue;
      }
      if (this.skippingLine) {
        const end = findDelimiter(data, pos);
        this.skipped.bytes += (end === -1 ? data.length : end) - pos;
        if (end === -1) {
          pos = data.length;
          break;
        }
        this.skippingLine = false;
        // The bad-length case skips to the newline too, but has been reported already.
        if (this.skipped.frame > 0) this.onError({ reason: 'too_large', frame: this.skipped.frame, offset: this.skipped.offset, bytes: this.skipped.bytes });
        pos = end + 1;
        continue;
      }
      const first = data[pos];
      if (isDelimiter(first) || first === CR) {
        pos++;
        continue;
      }
      const next = first >= 48 && first <= 57 ? this.octetCounted(data, pos, base, onFrame) : this.delimited(data, pos, base, onFrame);
      if (next === -1) break;
      pos = next;
    }
    if (pos < data.length) {
      // Copy: a subarray would pin the whole socket chunk while the rest of the frame arrives.
      this.held = [Buffer.from(data.subarray(pos))];
      this.heldTotal = data.length - pos;
      this.waitFor(data, pos);
    }
    this.offset = base + pos;
  }

  /** Notes what the incomplete frame at `start` needs before it is worth parsing again. */
  private waitFor(data: Buffer, start: number): void {
    const first = data[start];
    if (first < 48 || first > 57) {
      this.waitDelimiter = true;
      return;
    }
    let i = start;
    let length = 0;
    while (i < data.length && data[i] >= 48 && data[i] <= 57) length = length * 10 + (data[i++] - 48);
    // Digits up to the end: not yet known whether this is a length at all.
    if (i === data.length) return;
    if (data[i] === SPACE) this.waitBytes = i + 1 - start + length;
    else this.waitDelimiter = true; // a line that starts with a digit, LF-framed
  }

  end(onFrame: (frame: string) => void): void {
    const rest = this.heldTotal > 0 ? Buffer.concat(this.held, this.heldTotal) : undefined;
    this.held = [];
    this.heldTotal = 0;
    if (this.skippingLine && this.skipped.frame > 0) {
      this.skippingLine = false;
      this.onError({ reason: 'too_large', frame: this.skipped.frame, offset: this.skipped.offset, bytes: this.skipped.bytes, atLeast: true });
      return;
    }
    if (!rest || rest.length === 0 || this.skippingLine || this.skipBytes > 0) return;
    this.frames++;
    let end = rest.length;
    if (rest[end - 1] === CR) end--;
    if (end > 0) onFrame(rest.toString('utf8', 0, end));
  }

  /** `LEN SP MSG`; returns where the next frame starts, or -1 to wait for more bytes. */
  private octetCounted(data: Buffer, start: number, base: number, onFrame: (frame: string) => void): number {
    let i = start;
    let length = 0;
    while (i < data.length && data[i] >= 48 && data[i] <= 57 && i - start < MAX_LENGTH_DIGITS + 1) length = length * 10 + (data[i++] - 48);
    if (i === data.length) return -1;
    if (data[i] !== SPACE || i - start > MAX_LENGTH_DIGITS || length === 0) {
      // Not a length after all (a line that starts with a digit, e.g. a PRI-less ISO date): read it as LF-framed.
      if (data[i] !== SPACE) return this.delimited(data, start, base, onFrame);
      this.frames++;
      this.onError({ reason: 'bad_length', frame: this.frames, offset: base + start, bytes: i - start });
      this.skippingLine = true;
      this.skipped = { frame: 0, offset: 0, bytes: 0 };
      return i + 1;
    }
    const body = i + 1;
    this.frames++;
    if (length > this.maxFrameBytes) {
      this.onError({ reason: 'too_large', frame: this.frames, offset: base + start, bytes: length });
      this.skipBytes = length;
      return body;
    }
    if (data.length - body < length) {
      this.frames--;
      return -1;
    }
    onFrame(data.toString('utf8', body, body + length));
    return body + length;
  }

  /** A frame ended by LF or NUL; returns where the next starts, or -1 to wait for more bytes. */
  private delimited(data: Buffer, start: number, base: number, onFrame: (frame: string) => void): number {
    const end = findDelimiter(data, start);
    if (end === -1) {
      if (data.length - start > this.maxFrameBytes) {
        // Reported when its end comes, with its real size; nothing of it is kept meanwhile.
        this.frames++;
        this.skippingLine = true;
        this.skipped = { frame: this.frames, offset: base + start, bytes: data.length - start };
        return data.length;
      }
      return -1;
    }
    this.frames++;
    if (end - start > this.maxFrameBytes) {
      this.onError({ reason: 'too_large', frame: this.frames, offset: base + start, bytes: end - start });
      return end + 1;
    }
    const stop = end > start && data[end - 1] === CR ? end - 1 : end;
    if (stop > start) onFrame(data.toString('utf8', start, stop));
    return end + 1;
  }
}
