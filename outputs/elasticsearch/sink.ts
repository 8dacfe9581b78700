/**
 * The Elasticsearch sink: events are encoded once into bulk items, gathered into requests
 * bounded by count, bytes and time, sent with a bounded number in flight, and followed until
 * each has a final fate. Only failed items are retried; rejected ones go to the dead letter
 * file; on shutdown, what the engine has not taken by the deadline is counted as dropped.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import type { DeliveryReport, Output, PluginContext } from '../../pipeline/plugin.js';
import type { Event } from '../../pipeline/event.js';
import { errorMessage, SluiceError } from '../../pipeline/errors.js';
import type { Counter } from '../../pipeline/metrics.js';
import type { ElasticsearchOutputConfig } from './config.js';
import { BulkEncoder } from './encoder.js';
import { BulkBody, contiguous, type BodyBytes } from './body.js';
import { JobItems, type BulkJob, type CallRun } from './job.js';
import { bulkVerdicts, repliedAllTaken, takenWhole, type BulkOutcome, type BulkResponseBody, type Verdict } from './retry.js';
import { backoffDelay, type BackoffPolicy } from '../delivery/backoff.js';
import { HostPool, redactUrl, type Host } from './hosts.js';
import { engineFromReply, type EngineInfo } from './detect.js';
import { templateRequest } from './template.js';
import type { DeadLetter, DeadLetterFile } from '../delivery/dead_letter.js';
import { openDeadLetterFile } from '../delivery/config.js';
import { SendCall, settleAll, type Settleable } from '../delivery/settlement.js';
import { GiveUp } from '../delivery/give_up.js';
import { InFlightSlots } from '../delivery/slots.js';
import { ShipRule } from '../delivery/batcher.js';
import { deadLetterOrDrop, dropAtShutdown } from '../delivery/rejected.js';
import { Throttle } from '../../pipeline/throttled_report.js';

const gzip = promisify(gzipCallback);

/** Most UTF-16 units of items joined before they are written into the body (~80 events of the bench). */
const WRITE_BLOCK_CHARS = 32 * 1024;

/**
 * The engine is asked for only what the verdicts read: whether any item failed, and each item's
 * status and error. A reply for 5000 created items shrinks from ~1 MB (index, id, version, shards,
 * seq_no per item) to ~130 KB, which sluice reads for every bulk and parses only when an item failed.
 */
export const BULK_PATH = '/_bulk?filter_path=errors,items.*.status,items.*.error';

interface SinkCounters {
  requests: Counter;
  requestFailures: Counter;
  retried: Counter;
  duplicates: Counter;
  bytesSent: Counter;
}

export class ElasticsearchSink implements Output {
  private readonly encoder: BulkEncoder;
  /** The bulk being gathered, and the send() calls its events came from, in order. */
  private readonly body: BulkBody;
  private runs: CallRun[] = [];
  /**
   * Items not yet in the body, joined and written a block at a time: each write into a Buffer
   * costs a call into C++, more than joining the items first. A block stays small enough to be
   * flattened in the young generation (a call's 400 KB of items joined went to the large-object
   * space). Items are counted in UTF-16 units, exact for ASCII and never more than their UTF-8
   * bytes; the write returns the bytes, and what multi-byte characters add is counted then.
   * Measuring each item with Buffer.byteLength cost more than the write (~0.3 us per event).
   */
  private unwritten = '';
  private readonly hosts: HostPool;
  private readonly dlq: DeadLetterFile | undefined;
  private readonly backoff: BackoffPolicy;
  private readonly counters: SinkCounters;
  private readonly batcher: ShipRule;
  private readonly slots: InFlightSlots;
  private readonly giveUp = new GiveUp();
  private engine: Promise<EngineInfo | undefined> | undefined;
  private readonly retryLog = new Throttle(5000);
  private flushWhenFree = false;

  constructor(
    private readonly config: ElasticsearchOutputConfig,
    private readonly context: PluginContext,
  ) {
    const stream = config.data_stream?.enabled ? config.data_stream : undefined;
    this.encoder = new BulkEncoder({
      action: stream ? 'create' : config.action,
      index: stream ? `${stream.type}-${stream.dataset}-${stream.namespace}` : config.index,
      documentId: config.document_id,
    });
    // Free chunks for about one bulk: each bulk taken whole gives its chunks to the next.
    this.body = new BulkBody({ maxFreeBytes: config.batch.max_bytes });
    this.hosts = new HostPool(config, context.logger);
    this.dlq = openDeadLetterFile(config.dead_letter_queue, context);
    this.backoff = { initialMs: config.retry.initial_backoff * 1000, maxMs: config.retry.max_backoff * 1000 };
    this.batcher = new ShipRule({ maxEvents: config.batch.max_events, maxBytes: config.batch.max_bytes, lingerMs: config.batch.timeout * 1000 }, () => this.startJob());
    this.slots = new InFlightSlots(config.max_in_flight, () => {
      if (this.flushWhenFree) this.flushPending();
    });
    const { metrics } = context;
    this.counters = {
      requests: metrics.counter('bulk_requests_total', 'Bulk requests sent'),
      requestFailures: metrics.counter('bulk_request_failures_total', 'Bulk requests that failed as a whole (connection, timeout, 429, 5xx)'),
      retried: metrics.counter('events_retried_total', 'Event retries (an event retried twice counts twice)'),
      duplicates: metrics.counter('events_duplicate_total', 'Events the engine already had (409 on create), counted as delivered'),
      bytesSent: metrics.counter('bulk_bytes_total', 'Bulk body bytes sent, before compression'),
    };
    metrics.gauge('bulk_requests_in_flight', 'Bulk requests in flight now', () => this.slots.inFlight);
  }

  private get action(): 'create' | 'index' {
    return this.config.data_stream?.enabled ? 'create' : this.config.action;
  }

  async start(): Promise<void> {
    // The pipeline starts even when the engine is down: batches wait (and push back) until it answers.
    this.engine = this.connect();
  }

  /** Detects the engine and installs the template, retrying until it answers or shutdown gives up. */
  private async connect(): Promise<EngineInfo | undefined> {
    for (let attempt = 0; !this.giveUp.active; attempt++) {
      const host = this.hosts.pick();
      try {
        const info = engineFromReply(redactUrl(host.url), await this.hosts.request(host, 'GET', '/', undefined, {}));
        this.hosts.markAlive(host);
        this.context.logger.info({ host: redactUrl(host.url), flavor: info.flavor, version: info.version }, 'engine detected');
        if (this.config.template.install) await this.installTemplate(host, info);
        return info;
      } catch (err) {
        if (this.hosts.hosts.length > 1) this.hosts.markDead(host, errorMessage(err));
        // Down or starting is a warning; something else answering (or refusing credentials) is the operator's to fix.
        const code = err instanceof SluiceError ? err.code : 'SLUICE_OUTPUT_REQUEST';
        const level = code === 'SLUICE_OUTPUT_REQUEST' ? 'warn' : 'error';
        this.context.logger[level]({ host: redactUrl(host.url), code, err: errorMessage(err), attempt }, 'engine not usable yet; retrying');
        await this.giveUp.sleep(backoffDelay(this.backoff, attempt));
      }
    }
    return undefined;
  }

  private async installTemplate(host: Host, info: EngineInfo): Promise<void> {
    const request = await templateRequest(this.config, info);
    if (!this.config.template.overwrite) {
      const existing = await this.hosts.request(host, 'GET', request.path, undefined, {});
      if (existing.status === 200) return;
    }
    const reply = await this.hosts.request(host, 'PUT', request.path, JSON.stringify(request.body), {});
    if (reply.status >= 300) {
      // A broken custom template is the operator's to fix; events still flow, with dynamic mappings.
      this.context.logger.error({ path: request.path, status: reply.status, body: reply.text.slice(0, 500) }, 'index template not installed');
    } else {
      this.context.logger.info({ path: request.path }, 'index template installed');
    }
  }

  send(events: Event[]): Promise<DeliveryReport> {
    return new Promise((resolve) => {
      const call = new SendCall(events.length, resolve);
      for (const event of events) {
        const item = this.encoder.encode(event);
        this.unwritten += item;
        // A bulk shipped in the middle of this call leaves no run: the rest of the call starts one in the next bulk.
        const last = this.runs[this.runs.length - 1];
        if (last?.call === call) last.count++;
        else this.runs.push({ call, count: 1 });
        this.batcher.added(1, item.length);
        // Near the byte bound the exact count decides, so a bulk is never more than one item over it.
        const held = this.unwritten.length;
        if (held >= WRITE_BLOCK_CHARS || this.batcher.bytes + 2 * held >= this.config.batch.max_bytes) this.batcher.added(0, this.writeUnwritten());
      }
      this.batcher.added(0, this.writeUnwritten());
      this.batcher.linger();
    });
  }

  /** The queue is idle: send what is held now, or as soon as a request slot is free. */
  flush(): void {
    if (this.batcher.size === 0) return;
    if (this.slots.free) this.flushPending();
    else this.flushWhenFree = true;
  }

  private flushPending(): void {
    this.flushWhenFree = false;
    this.batcher.flush();
  }

  /** Writes the held items into the body; returns the bytes they took beyond their count in UTF-16 units. */
  private writeUnwritten(): number {
    const chars = this.unwritten.length;
    if (chars === 0) return 0;
    const extra = this.body.append(this.unwritten, chars * 3) - chars;
    this.unwritten = '';
    return extra;
  }

  private startJob(): void {
    this.flushWhenFree = false;
    // The bulk ships now: what multi-byte characters add belongs to it, not to the next one.
    this.writeUnwritten();
    const runs = this.runs;
    this.runs = [];
    const job: BulkJob = { body: this.body.take(), count: runs.reduce((sum, run) => sum + run.count, 0), runs, retries: 0 };
    const following = this.deliver(job).catch((err: unknown) => {
      // deliver() settles every event itself; reaching here is a bug, and the events are still accounted for.
      this.context.logger.error({ err: errorMessage(err) }, 'bulk job failed unexpectedly');
      settleAll(job.runs, 'dropped');
    });
    this.giveUp.track(following);
  }

  /** Follows one request's events until each has a final fate. */
  private async deliver(first: BulkJob): Promise<void> {
    const engine = await this.engine;
    let job: BulkJob | undefined = first;
    let firstBodyTaken = false;
    for (let attempt = 0; job !== undefined; attempt++) {
      if (this.giveUp.active || !engine) return this.dropForShutdown(job);
      await this.slots.acquire();
      let outcome: BulkOutcome;
      const host = this.hosts.pick();
      try {
        outcome = await this.post(host, job.body, job.count);
      } finally {
        this.slots.release();
      }
      if (outcome.kind === 'failed' || outcome.status >= 500) {
        this.counters.requestFailures.inc();
        this.hosts.markDead(host, outcome.kind === 'failed' ? outcome.reason : `status ${outcome.status}`);
      } else {
        this.hosts.markAlive(host);
        if (outcome.status === 429) this.counters.requestFailures.inc();
        // A 2xx means the engine read the whole body: nothing still writes from it.
        if (attempt === 0 && outcome.status < 300) firstBodyTaken = true;
      }
      if (takenWhole(outcome, job.count)) {
        settleAll(job.runs, 'delivered');
        break;
      }
      job = await this.judge(job, bulkVerdicts(outcome, job.count, this.action), attempt);
    }
    if (firstBodyTaken) this.body.recycle(first.body);
  }

  /** Settles what the verdicts settle; the job of the events to try again, if any, after the backoff. */
  private async judge(job: BulkJob, verdicts: readonly Verdict[], attempt: number): Promise<BulkJob | undefined> {
    const items = new JobItems(job);
    const retry: number[] = [];
    const rejected: DeadLetter[] = [];
    const rejectedAt: number[] = [];
    let retryReason = '';
    const limit = this.config.retry.max_retries;
    verdicts.forEach((verdict, i) => {
      if (verdict.kind === 'delivered') {
        if (verdict.duplicate) this.counters.duplicates.inc();
        items.calls[i].settle('delivered');
      } else if (verdict.kind === 'dead_letter') {
        const { event, index } = items.letter(i);
        rejected.push({ event, facts: { index, status: verdict.status, reason: verdict.reason, error: verdict.error } });
        rejectedAt.push(i);
      } else if (limit !== undefined && job.retries + 1 > limit) {
        const { event, index } = items.letter(i);
        rejected.push({ event, facts: { index, status: 0, reason: `gave up after ${limit} retries: ${verdict.reason}`, error: null } });
        rejectedAt.push(i);
      } else {
        retryReason = verdict.reason;
        retry.push(i);
      }
    });
    if (rejected.length > 0) await this.deadLetter(rejected, items.settleables(rejectedAt));
    if (retry.length === 0) return undefined;
    this.counters.retried.inc(retry.length);
    this.logRetry(retry.length, retryReason, attempt);
    await this.giveUp.sleep(backoffDelay(this.backoff, attempt));
    // All of them (the engine down, a 429 for the request): the same body goes again.
    return retry.length === job.count ? { ...job, retries: job.retries + 1 } : items.subJob(retry, job.retries + 1);
  }

  private async post(host: Host, raw: BodyBytes, count: number): Promise<BulkOutcome> {
    this.counters.requests.inc();
    this.counters.bytesSent.inc(raw.length);
    try {
      const compressed = this.config.compression === 'gzip';
      const body = compressed ? await gzip(contiguous(raw), { level: 1 }) : raw.chunks.length === 1 ? raw.chunks[0] : raw.chunks;
      const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
      if (compressed) headers['content-encoding'] = 'gzip';
      // Chunks are written one after another: the length tells the engine where the body ends without chunked encoding.
      else headers['content-length'] = String(raw.length);
      const reply = await this.hosts.request(host, 'POST', BULK_PATH, body, headers);
      if (reply.status >= 200 && reply.status < 300 && reply.bytes && repliedAllTaken(reply.bytes, count)) return { kind: 'taken', status: reply.status };
      let parsed: BulkResponseBody | undefined;
      try {
        parsed = JSON.parse(reply.text) as BulkResponseBody;
      } catch {
        parsed = undefined;
      }
      return { kind: 'response', status: reply.status, body: parsed, text: reply.text };
    } catch (err) {
      return { kind: 'failed', reason: `${redactUrl(host.url)}: ${errorMessage(err)}` };
    }
  }

  private async deadLetter(letters: DeadLetter[], items: Settleable[]): Promise<void> {
    const written = await deadLetterOrDrop(this.dlq, letters, items, this.context.id, this.context.logger);
    const sample = letters[0].facts;
    this.context.logger.warn(
      { code: 'SLUICE_OUTPUT_REJECTED', events: letters.length, dead_lettered: written, dropped: letters.length - written, status: sample.status, reason: sample.reason, index: sample.index, path: this.dlq?.path },
      written === letters.length ? 'engine rejected events; written to the dead letter queue' : 'engine rejected events; dead letter queue disabled or full: dropped',
    );
  }

  private logRetry(count: number, reason: string, attempt: number): void {
    if (!this.retryLog.ready()) return;
    this.context.logger.warn({ code: 'SLUICE_OUTPUT_REQUEST', events: count, reason, attempt }, 'bulk delivery failed; retrying with backoff');
  }

  private dropForShutdown(job: BulkJob): void {
    // The runs are all a drop needs: no walk of the body for where each item starts.
    dropAtShutdown(job.runs, this.context.logger, 'shutdown timeout reached before the engine accepted them');
  }

  async stop(graceMs: number): Promise<void> {
    this.flushPending();
    const timedOut = await this.giveUp.waitForJobs(graceMs);
    this.giveUp.now();
    // In-flight requests to a dead engine would wait for their timeout: abort them; their items are counted as dropped.
    await this.hosts.destroy();
    if (timedOut) await this.giveUp.drained();
    await this.engine;
  }
}
