/**
 * The kafka output across a broker of the test's own (own state dir, never the suite's) that is
 * stopped and started again mid-stream: every event arrives (at least once: the distinct
 * sluice-event-id headers are all sent), retries are counted, and with `pipeline.ack: end_to_end`
 * a Beats window is ACKed only once the broker acknowledged its events.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Event } from '../../../pipeline/event.js';
import { uniqueName } from '../../helpers/engine_client.js';
import { connectTcp, sendTcp } from '../../helpers/net.js';
import { killAllSluices, startSluice } from '../../helpers/sluice.js';
import { kafkaLogTail, startKafka, stopKafka, type KafkaHandle } from '../../kafka/kafka.js';
import { jsonFrame, parseAcks, windowFrame } from '../../inputs/beats/frames.js';
import { kafkaSink, readTopicsUntil, until } from './helpers.js';

const state = mkdtempSync(join(tmpdir(), 'kout-own-broker-'));
let broker: KafkaHandle;

/** A broker of this file's own: KAFKA_BOOTSTRAP (the suite's broker) is hidden while it starts, so stopping it can never stop the shared one. */
async function ownBroker(keepData = false): Promise<KafkaHandle> {
  const shared = process.env.KAFKA_BOOTSTRAP;
  delete process.env.KAFKA_BOOTSTRAP;
  try {
    const handle = await startKafka({ state, keepData });
    expect(handle.env.SLUICE_KAFKA_STATE).toBe(state);
    expect(handle.env.KAFKA_BOOTSTRAP).toBeUndefined();
    return handle;
  } finally {
    if (shared !== undefined) process.env.KAFKA_BOOTSTRAP = shared;
  }
}

beforeAll(async () => {
  broker = await ownBroker();
}, 180_000);

afterAll(async () => {
  killAllSluices();
  await stopKafka(broker).catch(() => undefined);
  rmSync(state, { recursive: true, force: true });
}, 120_000);

function events(from: number, count: number): Event[] {
  return Array.from({ length: count }, (_, i) => ({ '@timestamp': '2026-12-01T10:00:00.000Z', message: `event ${from + i}`, '@metadata': { _id: `id-${from + i}` } }) as unknown as Event);
}

const quickRetries = { retry: { initial_backoff: 0.05, max_backoff: 0.5 }, timeout: 3 };

describe('kafka output, broker stopped and started again', () => {
  it('delivers every event at least once across the restart and counts the retries', async () => {
    const topic = uniqueName('kout-restart');
    const { output, metrics } = kafkaSink({ bootstrap_servers: broker.bootstrap, topic, batch_size: 100, ...quickRetries });
    await output.start();
    const reports = [];
    for (let b = 0; b < 5; b++) reports.push(await output.send(events(b * 100, 100)));
    await stopKafka(broker);
    const pending = [];
    for (let b = 5; b < 20; b++) pending.push(output.send(events(b * 100, 100)));
    await until(() => metrics.sum('events_retried_total') > 0, 'retries while the broker is down');
    broker = await ownBroker(true);
    reports.push(...(await Promise.all(pending)));
    await output.stop(5000);
    expect(reports).toEqual(Array.from({ length: 20 }, () => ({ delivered: 100, deadLettered: 0, dropped: 0 })));
    expect(metrics.sum('kafka_produce_failures_total')).toBeGreaterThan(0);
    const ids = new Set<string>();
    await readTopicsUntil(broker.bootstrap, [topic], (records) => {
      if (records.length > 0) ids.add(records[records.length - 1].headers['sluice-event-id']);
      return ids.size >= 2000;
    });
    expect(ids.size, kafkaLogTail(broker)).toBe(2000);
  }, 240_000);

  it('with end_to_end, leaves a Beats window un-ACKed while the broker is down and ACKs it once the broker took it', async () => {
    const topic = uniqueName('kout-e2e');
    const sluice = await startSluice(`
api: { port: 0 }
pipeline: { ack: end_to_end }
inputs:
  - { type: beats, id: beats, port: 0 }
outputs:
  - { type: kafka, id: kafka, bootstrap_servers: "${broker.bootstrap}", topic: ${topic}, linger: 0.001, retry: { initial_backoff: 0.05, max_backoff: 0.5 }, timeout: 3 }
`);
    const socket = await connectTcp(sluice.port('beats'));
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    const acks = () => parseAcks(Buffer.concat(received)).filter((a) => a.seq > 0);
    socket.write(Buffer.concat([windowFrame(2), jsonFrame(1, { message: 'w1 a' }), jsonFrame(2, { message: 'w1 b' })]));
    await until(() => acks().length === 1, 'the first window ACKed');
    await stopKafka(broker);
    socket.write(Buffer.concat([windowFrame(3), jsonFrame(1, { message: 'w2 a' }), jsonFrame(2, { message: 'w2 b' }), jsonFrame(3, { message: 'w2 c' })]));
    await until(async () => (await sluice.counter('events_retried_total', 'kafka')) > 0, 'the kafka output retrying');
    // The window's events are in sluice and being retried, so the input has had its chance to ACK: it must not have.
    expect(acks()).toEqual([{ version: '2A', seq: 2 }]);
    broker = await ownBroker(true);
    await until(() => acks().length === 2, 'the second window ACKed after the restart');
    expect(acks()).toEqual([
      { version: '2A', seq: 2 },
      { version: '2A', seq: 3 },
    ]);
    socket.destroy();
    const messages = new Set<string>();
    await readTopicsUntil(broker.bootstrap, [topic], (records) => {
      for (const r of records) messages.add((JSON.parse(r.value) as { message: string }).message);
      return messages.size >= 5;
    });
    expect([...messages].sort()).toEqual(['w1 a', 'w1 b', 'w2 a', 'w2 b', 'w2 c']);
  }, 240_000);

  it('with the persisted queue, keeps what a stopped broker did not take across a sluice restart, and delivers it once the broker is back', async () => {
    const topic = uniqueName('kout-pq');
    const queuePath = mkdtempSync(join(tmpdir(), 'kout-pq-'));
    const config = `
api: { port: 0 }
pipeline:
  queue: { type: persisted, path: ${queuePath}, sync_interval: 0.01 }
  shutdown_timeout: 30
inputs:
  - { type: tcp, id: in, port: 0 }
outputs:
  - { type: kafka, id: kafka, bootstrap_servers: "${broker.bootstrap}", topic: ${topic}, retry: { initial_backoff: 0.05, max_backoff: 0.5 }, timeout: 3 }
`;
    const first = await startSluice(config);
    await stopKafka(broker);
    await sendTcp(first.port('in'), Array.from({ length: 300 }, (_, i) => `${JSON.stringify({ message: `event ${i}` })}\n`).join(''));
    expect(await first.settledCounter('events_in_total', 'in', 300)).toBe(300);
    await until(async () => (await first.counter('events_retried_total', 'kafka')) > 0, 'the kafka output retrying');
    expect(await first.stop('SIGTERM', 45_000)).toBe(0);
    expect(first.logLines.find((l) => l.msg === 'events kept in the persisted queue for the next start')?.events).toBe(300);
    broker = await ownBroker(true);
    const second = await startSluice(config);
    expect(await second.settledCounter('output_events_delivered_total', 'kafka', 300, 60_000)).toBe(300);
    expect(await second.stop()).toBe(0);
    const messages = new Set<string>();
    await readTopicsUntil(broker.bootstrap, [topic], (records) => {
      if (records.length > 0) messages.add((JSON.parse(records[records.length - 1].value) as { message: string }).message);
      return messages.size >= 300;
    });
    expect(messages.size).toBe(300);
    rmSync(queuePath, { recursive: true, force: true });
  }, 240_000);

  it('gives up after stop\'s grace on what a stopped broker never took, and counts it as dropped', async () => {
    const topic = uniqueName('kout-grace');
    const { output } = kafkaSink({ bootstrap_servers: broker.bootstrap, topic, ...quickRetries });
    await output.start();
    expect(await output.send(events(0, 10))).toEqual({ delivered: 10, deadLettered: 0, dropped: 0 });
    await stopKafka(broker);
    const stuck = output.send(events(10, 50));
    const started = Date.now();
    await output.stop(1000);
    expect(await stuck).toEqual({ delivered: 0, deadLettered: 0, dropped: 50 });
    expect(Date.now() - started).toBeLessThan(5000);
  }, 60_000);
});
