import { z } from 'zod';
import zlib from 'node:zlib';
import type { CompressionAlgorithmValue } from '@platformatic/kafka';
import { byteSize, count, seconds, template } from '../../config/fields.js';
import { bootstrapServersSchema, kafkaSaslSchema, kafkaTlsSchema } from '../../config/kafka.js';
import { checkDeadLetterPath, deadLetterQueueSchema } from '../delivery/config.js';

/**
 * What the client can compress with on this Node.js: snappy and lz4 are WebAssembly (no native
 * add-on), zstd is node:zlib's (from Node 22.15). Worked out by the client's own rule rather than
 * asked of it, so validating a config does not load the client (a test keeps the two in step).
 */
export const OFFERED_COMPRESSIONS: readonly CompressionAlgorithmValue[] = ['none', 'gzip', 'snappy', 'lz4', ...('zstdCompressSync' in zlib ? (['zstd'] as const) : [])];

const acks = z
  // YAML reads `acks: 1` as a number; -1 is Kafka's own spelling of all.
  .preprocess((value) => (value === -1 ? 'all' : typeof value === 'number' ? String(value) : value), z.enum(['all', '1', '0'], { error: 'expected all, 1 or 0' }))
  .default('all')
  .describe('When the broker counts a batch as written: `all` (default: every in-sync replica has it), `1` (the partition leader has it), `0` (sent, no answer awaited: events can be lost unnoticed).');

const compression = z
  .enum(OFFERED_COMPRESSIONS as [CompressionAlgorithmValue, ...CompressionAlgorithmValue[]], {
    error: (issue) => (issue.input === 'zstd' ? `zstd needs Node.js 22.15 or later (this is ${process.version}); use ${OFFERED_COMPRESSIONS.filter((c) => c !== 'none').join(', ')}` : `expected one of ${OFFERED_COMPRESSIONS.join(', ')}`),
  })
  .default('none')
  .describe(`Compression of record batches${OFFERED_COMPRESSIONS.includes('zstd') ? '' : ' (`zstd` too on Node.js 22.15 or later)'}.`);

export const kafkaOutputSchema = z
  .strictObject({
    bootstrap_servers: bootstrapServersSchema,
    topic: template('Topic of each event; `%{[field]}` and `%{+yyyy.MM.dd}` are filled per event. An event whose topic does not resolve (a missing field), or resolves to a name Kafka refuses, is dead-lettered with the reason.', 1),
    key: template('Message key; events with the same key go to one partition and keep their order there. Unresolved: no key (spread round-robin).').optional(),
    acks,
    idempotent: z.boolean().default(true).describe('The broker keeps each batch once even when a retry resends it (needs acks all). Sends are then one at a time per output, in order.'),
    compression,
    batch_size: count(1000, 'Most events in one produce request.'),
    batch_bytes: byteSize(1024 * 1024, 'Most bytes (values, keys and headers) in one produce request; at most max_message_bytes, since the broker\'s limit applies to a partition\'s batch.'),
    linger: seconds(0.005, 'Send a partial batch after this long; sooner when the queue has nothing more.'),
    max_in_flight: count(5, 'Most produce requests in flight at once when not idempotent (idempotent: 1). Above 1, a retried request can land after a later one, so a key\'s events may change order.'),
    max_message_bytes: byteSize(1024 * 1024, 'Largest event (value, key and headers) sent; a larger one is dead-lettered. The broker\'s message.max.bytes is 1 MiB by default.'),
    client_id: z.string().regex(/^\S+$/, { error: 'expected a client id without spaces' }).default('sluice').describe('Client id the brokers log and quota by.'),
    timeout: seconds(30, 'A connection or produce request that takes longer fails and is retried; also how long start waits for a broker.'),
    retry: z
      .strictObject({
        initial_backoff: seconds(0.1, 'First wait before a retry.'),
        max_backoff: seconds(30, 'Longest wait between retries (exponential growth with jitter up to this).'),
      })
      .prefault({})
      .describe('Retries of failed produce requests (broker down, leader moving, timeouts): without bound, until stop\'s grace runs out.'),
    tls: kafkaTlsSchema.optional().describe('TLS to the brokers; omit for plain TCP.'),
    sasl: kafkaSaslSchema.optional().describe('SASL authentication to the brokers.'),
    dead_letter_queue: deadLetterQueueSchema('events the brokers refuse for good (too large, an invalid topic)', 'Where refused events go, each with the reason.'),
  })
  .superRefine((config, ctx) => {
    if (config.idempotent && config.acks !== 'all') {
      ctx.addIssue({ code: 'custom', path: ['acks'], message: `idempotent delivery needs acks all (got ${config.acks}); set idempotent: false to use acks ${config.acks}` });
    }
    if (config.batch_bytes > config.max_message_bytes) {
      ctx.addIssue({ code: 'custom', path: ['batch_bytes'], message: `batch_bytes (${config.batch_bytes}) must be at most max_message_bytes (${config.max_message_bytes}): the broker refuses a partition's batch larger than that` });
    }
    checkDeadLetterPath(config.dead_letter_queue, ctx);
  });

export type KafkaOutputConfig = z.output<typeof kafkaOutputSchema>;
