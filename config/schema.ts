/**
 * The top level of a pipeline file. Plugin blocks are checked by their own schemas
 * (config/validate.ts); here they are only "an object with a type".
 */
import { z } from 'zod';
import { LOG_FORMATS, LOG_LEVELS } from '../pipeline/logger.js';
import { byteSize, count, port, seconds } from './fields.js';
import { alertsSchema } from '../pipeline/alerts/config.js';

export const queueSchema = z
  .strictObject({
    type: z
      .enum(['memory', 'persisted'])
      .default('memory')
      .describe('`memory`: events wait in memory (lost if the process dies). `persisted`: every batch is also written to an append-only log on disk before it is acknowledged, and a restart delivers what was not (Logstash\'s persisted queue).'),
    max_events: count(20_000, 'Most events held in memory between inputs and outputs (queued plus being sent). Inputs that can push back stop reading beyond it; UDP drops and counts. With `persisted`, what does not fit waits on disk.'),
    max_bytes: z
      .int({ error: 'expected a whole number of bytes' })
      .positive({ error: 'expected a positive number of bytes' })
      .optional()
      .describe('`memory`: most wire bytes held (default 32 MiB). `persisted`: most bytes of unacknowledged records on disk (default 1 GiB); beyond it inputs are pushed back as with a full memory queue.'),
    memory_bytes: byteSize(32 * 1024 * 1024, 'With `persisted`: most bytes of events also kept in memory (as objects, estimated at twice their record bytes), so that the worker reads them without going to disk.'),
    path: z.string().min(1).optional().describe('With `persisted`: the queue folder (default `data/queue/<pipeline.id>` under the working directory); each worker process uses a numbered folder inside it.'),
    segment_bytes: byteSize(64 * 1024 * 1024, 'With `persisted`: size at which a segment file is closed and the next one begun; fully acknowledged segments are deleted.'),
    sync: z
      .enum(['interval', 'batch'])
      .default('interval')
      .describe('With `persisted`: when records are made durable with fdatasync. `interval`: every `sync_interval` (group commit); `batch`: after every write, which covers all batches gathered since the previous one.'),
    sync_interval: seconds(0.05, 'With `sync: interval`: seconds between syncs, the most a power cut can lose of what was not yet acknowledged.'),
  })
  .describe('The queue between inputs and outputs.');

export const pipelineSettingsSchema = z
  .strictObject({
    workers: z
      .union([z.literal('auto'), z.int().min(1).max(64)], { error: 'expected "auto" or an integer 1..64' })
      .default(1)
      .describe('Processes that run the pipeline. Each runs inputs, filters and outputs for its share of connections (the OS spreads connections and datagrams between them); `auto` uses one per CPU core. The queue bounds are split between them; stdout is written by one process so lines never interleave.'),
    id: z
      .string()
      .regex(/^[A-Za-z0-9_.-]+$/, { error: 'expected letters, digits, _ . or -' })
      .default('main')
      .describe('Name of the pipeline; the persisted queue\'s default folder is named after it.'),
    batch_size: count(1000, 'Most events the worker takes from the queue at once and runs through the filters together.'),
    ack: z
      .enum(['queue', 'end_to_end'])
      .default('queue')
      .describe('When an input batch counts as accepted (Beats ACKs follow this): `queue` once the queue holds it (memory: queued; persisted: synced to disk), `end_to_end` once every output has delivered or dead-lettered it.'),
    queue: queueSchema.prefault({}),
    shutdown_timeout: seconds(30, 'On SIGINT/SIGTERM, how long outputs may keep trying to deliver what is left. Memory queue: then it is counted as dropped. Persisted queue: nothing more is read, in-flight events get at most 5 s of this, and whatever is not delivered stays on disk for the next start.'),
  })
  .describe('Queue, batching and acknowledgement settings.');

export const apiSchema = z
  .strictObject({
    enabled: z.boolean().default(true).describe('Serve /health, /metrics and /stats.'),
    host: z.string().default('127.0.0.1').describe('Address of the HTTP API; loopback by default.'),
    port: port(9600).describe('Port of the HTTP API (0: the OS picks one; it is logged).'),
  })
  .describe('The monitoring HTTP API.');

const pluginBlock = z.looseObject({
  type: z.string({ error: 'expected a plugin type (a string)' }).describe('Which plugin.'),
});

export const pipelineFileSchema = z.strictObject({
  log_level: z.enum(LOG_LEVELS).optional().describe('Level of sluice\'s own logs (overridden by --log-level).'),
  log_format: z.enum(LOG_FORMATS).optional().describe('Format of sluice\'s own logs on stderr: json or pretty (readable lines); without it, pretty when stderr is a terminal, else json (overridden by --log-format).'),
  pipeline: pipelineSettingsSchema.prefault({}),
  api: apiSchema.prefault({}),
  inputs: z.array(pluginBlock).min(1, { error: 'expected at least one input' }).describe('Where events come from.'),
  filters: z.array(pluginBlock).default([]).describe('What is done to each batch, in order.'),
  outputs: z.array(pluginBlock).min(1, { error: 'expected at least one output' }).describe('Where events go; every output receives every event its `when` selects.'),
  alerts: alertsSchema.prefault({}),
});

export type PipelineSettings = z.output<typeof pipelineSettingsSchema>;
export type ApiSettings = z.output<typeof apiSchema>;

/** Keys every plugin block may carry, whatever its type. */
export const COMMON_KEYS = {
  input: ['type', 'id'],
  filter: ['type', 'id', 'when'],
  output: ['type', 'id', 'when'],
} as const;
