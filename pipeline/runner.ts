/**
 * Builds a running pipeline from a validated config and stops it in one way (STYLE.md "one way
 * to stop"): inputs stop first, the queue drains through the worker, outputs flush, the API
 * closes. Calling stop twice is harmless.
 */
import type { ValidConfig } from '../config/validate.js';
import type { Logger } from './logger.js';
import { startAlerting, type Alerting } from './alerts/index.js';
import { makeBatch } from './batch.js';
import type { Event } from './event.js';
import { Metrics } from './metrics.js';
import { createQueue, type PipelineQueue } from './queue/index.js';
import { PipelineWorker } from './worker.js';
import type { ChainFilter, ChainOutput } from './chain.js';
import type { Input, StdoutWriter } from './plugin.js';
import { countingSink } from './input_sink.js';
import { localStdoutWriter } from './stdout_stream.js';
import { relayedStdoutWriter } from './cluster/stdout_relay.js';
import { startApi, type ApiServer } from './api.js';
import { errorMessage } from './errors.js';

export interface InputAddress {
  id: string;
  transport: string;
  host: string;
  port: number;
}

/** Where this pipeline runs: alone, or as one of several worker processes sharing the bounds. */
export interface PipelineShare {
  index: number;
  count: number;
}

/** Persisted queue at shutdown: nothing is lost by stopping, so in-flight sends get at most this long. */
const PERSISTED_SHUTDOWN_GRACE_MS = 5000;

export class Pipeline {
  readonly metrics = new Metrics();
  readonly queue: PipelineQueue;
  private readonly inputs: Array<{ id: string; input: Input }> = [];
  private readonly outputs: ChainOutput[] = [];
  private readonly worker: PipelineWorker;
  private api: ApiServer | undefined;
  private alerting: Alerting | undefined;
  private stopping: Promise<void> | undefined;
  private ready = false;

  constructor(
    private readonly config: ValidConfig,
    private readonly logger: Logger,
    private readonly share: PipelineShare = { index: 0, count: 1 },
  ) {
    const { pipeline } = config;
    this.queue = createQueue(pipeline, share, logger);
    this.metrics.gauge('queue_events', 'Events held by the queue (queued plus in flight; persisted: not yet acknowledged)', () => this.queue.events);
    this.metrics.gauge('queue_bytes', 'Bytes held by the queue (memory: wire bytes; persisted: unacknowledged record bytes on disk)', () => this.queue.bytes);
    this.metrics.gauge('queue_depth', 'Events waiting to be read by the worker', () => this.queue.depth);
    this.queue.registerMetrics?.(this.metrics);
    const stdout: StdoutWriter = share.count > 1 ? relayedStdoutWriter : localStdoutWriter;
    const context = (id: string, metrics: Metrics, key: string) => ({ id, logger: logger.child({ [key]: id }), metrics, stdout, share, pipelineId: pipeline.id });

    const filters: ChainFilter[] = config.filters.map(({ plugin, id, when, config: settings }) => {
      const metrics = this.metrics.withLabels({ plugin: 'filter', type: plugin.type, id });
      return {
        id,
        filter: plugin.create(settings, context(id, metrics, 'filter')),
        ...(when ? { when } : {}),
        eventsIn: metrics.counter('filter_events_in_total', 'Events a filter received'),
        eventsOut: metrics.counter('filter_events_out_total', 'Events a filter passed on'),
        failures: metrics.counter('filter_failures_total', 'Events that went on unfiltered because a filter threw'),
      };
    });
    for (const { plugin, id, when, config: settings } of config.outputs) {
      const metrics = this.metrics.withLabels({ plugin: 'output', type: plugin.type, id });
      this.outputs.push({
        id,
        output: plugin.create(settings, context(id, metrics, 'output')),
        ...(when ? { when } : {}),
        eventsIn: metrics.counter('output_events_in_total', 'Events handed to an output'),
        delivered: metrics.counter('output_events_delivered_total', 'Events an output delivered'),
        deadLettered: metrics.counter('output_events_dead_lettered_total', 'Events an output wrote to its dead letter queue'),
        dropped: metrics.counter('output_events_dropped_total', 'Events an output gave up on (logged with the reason)'),
      });
    }
    for (const { plugin, id, config: settings } of config.inputs) {
      if (plugin.oneProcess !== undefined && share.index !== 0) {
        logger.info({ input: id, worker: share.index }, `${plugin.type} input runs in worker 0 only: ${plugin.oneProcess}`);
        continue;
      }
      const metrics = this.metrics.withLabels({ plugin: 'input', type: plugin.type, id });
      this.inputs.push({ id, input: plugin.create(settings, { ...context(id, metrics, 'input'), sink: countingSink(this.queue, metrics) }) });
    }
    this.worker = new PipelineWorker(this.queue, filters, this.outputs, { batchSize: pipeline.batch_size }, logger);
  }

  /** Opens the queue (recovering a persisted one), starts outputs, the worker, then inputs (so nothing is accepted that cannot flow), then the API. */
  async start(): Promise<{ inputs: InputAddress[]; api?: { host: string; port: number } }> {
    await this.queue.open();
    for (const { output } of this.outputs) await output.start();
    this.worker.start();
    for (const { input } of this.inputs) await input.start();
    // In cluster mode the primary serves the API for all workers.
    if (this.config.api.enabled && this.share.count === 1) {
      this.api = await startApi(this.config.api, {
        metrics: () => this.metrics,
        isReady: () => this.ready && !this.stopping,
        logger: this.logger,
      });
    }
    // Like the API, alert rules need every process's counts: in cluster mode the primary judges them.
    if (this.share.count === 1) this.alerting = startAlerting(this.config.alerts, () => this.metrics, this.logger, (events) => this.inject(events));
    this.ready = true;
    return {
      inputs: this.addresses(),
      ...(this.api ? { api: this.api.address } : {}),
    };
  }

  /** Events sluice makes itself (alerts): into the queue like an input's, refused (false) when it is full or closed. */
  inject(events: Event[]): boolean {
    if (this.queue.closed) return false;
    return this.queue.tryPush(makeBatch(events, 0));
  }

  addresses(): InputAddress[] {
    return this.inputs.flatMap(({ id, input }) => input.addresses().map((a) => ({ id, ...a })));
  }

  /** Stop accepting, drain the queue, flush outputs within the shutdown timeout. */
  stop(): Promise<void> {
    this.stopping ??= this.shutdown();
    return this.stopping;
  }

  private async shutdown(): Promise<void> {
    const persisted = this.queue.kind === 'persisted';
    const graceMs = persisted ? Math.min(PERSISTED_SHUTDOWN_GRACE_MS, this.config.pipeline.shutdown_timeout * 1000) : this.config.pipeline.shutdown_timeout * 1000;
    const started = Date.now();
    this.logger.info({ queued: this.queue.events }, 'stopping: inputs first');
    await this.alerting?.stop();
    await Promise.all(this.inputs.map(({ id, input }) => input.stop().catch((err: unknown) => this.logger.error({ input: id, err: errorMessage(err) }, 'input did not stop cleanly'))));
    // Memory: the worker drains what is queued. Persisted: it reads nothing more; the rest waits on disk.
    this.queue.close();
    // Outputs may hold the drain up (a dead engine); past the grace period they give up and count.
    const drained = this.worker.finished();
    const left = Math.max(0, graceMs - (Date.now() - started));
    const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, left, 'timeout').unref());
    if ((await Promise.race([drained.then(() => 'drained' as const), timer])) === 'timeout') {
      this.logger.warn(
        { queued: this.queue.events, grace_ms: graceMs },
        persisted ? 'shutdown grace reached: outputs stop; what they did not deliver stays in the persisted queue' : 'shutdown timeout reached: outputs give up on what is left',
      );
    }
    await Promise.all(this.outputs.map(({ id, output }) => output.stop(0).catch((err: unknown) => this.logger.error({ output: id, err: errorMessage(err) }, 'output did not stop cleanly'))));
    await drained;
    const kept = this.queue.events;
    await this.queue.shutdown().catch((err: unknown) => this.logger.error({ err: errorMessage(err) }, 'queue did not close cleanly'));
    if (persisted && kept > 0) this.logger.info({ events: kept }, 'events kept in the persisted queue for the next start');
    await this.api?.close();
    this.logger.info({ elapsed_ms: Date.now() - started, ...this.totals() }, 'pipeline stopped');
  }

  totals(): Record<string, number> {
    return {
      events_in: this.metrics.sum('events_in_total'),
      events_out: this.metrics.sum('output_events_delivered_total'),
      dead_lettered: this.metrics.sum('output_events_dead_lettered_total'),
      dropped: this.metrics.sum('output_events_dropped_total') + this.metrics.sum('events_dropped_total'),
      ...(this.queue.kind === 'persisted' ? { kept_in_queue: this.queue.events } : {}),
    };
  }
}

