/**
 * The broker the suite runs on: every listener the kafka plugins are tested through answers with the
 * real client library, and Kafka's own console producer writes records it reads back.
 */
import { readFileSync } from 'node:fs';
import { Consumer, Producer, stringDeserializers, stringSerializers } from '@platformatic/kafka';
import { describe, expect, inject, it } from 'vitest';
import { KAFKA_SASL_USER, kafkaCommand, type KafkaHandle } from './kafka.js';

const endpoints = inject('kafkaEndpoints');
const broker: KafkaHandle = { bootstrap: inject('kafkaBootstrap'), endpoints, env: { ...(process.env as Record<string, string>) } };

async function roundTrip(bootstrap: string, extra: Record<string, unknown>, topic: string): Promise<string[]> {
  const producer = new Producer({ clientId: 'harness-test', bootstrapBrokers: [bootstrap], serializers: stringSerializers, autocreateTopics: true, ...extra });
  try {
    await producer.send({ messages: [{ topic, key: 'k', value: `hello ${topic}` }] });
  } finally {
    await producer.close();
  }
  return readTopic(bootstrap, extra, topic, 1);
}

async function readTopic(bootstrap: string, extra: Record<string, unknown>, topic: string, count: number): Promise<string[]> {
  const consumer = new Consumer({ clientId: 'harness-test', groupId: `harness-${topic}`, bootstrapBrokers: [bootstrap], deserializers: stringDeserializers, ...extra });
  const values: string[] = [];
  try {
    const stream = await consumer.consume({ topics: [topic], mode: 'earliest', autocommit: false });
    for await (const message of stream) {
      values.push(message.value as string);
      if (values.length >= count) break;
    }
    await stream.close();
  } finally {
    await consumer.close(true);
  }
  return values;
}

describe('the test Kafka broker', () => {
  it('serves plaintext', async () => {
    expect(await roundTrip(endpoints.plain, {}, `harness-plain-${process.pid}`)).toEqual([`hello harness-plain-${process.pid}`]);
  });

  it.skipIf(!endpoints.sasl)('serves SASL PLAIN and SCRAM with the test user', async () => {
    for (const mechanism of ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512']) {
      const topic = `harness-${mechanism.toLowerCase()}-${process.pid}`;
      expect(await roundTrip(endpoints.sasl!, { sasl: { mechanism, ...KAFKA_SASL_USER } }, topic)).toEqual([`hello ${topic}`]);
    }
  });

  it.skipIf(!endpoints.tls)('serves TLS with a certificate from its CA', async () => {
    const topic = `harness-tls-${process.pid}`;
    expect(await roundTrip(endpoints.tls!, { tls: { ca: readFileSync(endpoints.ca!) } }, topic)).toEqual([`hello ${topic}`]);
  });

  it("takes records from Kafka's own console producer", async () => {
    const topic = `harness-console-${process.pid}`;
    await kafkaCommand(broker, ['topic', topic, '2']);
    await kafkaCommand(broker, ['produce', topic], 'one\ntwo\nthree\n');
    expect((await readTopic(endpoints.plain, {}, topic, 3)).sort()).toEqual(['one', 'three', 'two']);
  });
});
