/**
 * A filled topic (4 partitions) read by sluice's kafka input into null: the producer writes the
 * records first, untimed (python-logstash-shaped JSON with the `sluice-event-id` header, as
 * sluice's kafka output writes them), then one sluice drains the topic as a fresh group. The
 * time runs from start to the last event delivered, so it includes the group join (~0.1 s).
 * The broker is kafka.ts's: KAFKA_BOOTSTRAP, or one of the bench's own.
 */
import { once } from 'node:events';
import { Admin, Producer, ProduceAcks } from '@platformatic/kafka';
import { counter, measuredResult, pythonLogstashLines, sampleSluice, startSluice, waitFor, type BenchResult } from './lib.js';

async function fillTopic(bootstrap: string, topic: string, events: number): Promise<number> {
  const admin = new Admin({ clientId: 'sluice-bench', bootstrapBrokers: [bootstrap] });
  await admin.createTopics({ topics: [topic], partitions: 4, replicas: 1 });
  await admin.close();
  const lines = pythonLogstashLines(1000).map((line) => Buffer.from(line));
  const producer = new Producer({ clientId: 'sluice-bench', bootstrapBrokers: [bootstrap], acks: ProduceAcks.LEADER });
  let bytes = 0;
  try {
    for (let start = 0; start < events; start += 5000) {
      const messages = [];
      for (let seq = start; seq < Math.min(events, start + 5000); seq++) {
        const value = lines[seq % lines.length];
        bytes += value.length;
        messages.push({ topic, key: Buffer.from(`host-${seq % 16}`), value, headers: new Map([[Buffer.from('sluice-event-id'), Buffer.from(`${topic}-${seq}`)]]) });
      }
      await producer.send({ messages });
    }
  } finally {
    await producer.close();
  }
  return bytes;
}

export async function kafkaIntoSluice(bootstrap: string, events: number, workers: number): Promise<BenchResult> {
  const topic = `sluice-bench-${process.pid}-${Date.now()}`;
  const bytes = await fillTopic(bootstrap, topic, events);
  const sluice = await startSluice(
    `api: { port: 0 }\npipeline:\n  workers: ${workers}\ninputs:\n  - { type: kafka, id: kafka, bootstrap_servers: "${bootstrap}", topics: [${topic}], group_id: ${topic} }\noutputs:\n  - { type: "null" }\n`,
  );
  const before = sampleSluice(sluice);
  const started = process.hrtime.bigint();
  const done = await waitFor(async () => (await counter(sluice, 'output_events_delivered_total')) >= events, 120_000, 20);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const after = sampleSluice(sluice);
  sluice.child.kill('SIGTERM');
  await once(sluice.child, 'exit');
  const admin = new Admin({ clientId: 'sluice-bench', bootstrapBrokers: [bootstrap] });
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await admin.close();
  if (!done) throw new Error(`sluice delivered fewer than the ${events} events in the topic`);
  return measuredResult(`kafka (4 partitions, python-logstash JSON, fresh group) -> null (workers: ${workers})`, events, bytes, elapsed, before, after);
}
