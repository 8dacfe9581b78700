/**
 * Builds a running pipeline from a validated config and stops it in one way (STYLE.md "one way
 * to stop"): inputs stop first, the queue drains through the worker, outputs flush, the API
 * closes. Calling stop twice is harmless.
 */
import type { ValidConfig } from '../config/validate.js';
import type { Logger } from './logger.js';
import { Metrics } from './metrics.js';
import { MemoryQueue } from './queue.js';
import { PipelineWorker } from './worker.js';
import type { ChainFilter, ChainOutput } from './chain.js';
import type { Input } from './plugin.js';
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

export class Pipeline {
  readonly metrics = new Metrics();
  readonly queue: MemoryQueue;
  private readonly inputs: Array<{ id: string; input: Input }> = [];
  private readonly outputs: ChainOutput[] = [];
  private readonly worker: PipelineWorker;
  private api: ApiServer | undefined;
  private stopping: Promise<void> | undefined;
  private ready = false;

  constructor(
    private readonly config: ValidConfig,
    private readonly logger: Logger,
    private readonly share: PipelineShare = { index: 0, count: 1 },
  ) {
    const { pipeline } = config;
    const maxEvents = Math.max(1, Math.ceil(pipeline.queue.max_events / share.count));
    const maxBytes = Math.max(1, Math.ceil(pipeline.queue.max_bytes / share.count));
    this.queue = new MemoryQueue({ maxEvents, maxBytes }, pipeline.ack);
    this.metrics.gauge('queue_events', 'Events held by the queue (queued plus in flight)', () => this.queue.events);
    this.metrics.gauge('queue_bytes', 'Wire bytes held by the queue (queued plus in flight)', () => this.queue.bytes);
    this.metrics.gauge('queue_max_events', 'Bound of the queue in events', () => maxEvents);
    this.metrics.gauge('queue_max_bytes', 'Bound of the queue in bytes', () => maxBytes);

    const filters: ChainFilter[] = config.filters.map(({ plugin, id, when, config: settings }) => {
      const metrics = this.metrics.withLabels({ plugin: 'filter', type: plugin.type, id });
      return {
        id,
        filter: plugin.create(settings, { id, logger: logger.child({ filter: id }), metrics }),
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
        output: plugin.create(settings, { id, logger: logger.child({ output: id }), metrics }),
        ...(when ? { when } : {}),
        eventsIn: metrics.counter('output_events_in_total', 'Events handed to an output'),
        delivered: metrics.counter('output_events_delivered_total', 'Events an output delivered'),
        deadLettered: metrics.counter('output_events_dead_lettered_total', 'Events an output wrote to its dead letter queue'),
        dropped: metrics.counter('output_events_dropped_total', 'Events an output gave up on (logged with the reason)'),
      });
    }
    for (const { plugin, id, config: settings } of config.inputs) {
      const metrics = this.metrics.withLabels({ plugin: 'input', type: plugin.type, id });
      this.inputs.push({ id, input: plugin.create(settings, { id, logger: logger.child({ input: id }), metrics, sink: this.queue }) });
    }
    this.worker = new PipelineWorker(this.queue, filters, this.outputs, { batchSize: pipeline.batch_size }, logger);
  }

  /** Starts outputs, then the worker, then inputs (so nothing is accepted that cannot flow), then the API. */
  async start(): Promise<{ inputs: InputAddress[]; api?: { host: string; port: number } }> {
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
    this.ready = true;
    return {
      inputs: this.addresses(),
      ...(this.api ? { api: this.api.address } : {}),
    };
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
    const graceMs = this.config.pipeline.shutdown_timeout * 1000;
    const started = Date.now();
    this.logger.info({ queued: this.queue.events }, 'stopping: inputs first');
    await Promise.all(this.inputs.map(({ id, input }) => input.stop().catch((err: unknown) => this.logger.error({ input: id, err: errorMessage(err) }, 'input did not stop cleanly'))));
    this.queue.close();
    // Outputs may hold the drain up (a dead engine); past the grace period they give up and count.
    const drained = this.worker.finished();
    const outputsStopped = (async () => {
      const left = Math.max(0, graceMs - (Date.now() - started));
      const timer = new Promise<'timeout'>((resolve) => setTimeout(resolve, left, 'timeout').unref());
      if ((await Promise.race([drained.then(() => 'drained' as const), timer])) === 'timeout') {
        this.logger.warn({ queued: this.queue.events, shutdown_timeout: this.config.pipeline.shutdown_timeout }, 'shutdown timeout reached: outputs give up on what is left');
      }
      await Promise.all(this.outputs.map(({ id, output }) => output.stop(0).catch((err: unknown) => this.logger.error({ output: id, err: errorMessage(err) }, 'output did not stop cleanly'))));
      await drained;
    })();
    await outputsStopped;
    await this.api?.close();
    this.logger.info({ elapsed_ms: Date.now() - started, ...this.totals() }, 'pipeline stopped');
  }

  totals(): Record<string, number> {
    return {
      events_in: this.metrics.sum('events_in_total'),
      events_out: this.metrics.sum('output_events_delivered_total'),
      dead_lettered: this.metrics.sum('output_events_dead_lettered_total'),
      dropped: this.metrics.sum('output_events_dropped_total') + this.metrics.sum('events_dropped_total'),
    };
  }
}

