/**
 * The Elasticsearch sink: events are encoded once into bulk items, gathered into requests
 * bounded by count, bytes and time, sent with a bounded number in flight, and followed until
 * each has a final fate. Only failed items are retried; rejected ones go to the dead letter
 * file; on shutdown, what the engine has not taken by the deadline is counted as dropped.
 */
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { join } from 'node:path';
import type { DeliveryReport, Output, PluginContext } from '../../pipeline/plugin.js';
import type { Event } from '../../pipeline/event.js';
import { errorMessage, SluiceError } from '../../pipeline/errors.js';
import type { Counter } from '../../pipeline/metrics.js';
import type { ElasticsearchOutputConfig } from './config.js';
import { BulkEncoder, type BulkItem } from './encoder.js';
import { bulkVerdicts, type BulkOutcome, type BulkResponseBody } from './retry.js';
import { backoffDelay, type BackoffPolicy } from './backoff.js';
import { HostPool, redactUrl, type Host } from './hosts.js';
import { engineFromReply, type EngineInfo } from './detect.js';
import { templateRequest } from './template.js';
import { DeadLetterFile, perProcessPath, type DeadLetter } from './dlq.js';

const gzip = promisify(gzipCallback);

/**
 * The engine is asked for only what the verdicts read: whether any item failed, and each item's
 * status and error. A reply for 5000 created items shrinks from ~1 MB (index, id, version, shards,
 * seq_no per item) to ~130 KB, which sluice reads and parses for every bulk.
 */
const BULK_PATH = '/_bulk?filter_path=errors,items.*.status,items.*.error';

interface Call {
  remaining: number;
  report: DeliveryReport;
  resolve: (report: DeliveryReport) => void;
}

interface Item extends BulkItem {
  call: Call;
}

interface SinkCounters {
  requests: Counter;
  requestFailures: Counter;
  retried: Counter;
  duplicates: Counter;
  bytesSent: Counter;
}

export class ElasticsearchSink implements Output {
  private readonly encoder: BulkEncoder;
  private readonly hosts: HostPool;
  private readonly dlq: DeadLetterFile | undefined;
  private readonly backoff: BackoffPolicy;
  private readonly counters: SinkCounters;
  private pending: Item[] = [];
  private pendingBytes = 0;
  private flushTimer: NodeJS.Timeout | undefined;
  private inFlight = 0;
  private slotWaiters: Array<() => void> = [];
  private readonly jobs = new Set<Promise<void>>();
  private engine: Promise<EngineInfo | undefined> | undefined;
  private givingUp = false;
  private readonly wakeOnGiveUp = new Set<() => void>();
  private lastRetryLog = 0;
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
    this.hosts = new HostPool(config, context.logger);
    const dlq = config.dead_letter_queue;
    this.dlq = dlq.enabled ? new DeadLetterFile(perProcessPath(dlq.path ?? join('data', 'dead_letter', `${context.id}.ndjson`), context.share), dlq.max_bytes) : undefined;
    this.backoff = { initialMs: config.retry.initial_backoff * 1000, maxMs: config.retry.max_backoff * 1000 };
    const { metrics } = context;
    this.counters = {
      requests: metrics.counter('bulk_requests_total', 'Bulk requests sent'),
      requestFailures: metrics.counter('bulk_request_failures_total', 'Bulk requests that failed as a whole (connection, timeout, 429, 5xx)'),
      retried: metrics.counter('events_retried_total', 'Event retries (an event retried twice counts twice)'),
      duplicates: metrics.counter('events_duplicate_total', 'Events the engine already had (409 on create), counted as delivered'),
      bytesSent: metrics.counter('bulk_bytes_total', 'Bulk body bytes sent, before compression'),
    };
    metrics.gauge('bulk_requests_in_flight', 'Bulk requests in flight now', () => this.inFlight);
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
    for (let attempt = 0; !this.givingUp; attempt++) {
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
        await this.sleep(backoffDelay(this.backoff, attempt));
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
      const call: Call = { remaining: events.length, report: { delivered: 0, deadLettered: 0, dropped: 0 }, resolve };
      if (events.length === 0) return resolve(call.report);
      const { max_events: maxEvents, max_bytes: maxBytes } = this.config.batch;
      for (const event of events) {
        const item = this.encoder.encode(event) as Item;
        item.call = call;
        this.pending.push(item);
        this.pendingBytes += item.bytes;
        if (this.pending.length >= maxEvents || this.pendingBytes >= maxBytes) this.flushPending();
      }
      if (this.pending.length > 0 && !this.flushTimer) {
        this.flushTimer = setTimeout(() => this.flushPending(), this.config.batch.timeout * 1000);
      }
    });
  }

  /** The queue is idle: send what is held now, or as soon as a request slot is free. */
  flush(): void {
    if (this.pending.length === 0) return;
    if (this.inFlight < this.config.max_in_flight) this.flushPending();
    else this.flushWhenFree = true;
  }

  private flushPending(): void {
    this.flushWhenFree = false;
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
    }
    if (this.pending.length === 0) return;
    const items = this.pending;
    this.pending = [];
    this.pendingBytes = 0;
    const job = this.deliver(items).catch((err: unknown) => {
      // deliver() settles every item itself; reaching here is a bug, and the items are still accounted for.
      this.context.logger.error({ err: errorMessage(err) }, 'bulk job failed unexpectedly');
      this.settleAll(items, 'dropped');
    });
    this.jobs.add(job);
    void job.finally(() => this.jobs.delete(job));
  }

  private settle(item: Item, fate: 'delivered' | 'deadLettered' | 'dropped'): void {
    const call = item.call;
    call.report[fate]++;
    if (--call.remaining === 0) call.resolve(call.report);
  }

  private settleAll(items: readonly Item[], fate: 'delivered' | 'deadLettered' | 'dropped'): void {
    for (const item of items) this.settle(item, fate);
  }

  /** Follows one request's items until each has a final fate. */
  private async deliver(initial: Item[]): Promise<void> {
    const engine = await this.engine;
    let items = initial;
    for (let attempt = 0; items.length > 0; attempt++) {
      if (this.givingUp || !engine) return this.dropForShutdown(items);
      await this.acquireSlot();
      let outcome: BulkOutcome;
      const host = this.hosts.pick();
      try {
        outcome = await this.post(host, items);
      } finally {
        this.releaseSlot();
      }
      const verdicts = bulkVerdicts(outcome, items.length, this.action);
      if (outcome.kind === 'failed' || outcome.status >= 500) {
        this.counters.requestFailures.inc();
        this.hosts.markDead(host, outcome.kind === 'failed' ? outcome.reason : `status ${outcome.status}`);
      } else {
        this.hosts.markAlive(host);
        if (outcome.status === 429) this.counters.requestFailures.inc();
      }
      const retry: Item[] = [];
      const rejected: DeadLetter[] = [];
      const rejectedItems: Item[] = [];
      let retryReason = '';
      verdicts.forEach((verdict, i) => {
        const item = items[i];
        if (verdict.kind === 'delivered') {
          if (verdict.duplicate) this.counters.duplicates.inc();
          this.settle(item, 'delivered');
        } else if (verdict.kind === 'dead_letter') {
          rejected.push({ event: item.event, index: item.index, status: verdict.status, reason: verdict.reason, error: verdict.error });
          rejectedItems.push(item);
        } else {
          item.attempts++;
          retryReason = verdict.reason;
          const limit = this.config.retry.max_retries;
          if (limit !== undefined && item.attempts > limit) {
            rejected.push({ event: item.event, index: item.index, status: 0, reason: `gave up after ${limit} retries: ${verdict.reason}`, error: null });
            rejectedItems.push(item);
          } else {
            retry.push(item);
          }
        }
      });
      if (rejected.length > 0) await this.deadLetter(rejected, rejectedItems);
      if (retry.length > 0) {
        this.counters.retried.inc(retry.length);
        this.logRetry(retry.length, retryReason, attempt);
        await this.sleep(backoffDelay(this.backoff, attempt));
      }
      items = retry;
    }
  }

  private async post(host: Host, items: readonly Item[]): Promise<BulkOutcome> {
    let text = '';
    for (const item of items) text += item.text;
    const raw = Buffer.from(text);
    this.counters.requests.inc();
    this.counters.bytesSent.inc(raw.length);
    try {
      const compressed = this.config.compression === 'gzip';
      const body = compressed ? await gzip(raw, { level: 1 }) : raw;
      const headers: Record<string, string> = { 'content-type': 'application/x-ndjson' };
      if (compressed) headers['content-encoding'] = 'gzip';
      const reply = await this.hosts.request(host, 'POST', BULK_PATH, body, headers);
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

  private async deadLetter(letters: DeadLetter[], items: Item[]): Promise<void> {
    let written = 0;
    if (this.dlq) {
      try {
        written = await this.dlq.write(letters, this.context.id);
      } catch (err) {
        this.context.logger.error({ err: errorMessage(err), path: this.dlq.path }, 'dead letter file not writable');
      }
    }
    items.forEach((item, i) => this.settle(item, i < written ? 'deadLettered' : 'dropped'));
    const sample = letters[0];
    this.context.logger.warn(
      { code: 'SLUICE_OUTPUT_REJECTED', events: letters.length, dead_lettered: written, dropped: letters.length - written, status: sample.status, reason: sample.reason, index: sample.index, path: this.dlq?.path },
      written === letters.length ? 'engine rejected events; written to the dead letter queue' : 'engine rejected events; dead letter queue disabled or full: dropped',
    );
  }

  private logRetry(count: number, reason: string, attempt: number): void {
    const now = Date.now();
    if (now - this.lastRetryLog < 5000) return;
    this.lastRetryLog = now;
    this.context.logger.warn({ code: 'SLUICE_OUTPUT_REQUEST', events: count, reason, attempt }, 'bulk delivery failed; retrying with backoff');
  }

  private dropForShutdown(items: readonly Item[]): void {
    if (items.length === 0) return;
    this.context.logger.error({ code: 'SLUICE_SHUTDOWN_TIMEOUT', events: items.length, reason: 'shutdown timeout reached before the engine accepted them' }, 'events dropped at shutdown');
    this.settleAll(items, 'dropped');
  }

  private acquireSlot(): Promise<void> {
    if (this.inFlight < this.config.max_in_flight) {
      this.inFlight++;
      return Promise.resolve();
    }
    return new Promise((resolve) => this.slotWaiters.push(() => {
      this.inFlight++;
      resolve();
    }));
  }

  private releaseSlot(): void {
    this.inFlight--;
    this.slotWaiters.shift()?.();
    if (this.flushWhenFree && this.slotWaiters.length === 0) this.flushPending();
  }

  /** A backoff wait that ends early when shutdown gives up. */
  private sleep(ms: number): Promise<void> {
    if (this.givingUp) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wakeOnGiveUp.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeOnGiveUp.add(done);
    });
  }

  async stop(graceMs: number): Promise<void> {
    this.flushPending();
    const settled = Promise.all([...this.jobs]).then(() => 'settled' as const);
    const deadline = new Promise<'deadline'>((resolve) => setTimeout(resolve, graceMs, 'deadline').unref());
    const timedOut = (await Promise.race([settled, deadline])) === 'deadline';
    this.givingUp = true;
    for (const wake of [...this.wakeOnGiveUp]) wake();
    // In-flight requests to a dead engine would wait for their timeout: abort them; their items are counted as dropped.
    await this.hosts.destroy();
    if (timedOut) await Promise.all([...this.jobs]);
    await this.engine;
  }
}
