/**
 * The top level of a pipeline file. Plugin blocks are checked by their own schemas
 * (config/validate.ts); here they are only "an object with a type".
 */
import { z } from 'zod';
import { LOG_LEVELS } from '../pipeline/logger.js';
import { byteSize, count, port, seconds } from './fields.js';

export const queueSchema = z
  .strictObject({
    max_events: count(20_000, 'Most events held between inputs and outputs (queued plus being sent). Inputs that can push back stop reading beyond it; UDP drops and counts.'),
    max_bytes: byteSize(32 * 1024 * 1024, 'Most wire bytes held between inputs and outputs, the memory bound of the queue.'),
  })
  .describe('Bounds of the memory queue.');

export const pipelineSettingsSchema = z
  .strictObject({
    workers: z
      .union([z.literal('auto'), z.int().min(1).max(64)], { error: 'expected "auto" or an integer 1..64' })
      .default(1)
      .describe('Processes that run the pipeline. Each runs inputs, filters and outputs for its share of connections (the OS spreads connections and datagrams between them); `auto` uses one per CPU core. The queue bounds are split between them; stdout is written by one process so lines never interleave.'),
    batch_size: count(1000, 'Most events the worker takes from the queue at once and runs through the filters together.'),
    ack: z
      .enum(['memory', 'end_to_end'])
      .default('memory')
      .describe('When an input batch counts as accepted: `memory` once it is in the queue, `end_to_end` once every output has delivered or dead-lettered it (Beats ACKs follow this).'),
    queue: queueSchema.prefault({}),
    shutdown_timeout: seconds(30, 'On SIGINT/SIGTERM, how long outputs may keep trying to deliver what is left before it is counted as dropped.'),
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
  pipeline: pipelineSettingsSchema.prefault({}),
  api: apiSchema.prefault({}),
  inputs: z.array(pluginBlock).min(1, { error: 'expected at least one input' }).describe('Where events come from.'),
  filters: z.array(pluginBlock).default([]).describe('What is done to each batch, in order.'),
  outputs: z.array(pluginBlock).min(1, { error: 'expected at least one output' }).describe('Where events go; every output receives every event its `when` selects.'),
});

export type PipelineSettings = z.output<typeof pipelineSettingsSchema>;
export type ApiSettings = z.output<typeof apiSchema>;

/** Keys every plugin block may carry, whatever its type. */
export const COMMON_KEYS = {
  input: ['type', 'id'],
  filter: ['type', 'id', 'when'],
  output: ['type', 'id', 'when'],
} as const;
