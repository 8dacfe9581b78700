/** Topics, records and committed offsets on the test broker, through the client library. */
import { Admin, Producer } from '@platformatic/kafka';
import { EVENT_ID_HEADER } from '../../../inputs/kafka/records.js';

export async function createTopic(bootstrap: string, topic: string, partitions: number): Promise<void> {
  const admin = new Admin({ clientId: 'kafka-input-test', bootstrapBrokers: [bootstrap] });
  try {
    await admin.createTopics({ topics: [topic], partitions, replicas: 1 });
  } finally {
    await admin.close();
  }
}

export interface SentEvent {
  seq: number;
  id: string;
}

/**
 * Numbered JSON events as sluice's kafka output writes them: the value is the shipped JSON, the
 * header `sluice-event-id` the id. Idempotent, so the broker holds each exactly once.
 */
export async function produceEvents(
  bootstrap: string,
  topic: string,
  marker: string,
  from: number,
  to: number,
  value: (seq: number) => string = (seq) => JSON.stringify({ marker, seq, message: `event ${seq}` }),
  /** Between sends of 1000: a stream that a consumer reads while it is written. */
  pauseMs = 0,
): Promise<SentEvent[]> {
  const producer = new Producer({ clientId: 'kafka-input-test', bootstrapBrokers: [bootstrap], idempotent: true });
  const sent: SentEvent[] = [];
  try {
    for (let start = from; start < to; start += 1000) {
      const messages = [];
      for (let seq = start; seq < Math.min(to, start + 1000); seq++) {
        const id = `${marker}-${seq}`;
        sent.push({ seq, id });
        messages.push({ topic, key: Buffer.from(`host-${seq % 13}`), value: Buffer.from(value(seq)), headers: new Map([[Buffer.from(EVENT_ID_HEADER), Buffer.from(id)]]) });
      }
      await producer.send({ messages });
      if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
    }
  } finally {
    await producer.close();
  }
  return sent;
}

/** The group's committed offset per partition of the topic (partitions without one are left out). */
export async function committedOffsets(bootstrap: string, group: string, topic: string): Promise<Map<number, bigint>> {
  const admin = new Admin({ clientId: 'kafka-input-test', bootstrapBrokers: [bootstrap] });
  try {
    const groups = await admin.listConsumerGroupOffsets({ groups: [group] });
    const offsets = new Map<number, bigint>();
    for (const entry of groups) {
      for (const t of entry.topics) {
        if (t.name !== topic) continue;
        for (const p of t.partitions) if (p.committedOffset >= 0n) offsets.set(p.partitionIndex, p.committedOffset);
      }
    }
    return offsets;
  } finally {
    await admin.close();
  }
}
