/**
 * One open file: bounded reads from where its identity was left, lines with their offsets,
 * events with `log.file.path`, `log.offset` and an `_id` made of the file's identity and the
 * line's offset (a line read again after a crash gets the same id, which the engine output
 * absorbs), one batch per read whose ack moves the identity's checkpoint. A full queue stops
 * the reads until it has room; nothing is dropped.
 */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { addTag, isFieldObject, METADATA, type Event, type InputMetadata } from '../../pipeline/event.js';
import { makeBatch } from '../../pipeline/batch.js';
import type { BatchSink } from '../../pipeline/plugin.js';
import type { LineCodec } from '../codecs/index.js';
import { finishEvents } from '../finish.js';
import { FileLineSplitter, type FileLine } from './lines.js';
import { identityOf, isFullFingerprint, readHead } from './identity.js';
import type { FileLedger } from './ledger.js';
import type { FileMultiline, MultilineLine } from './multiline.js';

export const TRUNCATED_TAG = '_line_truncated';

export interface TailerOptions {
  facts: InputMetadata;
  codec: LineCodec;
  sink: BatchSink;
  readBytes: number;
  maxLineBytes: number;
  fingerprintBytes: number;
  multiline: FileMultiline | undefined;
  onBytes(count: number): void;
  onDecodeFailures(count: number): void;
  onCut(path: string, line: FileLine): void;
  /** The identity grew from device+inode to a full fingerprint; false if that fingerprint is read elsewhere already (the file is a copy being written). */
  onRekey(tailer: Tailer, oldKey: string): boolean;
  /** A read found the file's head changed under it (truncated and written again): the input starts it over. */
  onTruncated(tailer: Tailer): void;
  /** Reading this ledger failed an ack: it restarts from the acked offset. */
  onAckFailure(tailer: Tailer, reason: string): void;
  /** A batch of any file settled (stop waits on these). */
  onSettled(): void;
  /** A read failed (an I/O error): the file is left as it is, to be looked at again. */
  onReadError(tailer: Tailer, err: Error): void;
}

let nextStream = 0;

export class Tailer {
  /** The aggregator's stream name for this file. */
  readonly stream = `file-${nextStream++}`;
  /** Next byte to read. */
  position: number;
  /** Bytes of the file known from the last stat. */
  size: number;
  lastGrowth = Date.now();
  rotatedAt: number | undefined;
  closed = false;
  private readonly splitter: FileLineSplitter;
  private head: Buffer;
  private fullIdBase: string | undefined;
  private pumping: Promise<void> | undefined;
  private again = false;
  private truncatedSeen = false;
  /** Failed acks in a row; reading again waits longer after each (an output that keeps giving up is not hammered). */
  ackFailures = 0;
  /** No reads before this time (ms since the epoch). */
  pausedUntil = 0;
  /** The multi-line event open on this file: where it starts bounds the checkpoint. */
  openFirst: MultilineLine | undefined;

  constructor(
    readonly handle: FileHandle,
    public path: string,
    readonly dev: number,
    readonly ino: number,
    public ledger: FileLedger,
    head: Buffer,
    size: number,
    private readonly options: TailerOptions,
  ) {
    this.head = head;
    this.size = size;
    this.position = Math.min(ledger.read, size);
    this.splitter = new FileLineSplitter(options.maxLineBytes, this.position);
  }

  /** Reads what the file holds beyond `position` (again if asked while reading). */
  pump(): Promise<void> {
    if (Date.now() < this.pausedUntil) return Promise.resolve();
    if (this.pumping !== undefined) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = (async () => {
      do {
        this.again = false;
        await this.readToEnd();
      } while (this.again && !this.closed);
    })()
      .catch((err: unknown) => {
        if (!this.closed) this.options.onReadError(this, err as Error);
      })
      .finally(() => {
      this.pumping = undefined;
    });
    return this.pumping;
  }

  get busy(): boolean {
    return this.pumping !== undefined;
  }

  /** Resolves once a read in progress has finished. */
  async idle(): Promise<void> {
    while (this.pumping !== undefined) await this.pumping;
  }

  /** Starts over at `offset`: a failed ack (the same identity) or a truncated file (a new one). */
  restartAt(offset: number, ledger: FileLedger = this.ledger, head: Buffer = this.head): void {
    this.ledger = ledger;
    this.head = head;
    this.position = offset;
    this.splitter.reset(offset);
    this.fullIdBase = undefined;
    this.openFirst = undefined;
    this.options.multiline?.forget(this);
  }

  /** The file is done (closed, rotated away): its last unterminated line and open multi-line event complete. */
  finishHeld(): void {
    const events: Event[] = [];
    this.splitter.takeHeld((line) => this.lineToEvents(line, events));
    this.options.multiline?.end(this, events);
    this.deliver(events, 0);
  }

  private upTo(): number {
    return this.openFirst !== undefined ? this.openFirst.start : this.splitter.heldStart;
  }

  private async readToEnd(): Promise<void> {
    const { readBytes, sink } = this.options;
    while (!this.closed) {
      const buffer = Buffer.allocUnsafe(readBytes);
      const startedAt = this.position;
      const { bytesRead } = await this.handle.read(buffer, 0, readBytes, startedAt);
      // A restart (failed ack, truncation) moved the position while this read was out.
      if (this.closed || this.position !== startedAt) continue;
      if (bytesRead === 0) return;
      // Read first, then compared: if the head is still what it was, these bytes were read before any truncation.
      if (!(await this.headUnchanged())) {
        this.truncatedSeen = true;
        return;
      }
      this.position += bytesRead;
      if (this.position > this.size) this.size = this.position;
      this.lastGrowth = Date.now();
      this.options.onBytes(bytesRead);
      const chunk = buffer.subarray(0, bytesRead);
      if (startedAt < this.options.fingerprintBytes && !(await this.extendHead(startedAt, chunk))) return;
      const events: Event[] = [];
      const multiline = this.options.multiline;
      if (multiline !== undefined) multiline.collect(this, events, () => this.splitter.push(chunk, (line) => multiline.push(this, line, this.decode(line))));
      else this.splitter.push(chunk, (line) => this.lineToEvents(line, events));
      if (!this.deliver(events, bytesRead)) await sink.whenWritable();
    }
  }

  /** Pushes a batch whose ack covers the file up to what is read and complete; false when the queue is full. */
  deliver(events: Event[], bytes: number): boolean {
    const upTo = this.upTo();
    if (events.length === 0 && upTo <= this.ledger.read) return true;
    const ledger = this.ledger;
    const settle = ledger.track(upTo, (_resumeAt, reason) => {
      if (this.ledger === ledger && !this.closed) this.options.onAckFailure(this, reason);
    });
    const onSettled = this.options.onSettled;
    return this.options.sink.push(
      makeBatch(events, bytes, (outcome) => {
        if (outcome.ok) this.ackFailures = 0;
        settle(outcome);
        onSettled();
      }),
    );
  }

  /** Whether the file still starts with the bytes its identity was made from (a writer appending fast refills a truncated file before a stat sees it shrink). */
  private async headUnchanged(): Promise<boolean> {
    const known = Math.min(this.head.length, this.position);
    if (known === 0) return true;
    const now = Buffer.allocUnsafe(known);
    const { bytesRead } = await this.handle.read(now, 0, known, 0);
    return bytesRead === known && now.equals(this.head.subarray(0, known));
  }

  /**
   * The head grows from the bytes just read, not from a second read: the file may have been
   * truncated in between (copytruncate), and these lines' ids must be those of what they were read from.
   */
  private async extendHead(startedAt: number, chunk: Buffer): Promise<boolean> {
    const { fingerprintBytes } = this.options;
    if (this.head.length >= fingerprintBytes) return true;
    if (startedAt <= this.head.length) this.head = Buffer.concat([this.head.subarray(0, startedAt), chunk.subarray(0, fingerprintBytes - startedAt)]);
    else this.head = await readHead(this.handle, fingerprintBytes);
    const identity = this.ledger.identity;
    if (isFullFingerprint(identity, fingerprintBytes)) return true;
    // A short file's identity covers every byte read so far: a new file on its inode resumes only if it starts with them.
    this.ledger.identity = identityOf(this.head, this.dev, this.ino, fingerprintBytes);
    return this.ledger.identity.key === identity.key || this.options.onRekey(this, identity.key);
  }

  /**
   * The `_id` prefix of a line: the fingerprint once the line ends past it, else a hash of the
   * file's bytes up to the line's end. Content alone, so that a copy (copytruncate) gives its
   * lines the ids they had in the original: two files identical up to a line's end are one
   * file up to there, as they are for the fingerprint.
   */
  private idBase(end: number): string {
    const { fingerprintBytes } = this.options;
    if (end >= fingerprintBytes && this.head.length >= fingerprintBytes) {
      this.fullIdBase ??= createHash('sha256').update(this.head.subarray(0, fingerprintBytes)).digest('hex').slice(0, 32);
      return this.fullIdBase;
    }
    return createHash('sha256').update(this.head.subarray(0, Math.min(end, this.head.length))).digest('hex').slice(0, 32);
  }

  /** The events of one line, each stamped with the file facts (json_lines: an array line gives several). */
  decode(line: FileLine): Event[] {
    const events: Event[] = [];
    const failures = this.options.codec.decode(line.text, events);
    if (failures > 0) this.options.onDecodeFailures(failures);
    if (line.cutFrom !== undefined) this.options.onCut(this.path, line);
    const base = this.idBase(line.end);
    for (let i = 0; i < events.length; i++) {
      const event = events[i];
      const log = event.log;
      if (isFieldObject(log)) {
        log.file = isFieldObject(log.file) ? { ...log.file, path: this.path } : { path: this.path };
        log.offset = line.start;
      } else event.log = { file: { path: this.path }, offset: line.start };
      if (line.cutFrom !== undefined) addTag(event, TRUNCATED_TAG);
      const id = i === 0 ? `${base}-${line.start}` : `${base}-${line.start}-${i}`;
      const meta = event[METADATA];
      if (isFieldObject(meta)) meta._id = id;
      else event[METADATA] = { _id: id };
    }
    return events;
  }

  private lineToEvents(line: FileLine, out: Event[]): void {
    const from = out.length;
    for (const event of this.decode(line)) out.push(event);
    finishEvents(out, from, this.options.facts);
  }

  /** Stops reading and closes the descriptor; a read still out fails quietly. */
  async close(): Promise<void> {
    this.closed = true;
    this.options.multiline?.forget(this);
    await this.handle.close().catch(() => undefined);
  }
}
