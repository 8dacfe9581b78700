/**
 * The tiered topology of a large ELK installation, end to end: two shipper sluices (tcp and beats
 * in, kafka out) and two indexer sluices (kafka in, one consumer group, engine out). Real clients
 * send numbered events to both shippers (go-lumber with stable ids, as Filebeat's add_id; a TCP
 * sender); one indexer is killed with SIGKILL mid-stream, the other takes its partitions over, and
 * the killed one is started again. Every event sent must be in the engine exactly once: the shippers
 * ack Beats only after the broker did (end_to_end), the indexers commit offsets only after the engine
 * took the events, and what an indexer replays carries the id the shipper gave it.
 * SLUICE_TIER_EVENTS (default 15000 per sender, 4 senders) makes it longer.
 */
import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { count, seqCounts, uniqueName } from '../helpers/engine_client.js';
import { REPO_ROOT, startSluice, type SluiceProcess } from '../helpers/sluice.js';
import { kafkaCommand, type KafkaHandle } from '../kafka/kafka.js';
import { until } from '../helpers/until.js';

const engineUrl = inject('engineUrl');
const broker: KafkaHandle = { bootstrap: inject('kafkaBootstrap'), endpoints: inject('kafkaEndpoints'), env: { ...(process.env as Record<string, string>) } };
const PER_SENDER = Number(process.env.SLUICE_TIER_EVENTS ?? 15000);
const LUMBER = join(REPO_ROOT, 'test', 'interop', 'go_lumber', 'bin', 'lumber-send');

const running = new Set<SluiceProcess>();
afterAll(async () => {
  await Promise.allSettled([...running].map((s) => s.killGroup()));
});

function shipper(name: string, topic: string): string {
  return `
api: { port: 0 }
pipeline: { id: ${name}, workers: 1, ack: end_to_end }
inputs:
  - { type: tcp, id: tcp_in, port: 0 }
  - { type: beats, id: beats_in, port: 0 }
outputs:
  - type: kafka
    id: to_kafka
    bootstrap_servers: [${broker.bootstrap}]
    topic: ${topic}
    key: '%{[seq]}'
`;
}

function indexer(name: string, topic: string, index: string): string {
  return `
api: { port: 0 }
pipeline: { id: ${name}, workers: 1, ack: end_to_end }
inputs:
  - type: kafka
    id: from_kafka
    bootstrap_servers: [${broker.bootstrap}]
    topics: [${topic}]
    group_id: ${topic}
    session_timeout: 6
    heartbeat_interval: 1
outputs:
  - type: elasticsearch
    id: es
    hosts: [${engineUrl}]
    index: ${index}
    template: { name: ${index}, pattern: '${index}*' }
    batch: { max_events: 1000, timeout: 0.2 }
    retry: { initial_backoff: 0.1, max_backoff: 1 }
`;
}

async function start(yaml: string): Promise<SluiceProcess> {
  const sluice = await startSluice(yaml, { detached: true, startTimeoutMs: 60_000 });
  running.add(sluice);
  return sluice;
}

/** go-lumber sends `n` numbered events with stable ids, resending what was not ACKed. */
function lumber(port: number, marker: string, n: number): Promise<{ exit: number | null; stderr: string }> {
  const child = spawn(LUMBER, ['-addr', `127.0.0.1:${port}`, '-n', String(n), '-window', '200', '-ids', '-marker', marker, '-timeout', '30s'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (t: string) => (stderr += t));
  return new Promise((resolve) => child.on('close', (exit) => resolve({ exit, stderr })));
}

/** Numbered JSON lines over one TCP connection, written as fast as the shipper reads them. */
function tcpLines(port: number, marker: string, n: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('error', reject);
    let next = 0;
    const writeSome = (): void => {
      while (next < n) {
        let text = '';
        const end = Math.min(n, next + 200);
        for (let i = next; i < end; i++) text += `${JSON.stringify({ message: `tier tcp event ${i}`, marker, seq: i })}\n`;
        next = end;
        if (!socket.write(text)) return void socket.once('drain', writeSome);
      }
      socket.end(() => resolve());
    };
    socket.once('connect', writeSome);
  });
}

describe('shippers -> Kafka -> indexers -> engine', () => {
  it('delivers every event exactly once while an indexer is killed and restarted', async () => {
    const topic = uniqueName('tier');
    const index = uniqueName('tier');
    await kafkaCommand(broker, ['topic', topic, '4']);

    const shippers = await Promise.all([start(shipper('shipper-a', topic)), start(shipper('shipper-b', topic))]);
    const indexers = await Promise.all([start(indexer('indexer-a', topic, index)), start(indexer('indexer-b', topic, index))]);
    const streams = [
      { marker: 'tier-beats-a', send: () => lumber(shippers[0].port('beats_in'), 'tier-beats-a', PER_SENDER) },
      { marker: 'tier-beats-b', send: () => lumber(shippers[1].port('beats_in'), 'tier-beats-b', PER_SENDER) },
      { marker: 'tier-tcp-a', send: () => tcpLines(shippers[0].port('tcp_in'), 'tier-tcp-a', PER_SENDER) },
      { marker: 'tier-tcp-b', send: () => tcpLines(shippers[1].port('tcp_in'), 'tier-tcp-b', PER_SENDER) },
    ];
    const total = streams.length * PER_SENDER;

    const started = Date.now();
    const sending = Promise.all(streams.map((s) => s.send()));

    // Mid-stream: both indexers have written, then one dies the way a host does.
    await until(async () => (await indexers[0].counter('output_events_delivered_total', 'es')) > 0 && (await indexers[1].counter('output_events_delivered_total', 'es')) > 0, 'both indexers to deliver', 120_000, 250);
    await until(async () => (await count(engineUrl, `${index}*`).catch(() => 0)) >= total / 4, 'a quarter of the events in the engine', 120_000, 250);
    await indexers[0].killGroup();
    running.delete(indexers[0]);
    const atKill = await count(engineUrl, `${index}*`);
    // The survivor takes the dead member's partitions over once its session times out.
    await until(async () => (await count(engineUrl, `${index}*`).catch(() => 0)) >= Math.min(total, atKill + total / 8), 'the other indexer to go on', 120_000, 250);
    const restarted = await start(indexer('indexer-a', topic, index));

    const results = await sending;
    for (const result of results) if (result && typeof result === 'object' && 'exit' in result) expect(result.exit, result.stderr).toBe(0);
    const sent = Date.now();
    await until(async () => (await count(engineUrl, `${index}*`).catch(() => 0)) >= total, `all ${total} events in the engine`, 180_000, 250);
    const indexed = Date.now();

    const missing: string[] = [];
    let duplicated = 0;
    for (const stream of streams) {
      const counts = await seqCounts(engineUrl, index, stream.marker);
      for (let seq = 0; seq < PER_SENDER; seq++) if (counts.get(seq) !== 1) missing.push(`${stream.marker}/${seq}`);
      duplicated += [...counts.values()].filter((n) => n > 1).length;
    }
    const summary = {
      events: total,
      seconds: (indexed - started) / 1000,
      events_per_second: Math.round(total / ((indexed - started) / 1000)),
      lag_after_last_send_ms: indexed - sent,
      in_engine_at_kill: atKill,
      duplicated,
    };
    console.log(`kafka tier: ${JSON.stringify(summary)}`);
    expect(missing.slice(0, 10)).toEqual([]);
    expect(duplicated).toBe(0);
    expect(await count(engineUrl, `${index}*`)).toBe(total);

    for (const sluice of [...shippers, indexers[1], restarted]) {
      expect(await sluice.stop('SIGTERM', 30_000)).toBe(0);
      running.delete(sluice);
    }
  }, 420_000);
});
