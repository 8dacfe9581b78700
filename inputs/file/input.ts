/**
 * The file input's bookkeeping: which files are open (by device and inode), which identity
 * each one reads (by fingerprint), the checkpoint of every identity, and the loops that find
 * files (`discover_interval`, fs.watch as a hint), watch open ones for growth, truncation and
 * rotation (`stat_interval`), and write the checkpoint (`checkpoint_interval`, and at stop).
 *
 * Rotation by rename: the open file keeps its descriptor and is read to its end, `rotate_wait`
 * past the rename, then closed; the new file at the path is a new identity read from 0.
 * copytruncate: the copy has the fingerprint the file had, so while the original is still
 * open under it the copy waits; once the original shrinks below what was read, it starts over
 * at 0 under a new identity and the copy takes the old one from where reading had got to, so
 * the lines written between our last read and the truncation are read from the copy.
 */
import { watch, type FSWatcher } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { InputMetadata } from '../../pipeline/event.js';
import type { InputContext } from '../../pipeline/plugin.js';
import { errorMessage } from '../../pipeline/errors.js';
import { LINE_CODECS } from '../codecs/index.js';
import { checkpointOf, loadCheckpoints, saveCheckpoints, type FileCheckpoint } from './checkpoints.js';
import type { FileInputConfig } from './config.js';
import { discoverFiles, type FoundFile } from './discover.js';
import { compileGlob, type CompiledGlob } from './glob.js';
import { identityOf, isFullFingerprint, readHead, stillHolds, type Identity } from './identity.js';
import { FileLedger } from './ledger.js';
import { FileMultiline } from './multiline.js';
import { Tailer, type TailerOptions } from './tailer.js';

/** At stop, how long the batches read are given to be acknowledged before the checkpoint is written without them. */
const STOP_ACK_WAIT_MS = 10_000;
/** After a failed batch, the file is read again after this pause, doubled for each failure in a row up to the maximum. */
const ACK_RETRY_FIRST_MS = 500;
const ACK_RETRY_MAX_MS = 30_000;

export class FileTailInput {
  private readonly include: CompiledGlob[];
  private readonly exclude: CompiledGlob[];
  private readonly folder: string;
  /** Loaded checkpoint entries no open file has claimed yet. */
  private readonly stored = new Map<string, FileCheckpoint>();
  /** Every identity met in this run, by key. */
  private readonly ledgers = new Map<string, FileLedger>();
  private readonly owners = new Map<FileLedger, Tailer>();
  /** Open files by `dev:ino`. */
  private readonly tailers = new Map<string, Tailer>();
  /** Files closed at their end, by `dev:ino`, with their size and mtime: not opened again until they change. */
  private readonly finished = new Map<string, string>();
  private readonly reported = new Set<string>();
  private readonly timers: Array<ReturnType<typeof setInterval>> = [];
  private readonly watchers: FSWatcher[] = [];
  private readonly settleWaiters = new Set<() => void>();
  private readonly tailerOptions: TailerOptions;
  private readonly multiline: FileMultiline | undefined;
  private readonly counters;
  private firstStart = false;
  private scanning: Promise<void> | undefined;
  private scanAgain = false;
  private checking = false;
  private storeChanged = false;
  private writing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly config: FileInputConfig, private readonly context: InputContext) {
    const { metrics, id } = context;
    this.include = config.paths.map(compileGlob);
    this.exclude = config.exclude.map(compileGlob);
    this.folder = config.checkpoint_path ?? join(process.cwd(), 'data', 'file', context.pipelineId ?? 'main', id);
    this.counters = {
      bytes: metrics.counter('bytes_in_total', 'Bytes read'),
      decodeFailures: metrics.counter('decode_failures_total', 'Lines that were not valid for the codec (kept, tagged)'),
      truncatedLines: metrics.counter('lines_truncated_total', 'Lines longer than max_line_bytes, cut to it and tagged _line_truncated'),
      truncatedFiles: metrics.counter('files_truncated_total', 'Files that shrank below the offset read (copytruncate): read again from their start'),
      unreadable: metrics.counter('files_unreadable_total', 'Files or folders that could not be read (permissions, I/O errors); logged once per path'),
      opened: metrics.counter('files_opened_total', 'Files opened for reading'),
      ackFailures: metrics.counter('file_ack_failures_total', 'Batches not accepted by the pipeline: their file is read again from its last acknowledged offset'),
    };
    metrics.gauge('files_open', 'Files open for reading', () => this.tailers.size);
    const facts: InputMetadata = { type: 'file', id };
    this.multiline = config.multiline ? new FileMultiline(config.multiline, metrics, facts) : undefined;
    this.tailerOptions = {
      facts,
      codec: LINE_CODECS[config.codec],
      sink: context.sink,
      readBytes: config.read_bytes,
      maxLineBytes: config.max_line_bytes,
      fingerprintBytes: config.fingerprint_bytes,
      multiline: this.multiline,
      onBytes: (count) => this.counters.bytes.inc(count),
      onDecodeFailures: (count) => this.counters.decodeFailures.inc(count),
      onCut: (path, line) => {
        this.counters.truncatedLines.inc();
        context.logger.warn(
          { code: 'SLUICE_LINE_TOO_LONG', path, offset: line.start, bytes: line.cutFrom, max_line_bytes: config.max_line_bytes },
          `line of ${path} at byte ${line.start} is longer than max_line_bytes (${line.cutFrom} > ${config.max_line_bytes} bytes): cut and tagged _line_truncated`,
        );
      },
      onRekey: (tailer, oldKey) => {
        const key = tailer.ledger.identity.key;
        this.ledgers.delete(oldKey);
        this.stored.delete(oldKey);
        this.storeChanged = true;
        if (this.ledgers.has(key) || this.stored.has(key)) {
          // A copy still being written when it was found (copytruncate): opened again by the next search, as the fingerprint's.
          void this.release(tailer);
          void this.scan();
          return false;
        }
        this.ledgers.set(key, tailer.ledger);
        return true;
      },
      onAckFailure: (tailer, reason) => {
        this.counters.ackFailures.inc();
        context.logger.warn({ path: tailer.path, offset: tailer.ledger.acked, reason }, `a batch of ${tailer.path} was not accepted (${reason}): reading it again from byte ${tailer.ledger.acked} after a pause`);
        tailer.restartAt(tailer.ledger.acked);
        const delayMs = Math.min(ACK_RETRY_MAX_MS, ACK_RETRY_FIRST_MS * 2 ** tailer.ackFailures++);
        tailer.pausedUntil = Date.now() + delayMs;
        setTimeout(() => void tailer.pump(), delayMs).unref();
      },
      onTruncated: (tailer) => void this.truncated(tailer),
      onReadError: (tailer, err) => this.report(tailer.path, err as NodeJS.ErrnoException),
      onSettled: () => {
        for (const wake of [...this.settleWaiters]) wake();
      },
    };
  }

  async start(): Promise<void> {
    const loaded = loadCheckpoints(this.folder);
    if (loaded.problem !== undefined) this.context.logger.warn({ folder: this.folder }, `${loaded.problem}: files without a checkpoint are read from their start`);
    for (const [key, entry] of loaded.entries) this.stored.set(key, entry);
    this.firstStart = !loaded.existed;
    await this.scan();
    // Checkpointed at once, so that the offsets of files read from their end survive a crash right after start.
    await this.writeCheckpoints(true);
    this.firstStart = false;
    const { discover_interval, stat_interval, checkpoint_interval } = this.config;
    this.every(discover_interval, () => void this.scan());
    this.every(stat_interval, () => void this.check());
    this.every(checkpoint_interval, () => void this.writeCheckpoints(false));
    for (const folder of new Set(this.include.map((glob) => glob.base))) {
      try {
        // Names appearing or going (`rename`), not writes to the files (`change`: the stat loop sees growth).
        const watcher = watch(folder, (event) => {
          if (event === 'rename') void this.scan();
        });
        watcher.on('error', () => watcher.close());
        this.watchers.push(watcher);
      } catch {
        // A folder that does not exist yet, or no inotify: the interval finds its files.
      }
    }
    this.context.logger.info({ paths: this.config.paths, checkpoint: this.folder, files: this.tailers.size }, `tailing ${this.tailers.size} files`);
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearInterval(timer);
    for (const watcher of this.watchers) watcher.close();
    await this.scanning;
    const tailers = [...this.tailers.values()];
    for (const tailer of tailers) tailer.closed = true;
    const deadline = Date.now() + STOP_ACK_WAIT_MS;
    await this.waitFor(() => tailers.every((tailer) => !tailer.busy), STOP_ACK_WAIT_MS);
    await this.waitFor(() => [...this.ledgers.values()].every((ledger) => ledger.inFlight === 0), Math.max(0, deadline - Date.now()));
    for (const tailer of tailers) await tailer.close();
    this.multiline?.close();
    await this.writeCheckpoints(true);
  }

  private every(seconds: number, run: () => void): void {
    const timer = setInterval(run, Math.max(10, seconds * 1000));
    timer.unref();
    this.timers.push(timer);
  }

  private waitFor(done: () => boolean, timeoutMs: number): Promise<void> {
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const finish = (): void => {
        clearTimeout(timer);
        clearInterval(poll);
        this.settleWaiters.delete(wake);
        resolve();
      };
      const wake = (): void => {
        if (done()) finish();
      };
      const timer = setTimeout(finish, timeoutMs);
      // A read in progress ends without an ack to wake on: looked at now and then too.
      const poll = setInterval(wake, 50);
      this.settleWaiters.add(wake);
    });
  }

  private report(path: string, err: NodeJS.ErrnoException): void {
    if (this.reported.has(path)) return;
    this.reported.add(path);
    this.counters.unreadable.inc();
    this.context.logger.error({ path, reason: err.code ?? err.message }, `cannot read ${path} (${err.code ?? ''} ${err.message}): skipped, the other files go on`);
  }

  /** One search for files; a request during one runs another right after it. */
  private scan(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    if (this.scanning !== undefined) {
      this.scanAgain = true;
      return this.scanning;
    }
    this.scanning = (async () => {
      do {
        this.scanAgain = false;
        const found = await discoverFiles(this.include, this.exclude, (path, err) => this.report(path, err));
        for (const file of found) {
          if (this.stopped) return;
          await this.consider(file);
        }
      } while (this.scanAgain && !this.stopped);
    })()
      .catch((err: unknown) => this.context.logger.error({ err: errorMessage(err) }, 'file discovery failed'))
      .finally(() => {
        this.scanning = undefined;
      });
    return this.scanning;
  }

  private async consider(file: FoundFile): Promise<void> {
    const key = `${file.dev}:${file.ino}`;
    const open = this.tailers.get(key);
    if (open !== undefined) {
      // The same file under a new name (rotated by rename, and the glob matches the new name).
      if (open.path !== file.path) open.path = open.ledger.path = file.path;
      return;
    }
    if (this.finished.get(key) === `${file.size}:${file.mtimeMs}`) return;
    if (this.tailers.size >= this.config.max_open_files) return;
    await this.openFile(file);
  }

  private async openFile(file: FoundFile): Promise<void> {
    let handle;
    try {
      handle = await open(file.path, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') this.report(file.path, err as NodeJS.ErrnoException);
      return;
    }
    try {
      const info = await handle.stat();
      const key = `${info.dev}:${info.ino}`;
      if (this.tailers.has(key)) return void (await handle.close());
      const head = await readHead(handle, this.config.fingerprint_bytes);
      const identity = identityOf(head, info.dev, info.ino, this.config.fingerprint_bytes);
      const ledger = this.ledgerFor(identity, head, file.path, info.dev, info.ino, info.size);
      if (ledger === undefined) return void (await handle.close());
      const tailer = new Tailer(handle, file.path, info.dev, info.ino, ledger, head, info.size, this.tailerOptions);
      this.tailers.set(key, tailer);
      this.owners.set(ledger, tailer);
      this.finished.delete(key);
      this.reported.delete(file.path);
      this.counters.opened.inc();
      this.context.logger.debug({ path: file.path, identity: identity.key, offset: tailer.position }, `reading ${file.path} from byte ${tailer.position}`);
      void tailer.pump();
    } catch (err) {
      await handle.close().catch(() => undefined);
      this.report(file.path, err as NodeJS.ErrnoException);
    }
  }

  /**
   * The ledger a newly opened file reads under: its identity's (met before in this run, or
   * from the checkpoint), or a new one from the end (first start) or from 0. Undefined while
   * another open file reads that identity (a copy made by copytruncate, until the original
   * is truncated).
   */
  private ledgerFor(identity: Identity, head: Buffer, path: string, dev: number, ino: number, size: number): FileLedger | undefined {
    let known = this.ledgers.get(identity.key);
    // A short file's key is its inode: another file on a reused inode is not the one it names.
    if (known !== undefined && !isFullFingerprint(known.identity, this.config.fingerprint_bytes) && !stillHolds(known.identity, head)) known = undefined;
    if (known !== undefined) {
      const owner = this.owners.get(known);
      return owner !== undefined && !owner.closed ? undefined : known;
    }
    const fromStore = this.claimStored(identity, head, dev, ino);
    const ledger = fromStore ?? new FileLedger(identity, { dev, ino }, this.firstStart && this.config.start_position === 'end' ? size : 0, path);
    if (fromStore === undefined) ledger.dirty = true;
    ledger.path = path;
    this.ledgers.set(identity.key, ledger);
    return ledger;
  }

  /** The stored checkpoint of this identity: by fingerprint, or (a short file, or one that grew while sluice was down) by device and inode if its head still holds. */
  private claimStored(identity: Identity, head: Buffer, dev: number, ino: number): FileLedger | undefined {
    const candidates = [identity.key, `dev_inode:${dev}:${ino}`];
    for (const key of candidates) {
      const entry = this.stored.get(key);
      if (entry === undefined) continue;
      if (key.startsWith('dev_inode:') && !stillHolds({ key, prefixBytes: entry.prefix_bytes, prefixHash: entry.prefix_hash }, head)) continue;
      this.stored.delete(key);
      this.storeChanged = true;
      const ledger = new FileLedger(identity, { dev: entry.dev, ino: entry.inode }, entry.offset, entry.path);
      const updated = new Date(entry.updated);
      if (!Number.isNaN(updated.getTime())) ledger.updated = updated;
      return ledger;
    }
    return undefined;
  }

  /** Looks at every open file: grown, shrunk, renamed away, inactive. */
  private async check(): Promise<void> {
    if (this.checking || this.stopped) return;
    this.checking = true;
    try {
      for (const [key, tailer] of this.tailers) {
        if (this.stopped) return;
        await this.checkOne(key, tailer);
      }
    } catch (err) {
      this.context.logger.error({ err: errorMessage(err) }, 'file check failed');
    } finally {
      this.checking = false;
    }
  }

  private async checkOne(key: string, tailer: Tailer): Promise<void> {
    const now = Date.now();
    const info = await tailer.handle.stat();
    // Shrunk, or rewritten from its start faster than we looked (its head is not what it was).
    if (info.size < tailer.position || !stillHolds(tailer.ledger.identity, await readHead(tailer.handle, tailer.ledger.identity.prefixBytes))) return this.truncated(tailer);
    if (info.size > tailer.position) {
      tailer.size = info.size;
      void tailer.pump();
      return;
    }
    if (tailer.rotatedAt === undefined) {
      const atPath = await stat(tailer.path).catch(() => undefined);
      if (atPath === undefined || atPath.ino !== tailer.ino || atPath.dev !== tailer.dev) {
        tailer.rotatedAt = now;
        void this.scan();
      }
    }
    if (tailer.busy) return;
    const rotatedLongAgo = tailer.rotatedAt !== undefined && now - tailer.rotatedAt >= this.config.rotate_wait * 1000;
    if (rotatedLongAgo || now - tailer.lastGrowth >= this.config.close_inactive * 1000) {
      tailer.finishHeld();
      this.tailers.delete(key);
      this.owners.delete(tailer.ledger);
      this.finished.set(key, `${info.size}:${info.mtimeMs}`);
      await tailer.close();
      this.context.logger.debug({ path: tailer.path, rotated: tailer.rotatedAt !== undefined }, `closed ${tailer.path}`);
    }
  }

  /** Closes a file without marking it done: the next search may open it again. */
  private async release(tailer: Tailer): Promise<void> {
    this.tailers.delete(`${tailer.dev}:${tailer.ino}`);
    this.owners.delete(tailer.ledger);
    await tailer.close();
  }

  /** The file shrank below what was read (copytruncate): it is a new identity from 0; the old one is left to the copy. */
  private async truncated(tailer: Tailer): Promise<void> {
    await tailer.idle();
    if (tailer.closed || this.stopped) return;
    const { size } = await tailer.handle.stat();
    // Seen by both the stat loop and a read: the second finds it handled already.
    if (size >= tailer.position && stillHolds(tailer.ledger.identity, await readHead(tailer.handle, tailer.ledger.identity.prefixBytes))) return;
    this.counters.truncatedFiles.inc();
    this.context.logger.warn({ path: tailer.path, size, offset: tailer.position }, `${tailer.path} was truncated (now ${size} bytes, ${tailer.position} were read, or its first bytes changed): reading it again from its start`);
    const old = tailer.ledger;
    this.owners.delete(old);
    this.multiline?.forget(tailer);
    const head = await readHead(tailer.handle, this.config.fingerprint_bytes);
    const identity = identityOf(head, tailer.dev, tailer.ino, this.config.fingerprint_bytes);
    const ledger = new FileLedger(identity, { dev: tailer.dev, ino: tailer.ino }, 0, tailer.path);
    ledger.dirty = true;
    // A file shorter than the fingerprint keeps its device+inode key: its old offsets go (its old lines are gone).
    this.ledgers.set(identity.key, ledger);
    this.owners.set(ledger, tailer);
    tailer.restartAt(0, ledger, head);
    tailer.size = size;
    void tailer.pump();
    void this.scan();
  }

  private async writeCheckpoints(force: boolean): Promise<void> {
    const dirty = this.storeChanged || [...this.ledgers.values()].some((ledger) => ledger.dirty);
    if (!dirty && !force) return;
    const previous = this.writing;
    this.writing = (async () => {
      await previous;
      const entries = new Map(this.stored);
      for (const [key, ledger] of this.ledgers) {
        ledger.dirty = false;
        entries.set(key, checkpointOf(ledger.identity, ledger.acked, ledger.path, ledger.origin.dev, ledger.origin.ino, ledger.updated));
      }
      this.storeChanged = false;
      try {
        await saveCheckpoints(this.folder, entries);
      } catch (err) {
        this.context.logger.error({ folder: this.folder, err: errorMessage(err) }, `cannot write the file checkpoint in ${this.folder}: offsets are kept in memory and written again`);
        this.storeChanged = true;
      }
    })();
    return this.writing;
  }
}
