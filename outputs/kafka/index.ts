/** `type: kafka`: events to Kafka topics, acknowledged by the brokers before they count as delivered. */
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { kafkaOutputSchema } from './config.js';
import { KafkaSink } from './sink.js';

export const kafkaOutput: OutputPlugin<typeof kafkaOutputSchema> = {
  kind: 'output',
  type: 'kafka',
  description:
    'Produces each event (JSON without @metadata, serialized once) to a Kafka topic chosen per event, keyed by a template for ordering, with the event id in the `sluice-event-id` header so an indexer tier reading the topic keeps one document per event. An event is delivered when the brokers acknowledged it (`acks`); failed requests retry with jittered backoff until shutdown, events Kafka cannot take (too large, no topic) go to a dead letter file.',
  schema: kafkaOutputSchema,
  example: { bootstrap_servers: ['kafka-1:9092', 'kafka-2:9092'], topic: 'logs-%{[service][name]}', key: '%{[host][name]}', compression: 'lz4', linger: 0.01 },
  create: (config, context) => new KafkaSink(config, context),
};
