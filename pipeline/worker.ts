/**
 * The worker: takes batches from the queue, runs the filter chain, fans out to the outputs, and
 * frees the batches' room (and, in end-to-end mode, acks them) once every output has settled.
 * Several batches may be in flight at once; the queue's bound is what limits them.
 */
import type { Batch } from './batch.js';
import type { MemoryQueue } from './queue.js';
import type { Logger } from './logger.js';
import type { Event } from './event.js';
import { runFilters, sendToOutputs, type ChainFilter, type ChainOutput } from './chain.js';

export interface WorkerOptions {
  batchSize: number;
}

export class PipelineWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly queue: MemoryQueue,
    private readonly filters: readonly ChainFilter[],
    private readonly outputs: readonly ChainOutput[],
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves when the queue is closed and every batch taken has settled. */
  async finished(): Promise<void> {
    await this.loop;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run(): Promise<void> {
    for (;;) {
      const batches = await this.queue.take(this.options.batchSize);
      if (batches === undefined) return;
      const done = this.process(batches);
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
    }
  }

  private process(batches: Batch[]): Promise<void> {
    const events = batches.length === 1 ? batches[0].events : ([] as Event[]).concat(...batches.map((b) => b.events));
    const filtered = runFilters(this.filters, events, this.logger);
    return sendToOutputs(this.outputs, filtered, this.logger).then(() => {
      this.queue.release(batches);
      if (this.queue.ackMode === 'end_to_end') for (const batch of batches) batch.ack?.({ ok: true });
    });
  }
}
