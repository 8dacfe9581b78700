/**
 * The contracts between the pipeline and its plugins. A plugin folder exports one
 * `InputPlugin`, `FilterPlugin` or `OutputPlugin`; its zod schema is both its validation and
 * its documentation (`sluice check`, the README's plugin reference).
 */
import type { z } from 'zod';
import type { Logger } from './logger.js';
import type { Event } from './event.js';
import type { Metrics } from './metrics.js';
import type { Batch } from './batch.js';

interface PluginDefinition<Schema extends z.ZodType> {
  /** The `type:` users write in the config. */
  readonly type: string;
  /** One paragraph for the plugin reference. */
  readonly description: string;
  /** Strict zod object; every field carries `.describe()`. Common keys (type, id, when) are not in it. */
  readonly schema: Schema;
  /** A complete, valid config block (without `type`), parsed by a test and shown in the reference. */
  readonly example: Record<string, unknown>;
}

/** Text for standard output: fd 1 when sluice is one process, the primary's fd 1 from a worker process (lines never interleave). */
export interface StdoutWriter {
  /** Resolves once the text was handed to the OS. */
  write(text: string): Promise<void>;
  /** Called if fd 1 breaks (a closed pipe). */
  onError(listener: (err: Error) => void): void;
}

export interface PluginContext {
  /** `id:` from the config, or `<type>_<index>`. */
  readonly id: string;
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly stdout: StdoutWriter;
  /** Which of the pipeline's processes this is; a plugin writing a file of its own names it per process. */
  readonly share: { readonly index: number; readonly count: number };
  /** `pipeline.id`: names the folders a plugin keeps state in (the file input's checkpoints); `main` when absent. */
  readonly pipelineId?: string;
}

/** Where inputs put what they decoded. `push` never refuses a batch while open; `false` means "full: stop reading until whenWritable()". */
export interface BatchSink {
  push(batch: Batch): boolean;
  /** For inputs that cannot wait (UDP): accept only if there is room; a refused batch is the caller's to count. */
  tryPush(batch: Batch): boolean;
  whenWritable(): Promise<void>;
  readonly full: boolean;
  /** The queue stores what inputs received: an input that can record it attaches `batch.source` (pipeline/batch.ts). */
  readonly wantsSource?: boolean;
}

export interface InputContext extends PluginContext {
  readonly sink: BatchSink;
}

export interface Input {
  /** Resolves once the input listens; it reports its bound address(es) through the logger. */
  start(): Promise<void>;
  /** Stops accepting and closes connections after their last complete frame. Idempotent. */
  stop(): Promise<void>;
  /** Bound addresses, for logs, tests and the API. */
  addresses(): Array<{ transport: string; host: string; port: number }>;
}

export interface Filter {
  /** A function of a batch: returns the events that go on (the same array, changed in place, is fine). */
  process(events: Event[]): Event[];
}

export interface DeliveryReport {
  delivered: number;
  /** Written to the dead letter queue with a reason. */
  deadLettered: number;
  /** Given up on and counted with a reason (e.g. shutdown grace period ran out). */
  dropped: number;
}

export interface Output {
  start(): Promise<void>;
  /** Resolves when every event has a final fate; outputs retry internally. Calls arrive in order. */
  send(events: Event[]): Promise<DeliveryReport>;
  /** The queue has nothing more to give right now: send what is held without waiting for a batch timer. */
  flush?(): void;
  /** Flushes what it holds; after `graceMs` it gives up on the rest and counts it. Idempotent. */
  stop(graceMs: number): Promise<void>;
}

export interface InputPlugin<Schema extends z.ZodType = z.ZodType> extends PluginDefinition<Schema> {
  readonly kind: 'input';
  /**
   * Set when the input must run in one process: why. With `pipeline.workers` > 1 the pipeline then
   * creates it in worker 0 only (files have one reader and one checkpoint file; statsd aggregates
   * cannot be added up across processes).
   */
  readonly oneProcess?: string;
  create(config: z.output<Schema>, context: InputContext): Input;
}

export interface FilterPlugin<Schema extends z.ZodType = z.ZodType> extends PluginDefinition<Schema> {
  readonly kind: 'filter';
  create(config: z.output<Schema>, context: PluginContext): Filter;
}

export interface OutputPlugin<Schema extends z.ZodType = z.ZodType> extends PluginDefinition<Schema> {
  readonly kind: 'output';
  create(config: z.output<Schema>, context: PluginContext): Output;
}

export type AnyPlugin = InputPlugin | FilterPlugin | OutputPlugin;

/** A filter that changes each event in place and drops none. */
export function eventByEvent(processOne: (event: Event) => void): Filter {
  return {
    process(events: Event[]): Event[] {
      for (const event of events) processOne(event);
      return events;
    },
  };
}
