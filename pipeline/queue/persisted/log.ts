/**
 * One queue folder as an append-only log of segment files. Appends are gathered and written
 * with one writev per turn of the event loop; `fdatasync` follows per the sync policy (group
 * commit), and whoever waits for a record to be durable is told once a sync covers it. Records
 * are read back from disk only when the queue spilled (more than it keeps in memory) or after a
 * restart. The acknowledged prefix is checkpointed atomically, and segments wholly below it are
 * deleted.
 */
import { close, closeSync, fdatasync, openSync, readSync, unlink, unlinkSync, writev, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Event } from '../../event.js';
import type { BatchSource } from '../../batch.js';
import { readPayload } from './recording.js';
import type { Logger } from '../../logger.js';
import { QueueError, errorMessage } from '../../errors.js';
import { checkRecord, readHeader, RecordEncoder, MAX_RECORD_BYTES, RECORD_HEADER_BYTES, SEGMENT_HEADER_BYTES, SEGMENT_MAGIC } from './record.js';
import { repairFolder, scanFolder, segmentName, type FolderScan } from './scan.js';
import { writeCheckpoint } from './checkpoint.js';
import { fsyncDirectory } from './fsync.js';

export type SyncPolicy = 'interval' | 'batch';

export interface LogOptions {
  segmentBytes: number;
  sync: SyncPolicy;
  syncIntervalMs: number;
}

interface Segment {
  id: number;
  path: string;
  /** Bytes written to the file so far (what a reader may read). */
  written: number;
  /** Bytes the file will hold once pending writes land. */
  planned: number;
  endSeq: number;
  fd: number | undefined;
}

export interface DiskRecord {
  seq: number;
  count: number;
  bytes: number;
  events: Event[];
}

interface PendingWrite {
  segment: Segment;
  buffers: Buffer[];
  endSeq: number;
}

export interface Position {
  segment: number;
  offset: number;
  seq: number;
}

export interface RecoveryReport {
  pendingEvents: number;
  lostEvents: number;
  unknownLosses: number;
  setAside: string[];
  cutBytes: number;
  checkpointProblem: string | undefined;
}

const READ_CHUNK = 4 * 1024 * 1024;
/**
 * With `sync: interval`, how often the acknowledged position is checkpointed while it moves. Each
 * checkpoint is four file operations and two syncs; written back to back they cost the event
 * loop a few percent, and a crash replays at most this much more (ids make it invisible).
 */
const CHECKPOINT_INTERVAL_MS = 1000;

export class SegmentLog {
  private readonly segments: Segment[] = [];
  private pending: Buffer[] = [];
  private readonly encoder = new RecordEncoder();
  private pendingSegment: Segment | undefined;
  private pendingEndSeq = 0;
  private writeScheduled = false;
  /** Appended records waiting for the write in flight, grouped by segment. */
  private unwritten: PendingWrite[] = [];
  private writing = false;
  private chain: Promise<void> = Promise.resolve();
  /** Syncs run beside the writes, not between them: a write need not wait for the previous sync. */
  private syncChain: Promise<void> = Promise.resolve();
  private syncing = false;
  private syncTimer: NodeJS.Timeout | undefined;
  private syncWaiters: Array<{ seq: number; wake: () => void }> = [];
  private writtenWaiters: Array<() => void> = [];
  private readonly inflight: Array<{ start: number; end: number; bytes: number; done: boolean }> = [];
  private checkpointRun: Promise<void> | undefined;
  private readonly deletions = new Set<Promise<void>>();
  private lastChunk: { segment: number; offset: number; bytes: Buffer } | undefined;
  private failed: Error | undefined;
  private readonly unlock: () => void;
  nextSeq = 0;
  writtenSeq = 0;
  syncedSeq = 0;
  ackedSeq = 0;
  private checkpointedSeq = 0;
  private checkpointedAt = 0;
  /** What the last completed sync covers: the head segment up to this offset (earlier segments whole). */
  durable: { segment: number; offset: number } = { segment: 0, offset: 0 };
  /** Bytes of records not yet acknowledged: what counts against max_bytes. */
  unackedBytes = 0;
  /** Bytes appended and not yet written: held in memory (received lines included) until their writev lands. */
  unwrittenBytes = 0;
  /** Called after each write lands (the queue wakes inputs it held back for the writes to catch up). */
  afterWrite: (() => void) | undefined;
  /** Where disk reads continue. */
  cursor: Position;
  readonly recovery: RecoveryReport;

  /** Opens a folder whose lock the caller holds (see lockFolderWaiting). */
  constructor(
    readonly folder: string,
    private readonly options: LogOptions,
    private readonly logger: Logger,
    unlock: () => void,
  ) {
    this.unlock = unlock;
    const scan = repairFolder(folder, scanFolder(folder));
    this.recovery = this.adopt(scan);
    this.cursor = this.positionOf(this.ackedSeq);
    this.unackedBytes = 0;
    for (const segment of this.segments) {
      if (segment.id > this.cursor.segment) this.unackedBytes += segment.written - SEGMENT_HEADER_BYTES;
      else if (segment.id === this.cursor.segment) this.unackedBytes += segment.written - this.cursor.offset;
    }
    if (options.sync === 'interval') {
      this.syncTimer = setInterval(() => this.scheduleSync(), options.syncIntervalMs);
      this.syncTimer.unref();
    }
  }

  /** Builds the in-memory picture from what the scan found and repaired. */
  private adopt(scan: FolderScan): RecoveryReport {
    const first = scan.segments.find((s) => s.firstSeq !== undefined)?.firstSeq;
    const last = [...scan.segments].reverse().find((s) => s.endSeq !== undefined)?.endSeq;
    this.nextSeq = last ?? scan.checkpoint?.ackedSeq ?? 0;
    // A checkpoint beyond what is on disk (segments set aside) or before it (deleted ones) is clamped.
    const acked = Math.min(Math.max(scan.checkpoint?.ackedSeq ?? first ?? 0, first ?? 0), this.nextSeq);
    this.ackedSeq = this.checkpointedSeq = acked;
    this.writtenSeq = this.syncedSeq = this.nextSeq;
    let cutBytes = 0;
    const kept = scan.segments.filter((segment) => !segment.removed);
    for (const s of kept) {
      for (const d of s.damage) if (s.tornTail && d === s.damage[s.damage.length - 1]) cutBytes += d.bytes;
      const endSeq = s.endSeq ?? this.segments[this.segments.length - 1]?.endSeq ?? acked;
      if (s.size === 0 || (endSeq <= acked && s !== kept[kept.length - 1])) {
        // Wholly acknowledged before the crash; its deletion had not happened yet.
        try {
          unlinkSync(s.path);
        } catch {
          // set aside or already gone
        }
        continue;
      }
      this.segments.push({ id: s.id, path: s.path, written: s.size, planned: s.size, endSeq, fd: undefined });
    }
    return {
      pendingEvents: kept.reduce((sum, segment) => sum + segment.pending, 0),
      lostEvents: scan.lostEvents,
      unknownLosses: scan.unknownLosses,
      setAside: scan.setAside,
      cutBytes,
      checkpointProblem: scan.checkpointProblem,
    };
  }

  /** The disk position of the first record at or after `seq`, found by reading the segment headers. */
  private positionOf(seq: number): Position {
    for (const segment of this.segments) {
      if (segment.endSeq <= seq) continue;
      let offset = SEGMENT_HEADER_BYTES;
      const fd = openSync(segment.path, 'r');
      try {
        const header = Buffer.alloc(RECORD_HEADER_BYTES);
        while (offset + RECORD_HEADER_BYTES <= segment.written) {
          readSync(fd, header, 0, RECORD_HEADER_BYTES, offset);
          const record = readHeader(header, 0);
          if (record.seq + record.count > seq) return { segment: segment.id, offset, seq: record.seq };
          offset += RECORD_HEADER_BYTES + record.length;
        }
      } finally {
        closeSync(fd);
      }
    }
    const head = this.segments[this.segments.length - 1];
    return { segment: head?.id ?? 0, offset: head?.written ?? SEGMENT_HEADER_BYTES, seq: this.nextSeq };
  }

  get pendingEvents(): number {
    return this.nextSeq - this.ackedSeq;
  }

  /** Queues a record for writing (the input's recording when there is one, else the events' JSON); returns its seq and where it will lie. */
  append(events: Event[], source: BatchSource | undefined): { seq: number; bytes: number; position: Position } {
    if (this.failed) throw this.failed;
    const seq = this.nextSeq;
    const count = events.length;
    const record = (source && this.encoder.encodeRecording(seq, count, source)) ?? this.encoder.encode(seq, count, JSON.stringify(events));
    if (record.length > MAX_RECORD_BYTES) throw new QueueError('SLUICE_QUEUE_IO', `a batch of ${record.length} bytes is larger than a record may be`, { folder: this.folder });
    let head = this.segments[this.segments.length - 1];
    if (!head || (head.planned > SEGMENT_HEADER_BYTES && head.planned + record.length > this.options.segmentBytes)) {
      head = this.createSegment((head?.id ?? 0) + 1);
    }
    const position = { segment: head.id, offset: head.planned, seq };
    if (this.pendingSegment !== head) {
      this.flushPending();
      this.pendingSegment = head;
    }
    this.pending.push(record);
    head.planned += record.length;
    this.unwrittenBytes += record.length;
    head.endSeq = seq + count;
    this.nextSeq = seq + count;
    this.pendingEndSeq = this.nextSeq;
    this.unackedBytes += record.length;
    if (!this.writeScheduled) {
      this.writeScheduled = true;
      setImmediate(() => this.flushPending());
    }
    return { seq, bytes: record.length, position };
  }

  private createSegment(id: number): Segment {
    const path = join(this.folder, segmentName(id));
    const fd = openSync(path, 'wx+');
    writeSync(fd, SEGMENT_MAGIC);
    fsyncDirectory(this.folder);
    const segment: Segment = { id, path, written: SEGMENT_HEADER_BYTES, planned: SEGMENT_HEADER_BYTES, endSeq: this.nextSeq, fd };
    this.segments.push(segment);
    return segment;
  }

  /**
   * Hands what was appended to the writer. One write is in flight at a time; what is appended
   * meanwhile waits and goes in the next writev, so a disk slower than a turn of the event loop
   * gets fewer, larger writes rather than a queue of small ones.
   */
  private flushPending(): void {
    this.writeScheduled = false;
    const segment = this.pendingSegment;
    if (segment && this.pending.length > 0) {
      const last = this.unwritten[this.unwritten.length - 1];
      if (last?.segment === segment) {
        for (const buffer of this.pending) last.buffers.push(buffer);
        last.endSeq = this.pendingEndSeq;
      } else {
        this.unwritten.push({ segment, buffers: this.pending, endSeq: this.pendingEndSeq });
      }
      this.pending = [];
    }
    if (this.writing || this.unwritten.length === 0) return;
    const { segment: target, buffers, endSeq } = this.unwritten.shift() as PendingWrite;
    this.writing = true;
    this.chain = this.chain
      .then(() => this.write(target, buffers))
      .then(
        () => {
          this.writtenSeq = endSeq;
          this.wakeWritten();
          this.afterWrite?.();
          if (this.syncNow) this.scheduleSync();
        },
        (err: unknown) => this.fail(err),
      )
      .finally(() => {
        this.writing = false;
        this.flushPending();
      });
  }

  private write(segment: Segment, buffers: Buffer[]): Promise<void> {
    // Every earlier segment was synced when the next one was first written: unsynced data is only ever in the head.
    const previous = this.segments[this.segments.indexOf(segment) - 1];
    const syncPrevious = previous?.fd !== undefined ? this.closeSegment(previous) : Promise.resolve();
    return syncPrevious.then(
      () =>
        new Promise<void>((resolve, reject) => {
          const fd = segment.fd ?? (segment.fd = openSync(segment.path, 'r+'));
          writev(fd, buffers, segment.written, (err, written) => {
            if (err) return reject(err);
            segment.written += written;
            this.unwrittenBytes -= written;
            this.encoder.written(buffers[buffers.length - 1]);
            resolve();
          });
        }),
    );
  }

  private closeSegment(segment: Segment): Promise<void> {
    const fd = segment.fd as number;
    segment.fd = undefined;
    return new Promise((resolve, reject) =>
      fdatasync(fd, (err) => {
        close(fd, () => (err ? reject(err) : resolve()));
      }),
    );
  }

  private fail(err: unknown): void {
    this.failed ??= new QueueError('SLUICE_QUEUE_IO', `persisted queue ${this.folder}: ${errorMessage(err)}`, { folder: this.folder });
    this.logger.error({ code: 'SLUICE_QUEUE_IO', folder: this.folder, err: errorMessage(err) }, 'persisted queue cannot write: inputs are refused until restart');
  }

  get broken(): Error | undefined {
    return this.failed;
  }

  /** Group commit: one fdatasync covers every record written before it started. */
  private scheduleSync(): void {
    if (this.writtenSeq > this.syncedSeq && !this.syncing) {
      const target = this.writtenSeq;
      const head = this.segments[this.segments.length - 1];
      const covered = { segment: head.id, offset: head.written };
      const fd = head.fd;
      this.syncing = true;
      this.syncChain = this.syncChain
        .then(() => this.syncFd(head, fd))
        .then(
          () => {
            if (target > this.syncedSeq) this.syncedSeq = target;
            this.durable = covered;
            this.wakeSynced();
          },
          (err: unknown) => this.fail(err),
        )
        .finally(() => {
          this.syncing = false;
          // Writes that landed while this sync ran: batch mode syncs them now, interval mode at the next tick.
          if (this.syncNow && this.writtenSeq > this.syncedSeq) this.scheduleSync();
        });
    }
    if (this.ackedSeq > this.checkpointedSeq && Date.now() - this.checkpointedAt >= CHECKPOINT_INTERVAL_MS) void this.checkpoint(false);
  }

  private syncFd(segment: Segment, fd: number | undefined): Promise<void> {
    // A segment closed since (rolled over) was synced by closeSegment before its fd was let go.
    if (fd === undefined || segment.fd !== fd) return Promise.resolve();
    return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
  }

  /**
   * Sync as soon as a write lands: always with `sync: batch`, and with `interval` whenever an input
   * waits for the ack (Beats): its window must not wait for the timer. Syncs that overlap writes
   * gather them (group commit).
   */
  private get syncNow(): boolean {
    return this.options.sync === 'batch' || this.syncWaiters.length > 0;
  }

  /** Calls `wake` once every event below `seq` is durable per the sync policy. */
  whenSynced(seq: number, wake: () => void): void {
    if (seq <= this.syncedSeq) return wake();
    this.syncWaiters.push({ seq, wake });
  }

  private wakeSynced(): void {
    let i = 0;
    while (i < this.syncWaiters.length && this.syncWaiters[i].seq <= this.syncedSeq) this.syncWaiters[i++].wake();
    if (i > 0) this.syncWaiters.splice(0, i);
  }

  /** Resolves after the next write lands (a reader caught up with the writer waits here). */
  whenWritten(): Promise<void> {
    if (this.writtenSeq >= this.nextSeq) return Promise.resolve();
    return new Promise((resolve) => this.writtenWaiters.push(resolve));
  }

  private wakeWritten(): void {
    const waiters = this.writtenWaiters;
    this.writtenWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Reads whole records from the cursor on, up to about `maxEvents`, from what is already written. */
  readRecords(maxEvents: number): DiskRecord[] {
    const out: DiskRecord[] = [];
    let events = 0;
    while (events < maxEvents) {
      const index = this.segments.findIndex((s) => s.id >= this.cursor.segment);
      const segment = this.segments[index];
      if (!segment) break;
      if (segment.id !== this.cursor.segment) this.cursor = { segment: segment.id, offset: SEGMENT_HEADER_BYTES, seq: this.cursor.seq };
      if (this.cursor.offset >= segment.written) {
        const next = this.segments[index + 1];
        if (!next || segment.planned > segment.written) break;
        this.cursor = { segment: next.id, offset: SEGMENT_HEADER_BYTES, seq: this.cursor.seq };
        continue;
      }
      const chunk = this.readChunk(segment, this.cursor.offset);
      let offset = 0;
      while (offset < chunk.length && events < maxEvents) {
        const check = checkRecord(chunk, offset);
        if (check.kind === 'short') break;
        if (check.kind === 'corrupt') {
          // Good at start-up or written by us: the disk changed under us. Skip the rest of this segment.
          this.logger.error({ code: 'SLUICE_QUEUE_DAMAGED', segment: segment.path, offset: this.cursor.offset + offset, why: check.why }, 'persisted queue record damaged while reading; rest of the segment skipped');
          offset = segment.written - this.cursor.offset;
          break;
        }
        const { header } = check;
        const events_ = this.decode(chunk, offset + RECORD_HEADER_BYTES, check.end, header.count, segment.path, this.cursor.offset + offset);
        out.push({ seq: header.seq, count: header.count, bytes: check.end - offset, events: events_ });
        events += header.count;
        offset = check.end;
        this.cursor = { segment: segment.id, offset: this.cursor.offset, seq: header.seq + header.count };
      }
      if (offset === 0) break;
      this.cursor = { ...this.cursor, offset: this.cursor.offset + offset };
    }
    return out;
  }

  /** A checksummed payload that does not decode (a form from a newer version, a replay that disagrees) is logged with what it held. */
  private decode(bytes: Buffer, start: number, end: number, count: number, segment: string, offset: number): Event[] {
    let events: Event[];
    try {
      events = readPayload(bytes, start, end);
    } catch (err) {
      this.logger.error({ code: 'SLUICE_QUEUE_DAMAGED', segment, offset, lost_events: count, err: errorMessage(err) }, 'persisted queue record could not be decoded; its events are lost');
      return [];
    }
    if (events.length !== count) {
      this.logger.error({ code: 'SLUICE_QUEUE_DAMAGED', segment, offset, events: count, decoded: events.length }, 'persisted queue record decoded to a different number of events than it was written with');
    }
    return events;
  }

  /**
   * From `offset` on, at least the whole record there (or what the segment holds). The last chunk
   * read is kept: a read of N events takes a few hundred KiB of a 4 MiB chunk, and reading it
   * again for each read doubled the time to read back a full queue.
   */
  private readChunk(segment: Segment, offset: number): Buffer {
    const cached = this.lastChunk;
    if (cached && cached.segment === segment.id && offset >= cached.offset && offset < cached.offset + cached.bytes.length) {
      const view = cached.bytes.subarray(offset - cached.offset);
      if (view.length >= RECORD_HEADER_BYTES && view.length >= RECORD_HEADER_BYTES + view.readUInt32LE(0)) return view;
    }
    const chunk = this.readFresh(segment, offset);
    this.lastChunk = { segment: segment.id, offset, bytes: chunk };
    return chunk;
  }

  private readFresh(segment: Segment, offset: number): Buffer {
    const fd = segment.fd ?? openSync(segment.path, 'r');
    try {
      const available = segment.written - offset;
      const header = Buffer.alloc(RECORD_HEADER_BYTES);
      if (available >= RECORD_HEADER_BYTES) readSync(fd, header, 0, RECORD_HEADER_BYTES, offset);
      const first = available >= RECORD_HEADER_BYTES ? RECORD_HEADER_BYTES + header.readUInt32LE(0) : available;
      const size = Math.min(available, Math.max(READ_CHUNK, first));
      const chunk = Buffer.allocUnsafe(size);
      let read = 0;
      while (read < size) {
        const n = readSync(fd, chunk, read, size - read, offset + read);
        if (n === 0) break;
        read += n;
      }
      return chunk.subarray(0, read);
    } finally {
      if (segment.fd === undefined) closeSync(fd);
    }
  }

  /** Points disk reads at a position (the first record the queue did not keep in memory). */
  seek(position: Position): void {
    this.cursor = position;
  }

  /** The reader took records [start, end). */
  taken(start: number, end: number, bytes: number): void {
    this.inflight.push({ start, end, bytes, done: false });
  }

  /** Records [start, end) have their final fate; the acknowledged prefix moves on when it can. */
  ack(start: number): void {
    const entry = this.inflight.find((e) => e.start === start && !e.done);
    if (!entry) return;
    entry.done = true;
    let popped = 0;
    while (popped < this.inflight.length && this.inflight[popped].done) {
      const head = this.inflight[popped++];
      this.ackedSeq = head.end;
      this.unackedBytes -= head.bytes;
    }
    if (popped > 0) this.inflight.splice(0, popped);
    if (this.options.sync === 'batch' && this.ackedSeq > this.checkpointedSeq) void this.checkpoint();
  }

  /** Writes the checkpoint (again until it is current, with `untilCurrent`); concurrent callers share the one run. */
  private checkpoint(untilCurrent = true): Promise<void> {
    this.checkpointRun ??= this.writeCheckpoints(untilCurrent).finally(() => {
      this.checkpointRun = undefined;
    });
    return this.checkpointRun;
  }

  private async writeCheckpoints(untilCurrent: boolean): Promise<void> {
    try {
      do {
        const target = this.ackedSeq;
        this.checkpointedAt = Date.now();
        await writeCheckpoint(this.folder, { ackedSeq: target });
        this.checkpointedSeq = target;
        this.deleteAckedSegments();
      } while (untilCurrent && this.ackedSeq > this.checkpointedSeq);
    } catch (err) {
      this.logger.error({ code: 'SLUICE_QUEUE_IO', folder: this.folder, err: errorMessage(err) }, 'persisted queue checkpoint failed; retried at the next sync');
    }
  }

  /** Off the event loop: freeing a large file's blocks took the loop a few percent of its time. */
  private deleteAckedSegments(): void {
    while (this.segments.length > 1 && this.segments[0].endSeq <= this.checkpointedSeq && this.segments[0].fd === undefined) {
      const segment = this.segments.shift() as Segment;
      const deletion = new Promise<void>((resolve) =>
        unlink(segment.path, (err) => {
          if (err) this.logger.warn({ segment: segment.path, err: errorMessage(err) }, 'acknowledged segment not deleted');
          this.deletions.delete(deletion);
          resolve();
        }),
      );
      this.deletions.add(deletion);
    }
  }

  /** Everything written and synced, the checkpoint current, files closed, the folder unlocked. */
  async close(): Promise<void> {
    if (this.syncTimer) clearInterval(this.syncTimer);
    this.flushPending();
    while (this.writing) await this.chain;
    await this.syncChain;
    this.scheduleSync();
    await this.syncChain;
    await this.checkpoint();
    // A periodic run that was under way stopped short of what was acknowledged since.
    if (this.ackedSeq > this.checkpointedSeq) await this.checkpoint();
    for (const segment of this.segments) if (segment.fd !== undefined) await this.closeSegment(segment).catch(() => undefined);
    this.deleteAckedSegments();
    await Promise.all([...this.deletions]);
    this.unlock();
  }
}
