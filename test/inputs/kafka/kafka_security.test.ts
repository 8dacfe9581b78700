/** The kafka input through the broker's SASL and TLS listeners (test/kafka/run), into stdout. */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { uniqueName } from '../../helpers/engine_client.js';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { KAFKA_SASL_USER } from '../../kafka/kafka.js';
import { createTopic, produceEvents } from './topics.js';

const bootstrap = inject('kafkaBootstrap');
const endpoints = inject('kafkaEndpoints');

afterEach(() => killAllSluices());

function pipeline(topic: string, brokers: string, security: string): string {
  return `
api: { port: 0 }
inputs:
  - type: kafka
    bootstrap_servers: ${brokers}
    topics: [${topic}]
    group_id: ${topic}-g
${security}
outputs:
  - type: stdout
`;
}

async function readsThrough(brokers: string, security: string): Promise<void> {
  const topic = uniqueName('kin-sec');
  await createTopic(bootstrap, topic, 1);
  await produceEvents(bootstrap, topic, topic, 0, 5);
  const proc = await startSluice(pipeline(topic, brokers, security));
  const events = await proc.waitForStdoutEvents(5, 30_000);
  expect(events.map((e) => e.seq).sort()).toEqual([0, 1, 2, 3, 4]);
  expect(await proc.stop()).toBe(0);
}

describe('kafka input security', () => {
  it.skipIf(!endpoints.sasl).each(['plain', 'scram-sha-256', 'scram-sha-512'])('reads through SASL %s', async (mechanism) => {
    await readsThrough(endpoints.sasl!, `    sasl: { mechanism: ${mechanism}, username: ${KAFKA_SASL_USER.username}, password: ${KAFKA_SASL_USER.password} }`);
  });

  it.skipIf(!endpoints.tls)('reads through TLS with the CA that signed the brokers', async () => {
    await readsThrough(endpoints.tls!, `    tls: { ca: ${endpoints.ca} }`);
  });

  it.skipIf(!endpoints.sasl)('a wrong SASL password stops the start with SLUICE_KAFKA_UNREACHABLE', async () => {
    const yaml = pipeline('kin-sec-denied', endpoints.sasl!, `    connect_timeout: 2\n    sasl: { mechanism: scram-sha-256, username: ${KAFKA_SASL_USER.username}, password: wrong }`);
    await expect(startSluice(yaml, { startTimeoutMs: 40_000 })).rejects.toThrow(/SLUICE_KAFKA_UNREACHABLE/);
  });
});
