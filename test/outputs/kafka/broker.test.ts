/**
 * The kafka output against the suite's real broker: what lands in the topics (read back with the
 * client library's consumer), every codec offered, refusals to the dead letter file, start against
 * nothing, SASL and TLS listeners.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, inject, it } from 'vitest';
import { Admin } from '@platformatic/kafka';
import { OFFERED_COMPRESSIONS } from '../../../outputs/kafka/config.js';
import { serializeEvent } from '../../../pipeline/serialize.js';
import type { Event } from '../../../pipeline/event.js';
import { SluiceError } from '../../../pipeline/errors.js';
import { uniqueName } from '../../helpers/engine_client.js';
import { KAFKA_SASL_USER } from '../../kafka/kafka.js';
import { kafkaSink, readTopics } from './helpers.js';

const bootstrap = inject('kafkaBootstrap');
const endpoints = inject('kafkaEndpoints');

function events(count: number, fields: (i: number) => Record<string, unknown> = () => ({})): Event[] {
  return Array.from({ length: count }, (_, i) => ({ '@timestamp': '2026-12-01T10:00:00.000Z', message: `event ${i}`, n: i, ...fields(i), '@metadata': { _id: `id-${i}`, input: { type: 'test' } } }) as unknown as Event);
}

describe('kafka output, real broker', () => {
  it('writes each event to its own topic, with its key, its id header and the shipped JSON as value', async () => {
    const prefix = uniqueName('kout-topics');
    const { output } = kafkaSink({ bootstrap_servers: bootstrap, topic: `${prefix}-%{[service][name]}`, key: '%{[host][name]}' });
    await output.start();
    const batch = events(40, (i) => ({ service: { name: i % 2 === 0 ? 'api' : 'web' }, ...(i % 10 === 9 ? {} : { host: { name: `h${i % 3}` } }) }));
    const expected = batch.map((e) => serializeEvent(e));
    expect(await output.send(batch)).toEqual({ delivered: 40, deadLettered: 0, dropped: 0 });
    await output.stop(5000);
    const read = await readTopics(bootstrap, [`${prefix}-api`, `${prefix}-web`], 40);
    expect(read).toHaveLength(40);
    for (const record of read) {
      const n = (JSON.parse(record.value) as { n: number }).n;
      expect(record.value).toBe(expected[n]);
      expect(record.topic).toBe(`${prefix}-${n % 2 === 0 ? 'api' : 'web'}`);
      expect(record.key).toBe(n % 10 === 9 ? undefined : `h${n % 3}`);
      expect(record.headers).toEqual({ 'sluice-event-id': `id-${n}` });
    }
    // Same key, same partition: a key's events keep the order they were sent in.
    const byKey = new Map<string, number[]>();
    for (const record of read) if (record.key) byKey.set(`${record.topic}/${record.key}`, [...(byKey.get(`${record.topic}/${record.key}`) ?? []), (JSON.parse(record.value) as { n: number }).n]);
    for (const ns of byKey.values()) expect(ns).toEqual([...ns].sort((a, b) => a - b));
  });

  it.each(OFFERED_COMPRESSIONS)('round-trips events compressed with %s', async (compression) => {
    const topic = uniqueName(`kout-${compression}`);
    const { output } = kafkaSink({ bootstrap_servers: [bootstrap], topic, compression, batch_size: 100 });
    await output.start();
    const batch = events(300, (i) => ({ text: `repeated text ${i % 7} `.repeat(20) }));
    expect(await output.send(batch)).toEqual({ delivered: 300, deadLettered: 0, dropped: 0 });
    await output.stop(5000);
    const values = (await readTopics(bootstrap, [topic], 300)).map((r) => r.value).sort();
    expect(values).toEqual(batch.map((e) => serializeEvent(e)).sort());
  });

  it('dead-letters an oversized event and one without a topic, each with its reason, and delivers the rest', async () => {
    const topic = uniqueName('kout-dlq');
    const path = join(mkdtempSync(join(tmpdir(), 'kout-dlq-')), 'dead.ndjson');
    const { output, metrics } = kafkaSink({ bootstrap_servers: bootstrap, topic: `${topic}%{[suffix]}`, max_message_bytes: 4096, batch_bytes: 4096, dead_letter_queue: { path } });
    await output.start();
    const batch = events(10, (i) => ({ suffix: i === 7 ? undefined : '', ...(i === 3 ? { big: 'x'.repeat(5000) } : {}) }));
    delete (batch[7] as Record<string, unknown>).suffix;
    expect(await output.send(batch)).toEqual({ delivered: 8, deadLettered: 2, dropped: 0 });
    await output.stop(5000);
    const letters = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { output: string; topic: string; reason: string; event: { n: number; '@metadata': { _id: string } } });
    expect(letters.map((l) => [l.event.n, l.output, l.event['@metadata']._id])).toEqual([
      [3, 'kafka_test', 'id-3'],
      [7, 'kafka_test', 'id-7'],
    ]);
    expect(letters[0].reason).toMatch(/more than max_message_bytes \(4096\)/);
    expect(letters[1].reason).toMatch(/topic did not resolve/);
    expect(metrics.sum('kafka_produce_requests_total')).toBeGreaterThan(0);
    const ns = (await readTopics(bootstrap, [topic], 8)).map((r) => (JSON.parse(r.value) as { n: number }).n);
    expect(ns.sort((a, b) => a - b)).toEqual([0, 1, 2, 4, 5, 6, 8, 9]);
  });

  it('dead-letters only the records a topic with a lower max.message.bytes refuses, halving the refused request until each stands alone', async () => {
    const topic = uniqueName('kout-small');
    const admin = new Admin({ clientId: 'kafka-output-test', bootstrapBrokers: [bootstrap] });
    try {
      await admin.createTopics({ topics: [topic], partitions: 1, replicas: 1, configs: [{ name: 'max.message.bytes', value: '3000' }] });
    } finally {
      await admin.close();
    }
    const path = join(mkdtempSync(join(tmpdir(), 'kout-small-')), 'dead.ndjson');
    const { output, metrics } = kafkaSink({ bootstrap_servers: bootstrap, topic, dead_letter_queue: { path } });
    await output.start();
    const batch = events(16, (i) => (i === 5 || i === 11 ? { big: 'x'.repeat(4000) } : {}));
    expect(await output.send(batch)).toEqual({ delivered: 14, deadLettered: 2, dropped: 0 });
    await output.stop(5000);
    const letters = readFileSync(path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { reason: string; event: { n: number } });
    expect(letters.map((l) => l.event.n).sort((a, b) => a - b)).toEqual([5, 11]);
    expect(letters[0].reason).toMatch(/^(MESSAGE_TOO_LARGE|RECORD_LIST_TOO_LARGE)/);
    expect(metrics.sum('kafka_produce_failures_total')).toBeGreaterThan(1);
    // At least once: a request refused as a whole may have had its good records written by an earlier half.
    const ns = new Set((await readTopics(bootstrap, [topic], 14)).map((r) => (JSON.parse(r.value) as { n: number }).n));
    expect([...ns].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 12, 13, 14, 15]);
  });

  it('fails start with SLUICE_KAFKA_UNREACHABLE naming the servers when no broker answers, within its timeout', async () => {
    const { output } = kafkaSink({ bootstrap_servers: '127.0.0.1:1,127.0.0.1:2', topic: 'never', timeout: 2 });
    const started = Date.now();
    const failure = await output.start().then(
      () => undefined,
      (err: unknown) => err,
    );
    expect(failure).toBeInstanceOf(SluiceError);
    expect((failure as SluiceError).code).toBe('SLUICE_KAFKA_UNREACHABLE');
    expect((failure as SluiceError).message).toMatch(/127\.0\.0\.1:1, 127\.0\.0\.1:2/);
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it.skipIf(!endpoints.sasl)('authenticates with SASL PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512', async () => {
    for (const mechanism of ['plain', 'scram-sha-256', 'scram-sha-512'] as const) {
      const topic = uniqueName(`kout-sasl-${mechanism}`);
      const { output } = kafkaSink({ bootstrap_servers: endpoints.sasl, topic, sasl: { mechanism, ...KAFKA_SASL_USER } });
      await output.start();
      expect(await output.send(events(5))).toEqual({ delivered: 5, deadLettered: 0, dropped: 0 });
      await output.stop(5000);
      expect(await readTopics(bootstrap, [topic], 5)).toHaveLength(5);
    }
    const { output } = kafkaSink({ bootstrap_servers: endpoints.sasl, topic: 'never', timeout: 5, sasl: { mechanism: 'plain', username: 'sluice', password: 'wrong' } });
    await expect(output.start()).rejects.toMatchObject({ code: 'SLUICE_KAFKA_UNREACHABLE' });
  });

  it.skipIf(!endpoints.tls)('speaks TLS to a broker whose certificate chains to the given CA', async () => {
    const topic = uniqueName('kout-tls');
    const { output } = kafkaSink({ bootstrap_servers: endpoints.tls, topic, tls: { ca: endpoints.ca } });
    await output.start();
    expect(await output.send(events(5))).toEqual({ delivered: 5, deadLettered: 0, dropped: 0 });
    await output.stop(5000);
    expect(await readTopics(bootstrap, [topic], 5)).toHaveLength(5);
    const untrusted = kafkaSink({ bootstrap_servers: endpoints.tls, topic: 'never', timeout: 5, tls: {} });
    await expect(untrusted.output.start()).rejects.toMatchObject({ code: 'SLUICE_KAFKA_UNREACHABLE' });
  });
});
