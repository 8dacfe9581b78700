/**
 * The persisted queue (`pipeline.queue.type: persisted`). Every batch an input pushes becomes one
 * record of the folder's segment log; while the queue has room in memory the events also stay
 * there, so the worker reads them without parsing, and only what overflows memory (or what a
 * restart found on disk) is read back from the segments. Acks follow the kind: `queue` mode acks
 * a batch once a sync covers its record, `end_to_end` once the outputs settled it. Folders left
 * by worker processes that no longer exist (fewer `pipeline.workers` than last run) are adopted
 * and drained first, then removed.
 */
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Batch, BatchOutcome } from '../../batch.js';
import type { Event } from '../../event.js';
import type { Logger } from '../../logger.js';
import type { Metrics } from '../../metrics.js';
import type { AckMode, PipelineQueue, QueueRead } from '../contract.js';
import { concatEvents, type QueueLimits } from '../memory.js';
import { Waiters } from '../waiters.js';
import { BoundedQueue } from '../bounded.js';
import { SegmentLog, type LogOptions, type Position, type RecoveryReport } from './log.js';
import { lockFolderWaiting } from './lock.js';
import { Fifo } from '../fifo.js';

/** Appended bytes not yet written beyond which inputs that can wait are held back: a slow disk must not fill memory instead. */
export const WRITE_BACKLOG_BYTES = 16 * 1024 * 1024;

/**
 * The memory share counts what the events take as objects, estimated from their record's size:
 * python-logstash events of 322 wire bytes take 611 bytes of heap once decoded (and their JSON
 * record is larger than the line). Counting record bytes alone let the share hold twice what
 * `memory_bytes` says.
 */
const HEAP_BYTES_PER_RECORD_BYTE = 2;

/** A process killed a moment ago may still hold its folder while the kernel reaps it (a restart right after kill -9). */
const LOCK_WAIT_MS = 5000;
const NO_EVENTS: Event[] = [];

export interface PersistedQueueOptions extends LogOptions {
  /** The pipeline's queue folder; this process uses `<path>/<index>`. */
  path: string;
  /** This process's share: which worker of how many. */
  index: number;
  count: number;
  /** Bytes of unacknowledged records on disk beyond which inputs are pushed back. */
  maxBytes: number;
  /** What is kept in memory besides the disk (and the most handed out at once). */
  memory: QueueLimits;
}

interface HeldRecord {
  log: SegmentLog;
  seq: number;
  count: number;
  bytes: number;
  events: Event[];
  acks: Array<(outcome: BatchOutcome) => void> | undefined;
}

export class PersistedQueue extends BoundedQueue implements PipelineQueue {
  readonly kind = 'persisted';
  private own: SegmentLog | undefined;
  private adopted: SegmentLog[] = [];
  /** Records kept in memory, in order. */
  private readonly memory = new Fifo<HeldRecord>();
  private memoryEvents = 0;
  private memoryBytes = 0;
  /** Set when a record did not fit in memory: from there on, reads come from disk until they catch up. */
  private spill: Position | undefined;
  /** Ack callbacks of spilled records (end_to_end), by seq. */
  private readonly spilledAcks = new Map<number, Array<(outcome: BatchOutcome) => void>>();
  private inFlightEvents = 0;
  /** Events pushed or recovered and not yet handed out. */
  private waiting = 0;
  private reading = false;
  private readonly readable = new Waiters();
  private readonly empty = new Waiters();
  readonly recovered: RecoveryReport[] = [];

  constructor(
    private readonly options: PersistedQueueOptions,
    readonly ackMode: AckMode,
    private readonly logger: Logger,
  ) {
    super();
  }

  get folder(): string {
    return join(this.options.path, String(this.options.index));
  }

  async open(): Promise<void> {
    const { path, index, count } = this.options;
    for (const other of workerFolders(path)) {
      if (other >= count && other % count === index) this.adopted.push(await this.openLog(join(path, String(other))));
    }
    this.own = await this.openLog(this.folder);
    this.own.afterWrite = () => this.wakeWritersIfRoom();
    if (this.own.recovery.pendingEvents > 0) this.spill = this.own.cursor;
    for (const log of [...this.adopted, this.own]) this.waiting += log.recovery.pendingEvents;
  }

  private async openLog(folder: string): Promise<SegmentLog> {
    mkdirSync(folder, { recursive: true });
    const unlock = await lockFolderWaiting(folder, LOCK_WAIT_MS);
    let log: SegmentLog;
    try {
      log = new SegmentLog(folder, this.options, this.logger, unlock);
    } catch (err) {
      unlock();
      throw err;
    }
    const report = log.recovery;
    this.recovered.push(report);
    const facts = { folder, pending_events: report.pendingEvents, lost_events: report.lostEvents, set_aside: report.setAside, cut_bytes: report.cutBytes };
    if (report.lostEvents > 0 || report.unknownLosses > 0 || report.setAside.length > 0 || report.checkpointProblem) {
      this.logger.error({ code: 'SLUICE_QUEUE_DAMAGED', ...facts, damaged_stretches_of_unknown_size: report.unknownLosses, checkpoint: report.checkpointProblem }, 'persisted queue was damaged: recovered what was intact');
    } else if (report.pendingEvents > 0 || report.cutBytes > 0) {
      this.logger.info(facts, 'persisted queue recovered: delivering what was not acknowledged');
    }
    return log;
  }

  /** The folder's own log (tests and the status command look at its durability). */
  get ownLog(): SegmentLog | undefined {
    return this.own;
  }

  private get log(): SegmentLog {
    if (!this.own) throw new Error('persisted queue used before open()');
    return this.own;
  }

  /** Every log this queue reads: adopted folders first, then its own (none before open()). */
  private get logs(): SegmentLog[] {
    return this.own ? [...this.adopted, this.own] : this.adopted;
  }

  get events(): number {
    return this.logs.reduce((total, log) => total + log.pendingEvents, 0);
  }

  get bytes(): number {
    return this.logs.reduce((total, log) => total + log.unackedBytes, 0);
  }

  registerMetrics(metrics: Metrics): void {
    const recovered = (key: 'lostEvents' | 'unknownLosses' | 'pendingEvents') => () => this.recovered.reduce((sum, r) => sum + r[key], 0);
    metrics.gauge('queue_recovery_lost_events', 'Events the persisted queue found damaged on disk at start (set aside, not delivered)', recovered('lostEvents'));
    metrics.gauge('queue_recovery_damaged_unknown', 'Damaged stretches at start whose event count could not be told', recovered('unknownLosses'));
    metrics.gauge('queue_recovery_replayed_events', 'Unacknowledged events the persisted queue found at start and delivers again', recovered('pendingEvents'));
  }

  get depth(): number {
    return this.waiting;
  }

  /** No more room on disk (max_bytes of unacknowledged records), or the disk cannot be written. */
  /** No more room on disk, the disk cannot be written, or the queue is not open yet. */
  private get diskFull(): boolean {
    return !this.own || this.own.unackedBytes >= this.options.maxBytes || this.own.broken !== undefined;
  }

  /**
   * Inputs that can wait are held back at the memory share unless the outputs are what holds the
   * worker up (all its in-flight room taken: an engine down or slow). A worker that is busy
   * filtering gains nothing from a backlog on disk, and reading it back would cost a parse per
   * event; a stalled output is what the disk is for.
   */
  get full(): boolean {
    if (this.diskFull || this.log.unwrittenBytes >= WRITE_BACKLOG_BYTES) return true;
    const memoryFull = this.spill !== undefined || this.memoryEvents >= this.options.memory.maxEvents || this.memoryBytes >= this.options.memory.maxBytes;
    return memoryFull && this.inFlightEvents < this.options.memory.maxEvents;
  }

  /** UDP cannot wait: what does not fit in memory waits on disk rather than being dropped. */
  override tryPush(batch: Batch): boolean {
    if (this.closed || this.diskFull) return false;
    this.push(batch);
    return true;
  }

  private wakeWritersIfRoom(): void {
    if (this.writable.any && !this.full) this.writable.wakeAll();
  }

  push(batch: Batch): boolean {
    const count = batch.events.length;
    if (this.closed || !this.own || this.own.broken) {
      batch.ack?.({ ok: false, reason: this.closed ? 'pipeline is shutting down' : this.own ? 'persisted queue cannot write' : 'persisted queue not open' });
      return false;
    }
    if (count === 0) {
      batch.ack?.({ ok: true });
      return !this.full;
    }
    const { seq, bytes, position } = this.log.append(batch.events, batch.source);
    this.waiting += count;
    const ack = batch.ack;
    if (ack && this.ackMode === 'queue') this.log.whenSynced(seq + count, () => ack({ ok: true }));
    const acks = ack && this.ackMode === 'end_to_end' ? [ack] : undefined;
    // Inputs are told to wait at the share; what they had already read still goes to memory, up to twice the share.
    const fits = this.memoryEvents < 2 * this.options.memory.maxEvents && this.memoryBytes < 2 * this.options.memory.maxBytes;
    if (this.spill === undefined && fits) {
      this.memory.push({ log: this.log, seq, count, bytes, events: batch.events, acks });
      this.memoryEvents += count;
      this.memoryBytes += bytes * HEAP_BYTES_PER_RECORD_BYTE;
    } else {
      this.spill ??= position;
      if (acks) this.spilledAcks.set(seq, acks);
    }
    this.readable.wakeAll();
    return !this.full;
  }

  async read(maxEvents: number): Promise<QueueRead | undefined> {
    // One reader at a time: records leave in seq order.
    while (this.reading) await this.readable.wait();
    this.reading = true;
    try {
      for (;;) {
        if (this.closed) return undefined;
        if (this.inFlightEvents < this.options.memory.maxEvents) {
          const records = await this.take(maxEvents);
          if (records.length > 0) return this.handOut(records);
        }
        await this.readable.wait();
      }
    } finally {
      this.reading = false;
      this.readable.wakeAll();
    }
  }

  /** The next records in order: adopted folders first, then memory, then what spilled to disk. */
  private async take(maxEvents: number): Promise<HeldRecord[]> {
    while (this.adopted.length > 0) {
      const log = this.adopted[0];
      const records = log.readRecords(maxEvents);
      if (records.length > 0) return records.map((r) => ({ ...r, log, acks: undefined }));
      if (log.pendingEvents > 0) return [];
      await this.retire(log);
    }
    if (this.memory.length > 0) return this.takeFromMemory(maxEvents);
    if (this.spill === undefined) return [];
    const log = this.log;
    // Records before the spill point were handed out from memory without moving the disk cursor.
    if (log.cursor.seq < this.spill.seq) log.seek(this.spill);
    const records = log.readRecords(maxEvents);
    if (records.length > 0) {
      this.spill = log.cursor;
      return records.map((r) => {
        const acks = this.spilledAcks.get(r.seq);
        if (acks) this.spilledAcks.delete(r.seq);
        return { ...r, log, acks };
      });
    }
    if (log.cursor.seq >= log.nextSeq) {
      // Caught up with the writer: new records stay in memory again (and a stretch skipped as damaged is not waited for).
      this.spill = undefined;
      this.wakeWritersIfRoom();
      if (this.memory.length === 0) this.waiting = 0;
      return [];
    }
    await log.whenWritten();
    return this.take(maxEvents);
  }

  private takeFromMemory(maxEvents: number): HeldRecord[] {
    const out = this.memory.takeUpTo(maxEvents, (record) => record.count);
    for (const record of out) {
      this.memoryEvents -= record.count;
      this.memoryBytes -= record.bytes * HEAP_BYTES_PER_RECORD_BYTE;
    }
    this.wakeWritersIfRoom();
    return out;
  }

  private handOut(records: HeldRecord[]): QueueRead {
    let count = 0;
    for (const record of records) {
      count += record.count;
      record.log.taken(record.seq, record.seq + record.count, record.bytes);
    }
    this.inFlightEvents += count;
    this.waiting = Math.max(0, this.waiting - count);
    const events = records.length === 1 ? records[0].events : concatEvents(records, count);
    // done() keeps the records for their place in the log and their acks, not their events: those are the outputs' to let go.
    for (const record of records) record.events = NO_EVENTS;
    let settled = false;
    return {
      events,
      done: (outcome) => {
        if (settled) return;
        settled = true;
        this.inFlightEvents -= count;
        // At shutdown an output gives up on what it could not deliver: it stays on disk for the next start.
        const keep = !outcome.ok && this.closed;
        for (const record of records) {
          if (!keep) record.log.ack(record.seq);
          if (record.acks) for (const ack of record.acks) ack(outcome);
        }
        this.wakeWritersIfRoom();
        if (this.inFlightEvents === 0) this.empty.wakeAll();
        this.readable.wakeAll();
      },
    };
  }

  /** An adopted folder is drained and acknowledged: it goes. */
  private async retire(log: SegmentLog): Promise<void> {
    this.adopted.shift();
    await log.close();
    rmSync(log.folder, { recursive: true, force: true });
    this.logger.info({ folder: log.folder }, 'queue folder of a former worker process drained and removed');
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.readable.wakeAll();
    this.writable.wakeAll();
  }

  whenEmpty(): Promise<void> {
    if (this.inFlightEvents === 0 && this.depth === 0) return Promise.resolve();
    return this.empty.wait();
  }

  async shutdown(): Promise<void> {
    this.close();
    for (const log of this.adopted) await log.close();
    await this.own?.close();
  }
}

/** Worker folders (`0`, `1`, ...) under a pipeline's queue path. */
export function workerFolders(path: string): number[] {
  try {
    return readdirSync(path, { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && /^\d+$/.test(entry.name))
      .map((entry) => Number(entry.name))
      .sort((a, b) => a - b);
  } catch {
    return [];
  }
}
