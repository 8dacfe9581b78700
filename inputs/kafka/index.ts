/** `type: kafka`: a consumer group member over topics, committing only what the pipeline accepted (see consumer.ts). */
import { KafkaError } from '../../pipeline/errors.js';
import type { InputPlugin } from '../../pipeline/plugin.js';
import { kafkaInputSchema } from './config.js';
import type { KafkaGroupConsumer } from './consumer.js';
import { kafkaErrorReason } from '../../config/kafka_errors.js';

export const kafkaInput: InputPlugin<typeof kafkaInputSchema> = {
  kind: 'input',
  type: 'kafka',
  description:
    'Reads topics as a member of a Kafka consumer group: every sluice process (and every worker process) with the same `group_id` shares the partitions, and one that dies is replaced after `session_timeout`. A partition\'s offset is committed only up to what the pipeline accepted in its ack mode (with `pipeline.ack: end_to_end`, what the outputs delivered), so a crash loses nothing and reads again only what was not accepted; a batch the pipeline gives up on is read again. The event id comes from the `sluice-event-id` header that sluice\'s kafka output writes, or is derived from topic, partition and offset, so replays after a crash or rebalance carry the same `_id` and the engine absorbs them. A full queue pauses fetching; nothing is dropped.',
  schema: kafkaInputSchema,
  example: { bootstrap_servers: ['kafka-1:9092', 'kafka-2:9092'], topics: ['logs'], group_id: 'sluice-indexers', codec: 'json', decorate_events: true },
  create(config, context) {
    const { metrics, logger } = context;
    const counters = {
      records: metrics.counter('kafka_records_total', 'Records read from Kafka'),
      bytes: metrics.counter('bytes_in_total', 'Record value bytes read'),
      decodeFailures: metrics.counter('decode_failures_total', 'Record values that were not a JSON object (kept as message, tagged)'),
      commits: metrics.counter('kafka_commits_total', 'Offset commits the group accepted'),
      commitFailures: metrics.counter('kafka_commit_failures_total', 'Offset commits that failed (retried at the next interval)'),
      rebalances: metrics.counter('kafka_rebalances_total', 'Group rebalances this member took part in after its first join'),
      rewinds: metrics.counter('kafka_rewinds_total', 'Partitions read again from their first unaccepted offset after the pipeline did not accept a batch'),
      fetchErrors: metrics.counter('kafka_fetch_errors_total', 'Fetches or group operations that failed (retried)'),
    };
    let consumer: KafkaGroupConsumer | undefined;
    let started = false;
    return {
      async start() {
        // The client library (~37 MiB) loads only where a kafka input starts, not in every process that validates a config.
        const { KafkaGroupConsumer } = await import('./consumer.js');
        consumer = new KafkaGroupConsumer(config, context, counters);
        try {
          await consumer.connect();
        } catch (err) {
          await consumer.stop().catch(() => undefined);
          const brokers = config.bootstrap_servers.join(', ');
          throw new KafkaError('SLUICE_KAFKA_UNREACHABLE', `kafka input ${context.id}: cannot reach the brokers ${brokers}: ${kafkaErrorReason(err)}`, { brokers: config.bootstrap_servers }, { cause: err });
        }
        started = true;
        consumer.begin();
        logger.info({ brokers: config.bootstrap_servers, topics: config.topics, group: config.group_id }, `kafka input: joining group ${config.group_id} for ${config.topics.join(', ')}`);
      },
      async stop() {
        if (!started || !consumer) return;
        await consumer.stop();
      },
      addresses: () => [],
    };
  },
};
