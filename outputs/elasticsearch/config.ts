import { z } from 'zod';
import { byteSize, count, seconds, template } from '../../config/fields.js';
import { readNamedFile } from '../../config/files.js';
import { checkDeadLetterPath, deadLetterQueueSchema } from '../delivery/config.js';
import { readCertificates } from '../../config/pem.js';

const hostUrl = z.url({ protocol: /^https?$/, error: 'expected an http(s) URL such as http://localhost:9200' });

export const elasticsearchOutputSchema = z
  .strictObject({
    hosts: z
      .union([hostUrl, z.string().regex(/,/), z.array(hostUrl).min(1)], {
        // Missing (undefined) is left to the shared "required" message.
        error: (issue) => (issue.input === undefined ? undefined : 'expected an http(s) URL such as http://localhost:9200, a comma-separated list of them, or a list of them'),
      })
      .describe('Engine URL(s): one URL, a comma-separated list, or a list. Load is spread over them; dead ones are left out and probed back.')
      .transform((value) => (Array.isArray(value) ? value : value.split(',').map((h) => h.trim()).filter(Boolean))),
    index: template('Index name; `%{[field]}` and `%{+yyyy.MM.dd}` (from the event\'s @timestamp, UTC) are filled per event.', 1).default('sluice-%{+yyyy.MM.dd}'),
    action: z.enum(['create', 'index']).default('create').describe('`create` (default): an event whose id is already indexed is not indexed again, so retries and replays never duplicate. `index`: overwrite.'),
    document_id: template('Document `_id`; by default the event id given at ingest (or sent by a Beat).').default('%{[@metadata][_id]}'),
    user: z.string().optional().describe('Basic auth user.'),
    password: z.string().optional().describe('Basic auth password (never logged).'),
    api_key: z.string().optional().describe('API key, as `id:key` or already base64-encoded (never logged).'),
    tls: z
      .strictObject({
        ca: z.string().optional().describe('CA bundle (PEM) that the engine\'s certificate must chain to.'),
        verify: z.boolean().default(true).describe('Verify the engine\'s certificate and host name.'),
      })
      .optional()
      .describe('TLS to the engine (https URLs).'),
    batch: z
      .strictObject({
        max_events: count(5000, 'Most events in one bulk request.'),
        max_bytes: byteSize(5 * 1024 * 1024, 'Most NDJSON bytes in one bulk request (engines refuse bodies over 100 MB).'),
        timeout: seconds(1, 'Send a partial bulk after this long.'),
      })
      .prefault({})
      .describe('When a bulk request is sent.'),
    max_in_flight: count(4, 'Most bulk requests in flight at once, over all hosts.'),
    compression: z.enum(['none', 'gzip']).default('none').describe('Compress bulk bodies.'),
    request_timeout: seconds(60, 'A bulk request that takes longer is abandoned and retried.'),
    max_response_bytes: byteSize(
      64 * 1024 * 1024,
      'Largest reply read from the engine. Bulk replies are asked for only the status and error of each item (a few MB for 5000 failed items); a larger one fails the request, which is retried, instead of filling memory.',
    ),
    retry: z
      .strictObject({
        initial_backoff: seconds(0.1, 'First wait before a retry.'),
        max_backoff: seconds(30, 'Longest wait between retries (exponential growth with jitter up to this).'),
        max_retries: z.int().min(0).optional().describe('Give up after this many retries of an event and dead-letter it; unset: retry without bound (shutdown still ends it).'),
      })
      .prefault({})
      .describe('Retries of failed requests and of failed items.'),
    template: z
      .strictObject({
        install: z.boolean().default(true).describe('Install an index template at start.'),
        name: z.string().default('sluice').describe('Template name.'),
        pattern: z.string().optional().describe('Index pattern the template applies to; by default the index setting up to its first %{ followed by *.'),
        file: z.string().optional().describe('A JSON file with your own template body, installed instead of the built-in one.'),
        overwrite: z.boolean().default(true).describe('Replace an existing template of that name.'),
      })
      .prefault({})
      .describe('The index template: @timestamp as date, message as text, other strings as keyword.'),
    data_stream: z
      .strictObject({
        enabled: z.boolean().default(true).describe('Write to a data stream (index setting ignored, action create).'),
        type: z.string().default('logs').describe('Data stream type.'),
        dataset: z.string().default('sluice').describe('Data stream dataset.'),
        namespace: z.string().default('default').describe('Data stream namespace.'),
      })
      .optional()
      .describe('Data stream mode: events go to `<type>-<dataset>-<namespace>`.'),
    dead_letter_queue: deadLetterQueueSchema('events the engine rejects (400/404: mapping conflicts, missing index)', 'Where rejected events go, each with the engine\'s reason.'),
    healthcheck_interval: seconds(5, 'How often a dead host is probed with GET /.'),
  })
  .superRefine((config, ctx) => {
    if ((config.user === undefined) !== (config.password === undefined)) {
      ctx.addIssue({ code: 'custom', path: [config.user === undefined ? 'user' : 'password'], message: 'user and password go together' });
    }
    if (config.api_key !== undefined && config.user !== undefined) {
      ctx.addIssue({ code: 'custom', path: ['api_key'], message: 'use either api_key or user/password, not both' });
    }
    checkNamedFiles(config, ctx);
  });

/** The files this output reads or writes, checked at validation so `sluice check` refuses them. */
function checkNamedFiles(config: { tls?: { ca?: string | undefined } | undefined; template: { install: boolean; file?: string | undefined }; dead_letter_queue: { enabled: boolean; path?: string | undefined } }, ctx: z.RefinementCtx): void {
  if (config.tls?.ca) {
    const ca = readCertificates(config.tls.ca);
    if (!ca.ok) ctx.addIssue({ code: 'custom', path: ['tls', 'ca'], message: ca.problem });
  }
  if (config.template.install && config.template.file) {
    const problem = templateFileProblem(config.template.file);
    if (problem) ctx.addIssue({ code: 'custom', path: ['template', 'file'], message: problem });
  }
  checkDeadLetterPath(config.dead_letter_queue, ctx);
}

function templateFileProblem(path: string): string | undefined {
  const read = readNamedFile(path);
  if (!read.ok) return read.problem;
  try {
    const body: unknown = JSON.parse(read.data.toString('utf8'));
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return `${path}: expected a JSON object (an index template body)`;
    return undefined;
  } catch (err) {
    return `${path}: not valid JSON: ${(err as Error).message}`;
  }
}

export type ElasticsearchOutputConfig = z.output<typeof elasticsearchOutputSchema>;
