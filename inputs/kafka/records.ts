/**
 * A Kafka record into an event: the value through the codec, the id the shipper gave it (the
 * `sluice-event-id` header of sluice's kafka output) or one derived from where the record sits,
 * so a replay after a crash or a rebalance carries the same `_id` and the engine absorbs it.
 */
import type { KafkaRecord } from '@platformatic/kafka';
import { isFieldObject, METADATA, type Event } from '../../pipeline/event.js';
import { eventFromJson } from '../beats/events.js';

/** Written by sluice's kafka output: the event's `@metadata._id`. */
export const EVENT_ID_HEADER = 'sluice-event-id';
const EVENT_ID_HEADER_BYTES = Buffer.from(EVENT_ID_HEADER);

export interface DecodeOptions {
  codec: 'json' | 'lines' | 'plain';
  decorate: boolean;
  groupId: string;
}

/** The header's value, or undefined (a record may carry headers of other producers too). */
export function headerEventId(record: KafkaRecord): string | undefined {
  for (const [key, value] of record.headers) {
    if (key && value && value.length > 0 && key.equals(EVENT_ID_HEADER_BYTES)) return value.toString('utf8');
  }
  return undefined;
}

/** Stable for as long as the topic exists: the same record always gets the same id. */
export function placeId(topic: string, partition: number, offset: number): string {
  return `kafka-${topic}-${partition}-${offset}`;
}

/** The event for one record, and whether its value failed to decode (kept as `message`, tagged). */
export function eventFromRecord(record: KafkaRecord, topic: string, partition: number, offset: number, batchTimestamp: bigint, options: DecodeOptions): { event: Event; failed: boolean } {
  const value = record.value ?? Buffer.alloc(0);
  let event: Event;
  let failed = false;
  if (options.codec === 'json') {
    ({ event, failed } = eventFromJson(value));
  } else {
    event = { message: value.toString('utf8') };
  }
  const id = headerEventId(record) ?? placeId(topic, partition, offset);
  const meta = event[METADATA];
  const metadata = isFieldObject(meta) ? meta : (event[METADATA] = {});
  metadata._id = id;
  if (options.decorate) {
    metadata.kafka = {
      topic,
      partition,
      offset,
      key: record.key ? record.key.toString('utf8') : null,
      timestamp: Number(batchTimestamp + record.timestampDelta),
      consumer_group: options.groupId,
    };
  }
  return { event, failed };
}
