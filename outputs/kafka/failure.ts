/**
 * What a failed produce request means, from the client's error alone (a pure function, tested
 * with the library's own error classes): retry (the broker is down, a leader moved, a timeout,
 * authentication, anything unknown), or refused for good (the records themselves are wrong).
 * Retrying what is unknown holds the events and pushes back, where refusing would lose them.
 */
import { describeKafkaError, kafkaErrorLeaves } from '../../config/kafka_errors.js';

/** `topic`: every record of that topic is refused alike; `record`: some records of the request are. */
export type ProduceVerdict = { kind: 'retry'; reason: string } | { kind: 'refused'; scope: 'topic' | 'record'; reason: string };

/** Kafka error ids that no retry can cure: they are about the records or their topic, not the cluster's state. */
const REFUSED_RECORDS = new Set(['MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'INVALID_RECORD']);
const REFUSED_TOPICS = new Set(['INVALID_TOPIC_EXCEPTION', 'TOPIC_AUTHORIZATION_FAILED']);

export function produceVerdict(err: unknown): ProduceVerdict {
  const all = kafkaErrorLeaves(err);
  const record = all.find((node) => typeof node.apiId === 'string' && REFUSED_RECORDS.has(node.apiId));
  if (record) return { kind: 'refused', scope: 'record', reason: describeKafkaError(record) };
  const topic = all.find((node) => typeof node.apiId === 'string' && REFUSED_TOPICS.has(node.apiId));
  if (topic) return { kind: 'refused', scope: 'topic', reason: describeKafkaError(topic) };
  // The last attempt's error says most about the broker's state now.
  const reasons = [...new Set(all.map(describeKafkaError))];
  return { kind: 'retry', reason: reasons.slice(-3).join('; ').slice(0, 500) };
}
