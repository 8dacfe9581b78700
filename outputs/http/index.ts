/**
 * `type: http`: POSTs each batch of events as JSON to a URL (a webhook, a collector), retrying
 * with backoff; what is refused for good or still failing after the retries is counted as
 * dropped and logged with the reason.
 */
import { z } from 'zod';
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { serializeEvent } from '../../pipeline/serialize.js';
import { count } from '../../config/fields.js';
import { postWithRetries } from './post.js';

const httpOutputSchema = z.strictObject({
  url: z.url().describe('Where the events are POSTed.'),
  format: z.enum(['json_array', 'ndjson']).default('json_array').describe('`json_array`: one JSON array per request; `ndjson`: one JSON event per line (`application/x-ndjson`).'),
  headers: z.record(z.string(), z.string()).default({}).describe('Extra request headers, e.g. `authorization: "Bearer ${TOKEN}"`.'),
  batch_size: count(500, 'Most events per request.'),
  timeout: z.number().positive().default(10).describe('Seconds per request.'),
  retries: count(5, 'Attempts after the first for network errors, timeouts, 429 and 5xx; other statuses are final.', 0),
  backoff: z.number().positive().default(0.5).describe('Seconds before the first retry; it doubles each time.'),
  backoff_max: z.number().positive().default(30).describe('Longest wait between two attempts, in seconds.'),
});

export const httpOutput: OutputPlugin<typeof httpOutputSchema> = {
  kind: 'output',
  type: 'http',
  description: 'POSTs events as JSON (an array per request, or NDJSON) to a URL: a webhook, a collector. Network errors, timeouts, 429 and 5xx are retried with exponential backoff; events refused for good, or still failing after the retries or at shutdown, are counted as dropped and logged with the status and reason.',
  schema: httpOutputSchema,
  example: { url: 'https://hooks.example.com/sluice', format: 'json_array', retries: 5 },
  create(config, context) {
    const { logger } = context;
    const stopping = new AbortController();
    const settings = { url: config.url, headers: config.headers, timeout: config.timeout, retries: config.retries, backoff: config.backoff, backoffMax: config.backoff_max };
    return {
      async start() {},
      async send(events) {
        let delivered = 0;
        let dropped = 0;
        for (let i = 0; i < events.length; i += config.batch_size) {
          const chunk = events.slice(i, i + config.batch_size);
          const lines = chunk.map(serializeEvent);
          const body = config.format === 'ndjson' ? `${lines.join('\n')}\n` : `[${lines.join(',')}]`;
          const result = await postWithRetries(settings, body, config.format === 'ndjson' ? 'application/x-ndjson' : 'application/json', stopping.signal);
          if (result.ok) delivered += chunk.length;
          else {
            dropped += chunk.length;
            logger.error({ code: result.retryable ? 'SLUICE_OUTPUT_REQUEST' : 'SLUICE_OUTPUT_REJECTED', url: config.url, events: chunk.length, reason: result.reason }, 'events not delivered over http: dropped');
          }
        }
        return { delivered, deadLettered: 0, dropped };
      },
      async stop(graceMs) {
        // Retries waiting out a dead endpoint give up after the grace period; what they held is counted by send().
        setTimeout(() => stopping.abort(), graceMs).unref();
      },
    };
  },
};
