/**
 * The worker: reads from the queue, runs the filter chain, fans out to the outputs, and tells
 * the queue when every output has settled a read (the queue acks the inputs' batches). Several
 * reads may be in flight at once; the queue's bound is what limits them. When the queue has
 * nothing more to give, outputs are told to send what they hold, so a batch an input waits on
 * (end_to_end, Beats) never waits for an output's batch timer.
 */
import type { Logger } from './logger.js';
import type { PipelineQueue, QueueRead } from './queue/index.js';
import { runFilters, sendToOutputs, type ChainFilter, type ChainOutput } from './chain.js';

export interface WorkerOptions {
  batchSize: number;
}

export class PipelineWorker {
  private readonly inFlight = new Set<Promise<void>>();
  private loop: Promise<void> | undefined;

  constructor(
    private readonly queue: PipelineQueue,
    private readonly filters: readonly ChainFilter[],
    private readonly outputs: readonly ChainOutput[],
    private readonly options: WorkerOptions,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.loop ??= this.run();
  }

  /** Resolves when the queue hands out nothing more and every read taken has settled. */
  async finished(): Promise<void> {
    await this.loop;
    while (this.inFlight.size > 0) await Promise.all([...this.inFlight]);
  }

  private async run(): Promise<void> {
    for (;;) {
      const read = await this.queue.read(this.options.batchSize);
      if (read === undefined) return;
      const done = this.process(read);
      this.inFlight.add(done);
      void done.finally(() => this.inFlight.delete(done));
      if (this.queue.depth === 0) for (const { output } of this.outputs) output.flush?.();
    }
  }

  private process(read: QueueRead): Promise<void> {
    // The callback keeps the count and done(), not the read: the events are the outputs' to keep or let go.
    const { done } = read;
    const count = read.events.length;
    const filtered = runFilters(this.filters, read.events, this.logger);
    return sendToOutputs(this.outputs, filtered, this.logger).then(({ dropped }) =>
      done(dropped === 0 ? { ok: true } : { ok: false, reason: `an output gave up on ${dropped} of ${count} events` }),
    );
  }
}
