/** The kafka output outside a pipeline, and the library's own consumer to read what it wrote. */
import { Consumer, type ConsumerOptions } from '@platformatic/kafka';
import { kafkaOutput } from '../../../outputs/kafka/index.js';
import { kafkaOutputSchema } from '../../../outputs/kafka/config.js';
import { Metrics } from '../../../pipeline/metrics.js';
import { standaloneContext } from '../../../pipeline/plugin_context.js';
import type { Output } from '../../../pipeline/plugin.js';

export interface ReadRecord {
  topic: string;
  key: string | undefined;
  value: string;
  headers: Record<string, string>;
}

export function kafkaSink(settings: Record<string, unknown>, id = 'kafka_test'): { output: Output; metrics: Metrics } {
  const metrics = new Metrics();
  const output = kafkaOutput.create(kafkaOutputSchema.parse(settings), standaloneContext(id, metrics));
  return { output, metrics };
}

/** Reads `topics` from the start until `count` records came (or the test's timeout ends it). */
export function readTopics(bootstrap: string, topics: string[], count: number, extra: Partial<ConsumerOptions<Buffer, Buffer, Buffer, Buffer>> = {}): Promise<ReadRecord[]> {
  return readTopicsUntil(bootstrap, topics, (records) => records.length >= count, extra);
}

/** Reads `topics` from the start until `enough` says so (or the test's timeout ends it). */
export async function readTopicsUntil(bootstrap: string, topics: string[], enough: (records: readonly ReadRecord[]) => boolean, extra: Partial<ConsumerOptions<Buffer, Buffer, Buffer, Buffer>> = {}): Promise<ReadRecord[]> {
  const consumer = new Consumer({ clientId: 'kafka-output-test', groupId: `read-${topics[0]}-${process.pid}-${Date.now()}`, bootstrapBrokers: [bootstrap], ...extra });
  const records: ReadRecord[] = [];
  try {
    if (enough(records)) return records;
    const stream = await consumer.consume({ topics, mode: 'earliest', autocommit: false });
    for await (const message of stream) {
      const headers: Record<string, string> = {};
      for (const [k, v] of message.headers) headers[k.toString()] = v.toString();
      records.push({ topic: message.topic, key: message.key && message.key.length > 0 ? message.key.toString() : undefined, value: message.value.toString(), headers });
      if (enough(records)) break;
    }
    await stream.close();
  } finally {
    await consumer.close(true);
  }
  return records;
}

export { until } from '../../helpers/until.js';
