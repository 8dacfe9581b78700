/**
 * One real Kafka broker for the whole run (test/kafka/run), its plaintext address provided to tests
 * as `kafkaBootstrap` and its listeners as `kafkaEndpoints`. A set KAFKA_BOOTSTRAP is used instead
 * of starting one (with SLUICE_KAFKA_STATE naming its state dir, its SASL and TLS listeners too).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { startKafka, stopKafka, type KafkaEndpoints, type KafkaHandle } from './kafka.js';

declare module 'vitest' {
  export interface ProvidedContext {
    kafkaBootstrap: string;
    kafkaEndpoints: KafkaEndpoints;
  }
}

let kafka: KafkaHandle | undefined;

export async function setup(project: TestProject): Promise<void> {
  const state = process.env.KAFKA_BOOTSTRAP && process.env.SLUICE_KAFKA_STATE ? process.env.SLUICE_KAFKA_STATE : mkdtempSync(join(tmpdir(), 'sluice-kafka-suite-'));
  kafka = await startKafka({ state });
  project.provide('kafkaBootstrap', kafka.bootstrap);
  project.provide('kafkaEndpoints', kafka.endpoints);
}

export async function teardown(): Promise<void> {
  if (!kafka || process.env.KAFKA_BOOTSTRAP) return;
  await stopKafka(kafka);
  rmSync(kafka.env.SLUICE_KAFKA_STATE, { recursive: true, force: true });
}
