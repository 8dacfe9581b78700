/** `type: elasticsearch`: bulk indexing into Elasticsearch 7-9 and OpenSearch 1-3. */
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { elasticsearchOutputSchema } from './config.js';
import { ElasticsearchSink } from './sink.js';

export const elasticsearchOutput: OutputPlugin<typeof elasticsearchOutputSchema> = {
  kind: 'output',
  type: 'elasticsearch',
  description:
    'Ships batches to Elasticsearch (7, 8, 9) or OpenSearch (1 to 3) with the bulk API over undici: NDJSON serialized once, `create` with the event id so retries never duplicate, index template at start, retries with backoff for failed requests and items, rejected events to a dead letter file.',
  schema: elasticsearchOutputSchema,
  example: { hosts: ['http://localhost:9200'], index: 'sluice-%{+yyyy.MM.dd}', batch: { max_events: 5000, max_bytes: 5242880, timeout: 1 } },
  create: (config, context) => new ElasticsearchSink(config, context),
};
