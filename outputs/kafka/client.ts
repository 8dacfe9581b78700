/** The settings of the kafka output as the client library's producer options. */
import type { ProducerOptions } from '@platformatic/kafka';
import { kafkaConnectionOptions } from '../../config/kafka.js';
import type { KafkaOutputConfig } from './config.js';

/** The client's ProduceAcks values (ALL, LEADER, NO_RESPONSE), written out so that the settings load without the client. */
const ACKS = { all: -1, '1': 1, '0': 0 } as const;

export function producerOptions(config: KafkaOutputConfig): ProducerOptions<Buffer, Buffer, Buffer, Buffer> {
  const timeoutMs = Math.max(1, Math.round(config.timeout * 1000));
  return {
    ...kafkaConnectionOptions(config, 'kafka output'),
    idempotent: config.idempotent,
    acks: ACKS[config.acks],
    compression: config.compression,
    timeout: timeoutMs,
    connectTimeout: timeoutMs,
    requestTimeout: timeoutMs,
    // The output retries itself, with jittered backoff and stop's grace; `false` (not 0) keeps the client from retrying forever when idempotent.
    retries: false,
    // Topics are chosen per event: let the broker create them when it allows that (auto.create.topics.enable).
    autocreateTopics: true,
    ...(config.idempotent ? {} : { maxInflights: config.max_in_flight }),
  };
}
