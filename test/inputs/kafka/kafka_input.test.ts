/**
 * The kafka input against the real broker and the real engine: `pipeline.ack: end_to_end`, so a
 * partition's offset is committed only once the engine took what came before it.
 */
import { afterEach, describe, expect, inject, it } from 'vitest';
import { count, engineJson, seqCounts, uniqueName, waitForCount } from '../../helpers/engine_client.js';
import { killAllSluices, startSluice, type SluiceProcess } from '../../helpers/sluice.js';
import { kafkaCommand, type KafkaHandle } from '../../kafka/kafka.js';
import { committedOffsets, createTopic, produceEvents } from './topics.js';

const engineUrl = inject('engineUrl');
const bootstrap = inject('kafkaBootstrap');
const broker: KafkaHandle = { bootstrap, endpoints: inject('kafkaEndpoints'), env: { ...(process.env as Record<string, string>) } };

afterEach(() => killAllSluices());

interface PipelineOptions {
  topic: string;
  group: string;
  index: string;
  codec?: string;
  engine?: string;
  extra?: string;
}

/** Kafka in, engine out; the record's place is copied into the document so a test can check offsets against it. */
function pipeline({ topic, group, index, codec = 'json', engine = engineUrl, extra = '' }: PipelineOptions): string {
  return `
pipeline: { ack: end_to_end, batch_size: 1000, shutdown_timeout: 3 }
api: { port: 0 }
inputs:
  - type: kafka
    id: kin
    bootstrap_servers: ${bootstrap}
    topics: [${topic}]
    group_id: ${group}
    codec: ${codec}
    decorate_events: true
    session_timeout: 6
    heartbeat_interval: 1
    commit_interval: 0.2
    max_batch: 500
${extra}
filters:
  - type: mutate
    copy: { "[@metadata][kafka]": "kafka" }
outputs:
  - type: elasticsearch
    id: es
    hosts: [${engine}]
    index: ${index}
    template: { name: ${index}, pattern: '${index}*' }
    batch: { max_events: 1000, timeout: 0.2 }
    retry: { initial_backoff: 0.1, max_backoff: 1 }
`;
}

/** Every seq once: as many documents as distinct ids as were sent. */
async function expectExactlyOnce(index: string, marker: string, sent: number): Promise<void> {
  expect(await waitForCount(engineUrl, index, sent, 90_000)).toBe(sent);
  const seqs = await seqCounts(engineUrl, index, marker);
  expect(seqs.size).toBe(sent);
  expect([...seqs.values()].filter((n) => n !== 1)).toEqual([]);
}

/** Committed offsets never ahead of the engine: every record of a partition below its committed offset is indexed. */
async function expectCommittedWithinEngine(group: string, topic: string, index: string): Promise<Map<number, bigint>> {
  const committed = await committedOffsets(bootstrap, group, topic);
  for (const [partition, offset] of committed) {
    const below = await count(engineUrl, index, { bool: { filter: [{ term: { 'kafka.partition': partition } }, { range: { 'kafka.offset': { lt: Number(offset) } } }] } });
    expect(below, `partition ${partition} committed at ${offset}`).toBe(Number(offset));
  }
  return committed;
}

async function furthestCommitted(group: string, topic: string): Promise<bigint> {
  return [...(await committedOffsets(bootstrap, group, topic)).values()].reduce((a, b) => (b > a ? b : a), 0n);
}

async function partitionsRead(proc: SluiceProcess, partitions: number): Promise<void> {
  await proc.waitForLog((l) => typeof l.msg === 'string' && l.msg.includes(`reading ${partitions} partition`), 60_000);
}

describe('kafka input', () => {
  it('reads every partition into the engine once, with the ids from the header, and commits what the engine took', async () => {
    const topic = uniqueName('kin-all');
    const index = uniqueName('kin-all');
    const group = `${topic}-g`;
    await createTopic(bootstrap, topic, 4);
    const sent = await produceEvents(bootstrap, topic, topic, 0, 4000);
    const proc = await startSluice(pipeline({ topic, group, index }));
    await expectExactlyOnce(index, topic, sent.length);
    const doc = await engineJson<{ _id: string; _source: { kafka: { topic: string } } }>(engineUrl, `/${index}/_doc/${sent[7].id}`);
    expect(doc._source.kafka.topic).toBe(topic);
    // The last commits follow the last acks: wait for them, then all 4000 records are committed.
    const deadline = Date.now() + 10_000;
    let total = 0n;
    while (Date.now() < deadline) {
      total = [...(await committedOffsets(bootstrap, group, topic)).values()].reduce((a, b) => a + b, 0n);
      if (total === 4000n) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(total).toBe(4000n);
    expect(await proc.counter('kafka_commits_total', 'kin')).toBeGreaterThan(0);
    expect(await proc.stop()).toBe(0);
  });

  it("takes lines from Kafka's own console producer, each with an id from its place", async () => {
    const topic = uniqueName('kin-console');
    const index = uniqueName('kin-console');
    await kafkaCommand(broker, ['topic', topic, '2']);
    await kafkaCommand(broker, ['produce', topic], 'first line\nsecond line\nthird line\n');
    const proc = await startSluice(pipeline({ topic, group: `${topic}-g`, index, codec: 'lines' }));
    expect(await waitForCount(engineUrl, index, 3, 60_000)).toBe(3);
    const hits = await engineJson<{ hits: { hits: Array<{ _id: string; _source: { message: string; kafka: { partition: number; offset: number } } }> } }>(engineUrl, `/${index}/_search`, { method: 'POST', body: { size: 10 } });
    expect(hits.hits.hits.map((h) => h._source.message).sort()).toEqual(['first line', 'second line', 'third line']);
    for (const hit of hits.hits.hits) expect(hit._id).toBe(`kafka-${topic}-${hit._source.kafka.partition}-${hit._source.kafka.offset}`);
    expect(await proc.stop()).toBe(0);
  });

  it('keeps a value that is not JSON as the message, tagged and counted, and the others flow', async () => {
    const topic = uniqueName('kin-bad');
    const index = uniqueName('kin-bad');
    await createTopic(bootstrap, topic, 1);
    await produceEvents(bootstrap, topic, topic, 0, 10, (seq) => (seq === 4 ? `{"marker":"${topic}","seq":4,"message":"cut` : JSON.stringify({ marker: topic, seq, message: `event ${seq}` })));
    const proc = await startSluice(pipeline({ topic, group: `${topic}-g`, index }));
    expect(await waitForCount(engineUrl, index, 10, 60_000)).toBe(10);
    const tagged = await engineJson<{ hits: { hits: Array<{ _id: string; _source: { message: string; tags: string[] } }> } }>(engineUrl, `/${index}/_search`, { method: 'POST', body: { query: { term: { tags: '_jsonparsefailure' } } } });
    expect(tagged.hits.hits).toHaveLength(1);
    expect(tagged.hits.hits[0]._id).toBe(`${topic}-4`);
    expect(tagged.hits.hits[0]._source.message).toBe(`{"marker":"${topic}","seq":4,"message":"cut`);
    expect(await proc.settledCounter('decode_failures_total', 'kin', 1)).toBe(1);
    const logged = await proc.waitForLog((l) => l.code === 'SLUICE_KAFKA_DECODE');
    expect(logged).toMatchObject({ topic, partition: 0, offset: 4 });
    expect(await proc.stop()).toBe(0);
  });

  it('commits nothing while the engine cannot be reached, and nothing when the pipeline gives up at shutdown', async () => {
    const topic = uniqueName('kin-down');
    const index = uniqueName('kin-down');
    const group = `${topic}-g`;
    await createTopic(bootstrap, topic, 2);
    await produceEvents(bootstrap, topic, topic, 0, 200);
    // A port nobody listens on: the output retries, nothing is delivered.
    const proc = await startSluice(pipeline({ topic, group, index, engine: 'http://127.0.0.1:1' }));
    await partitionsRead(proc, 2);
    expect(await proc.settledCounter('kafka_records_total', 'kin', 200)).toBe(200);
    // Several commit intervals pass: none may move an offset past the start (0, where reading began).
    await new Promise((r) => setTimeout(r, 1500));
    expect(await furthestCommitted(group, topic)).toBe(0n);
    expect(await proc.stop()).toBe(0);
    expect(proc.logLines.some((l) => l.code === 'SLUICE_KAFKA_REWIND')).toBe(true);
    expect(await furthestCommitted(group, topic)).toBe(0n);
  });

  it('a consumer killed with SIGKILL mid-stream and started again: every event in the engine once, no commit ahead of the engine', async () => {
    const topic = uniqueName('kin-crash');
    const index = uniqueName('kin-crash');
    const group = `${topic}-g`;
    const total = 30_000;
    await createTopic(bootstrap, topic, 4);
    // Written while it is read, so the kill comes mid-stream: batches in flight, offsets not yet committed.
    const producing = produceEvents(bootstrap, topic, topic, 0, total, undefined, 100);
    const first = await startSluice(pipeline({ topic, group, index }));
    expect(await waitForCount(engineUrl, index, 4000, 60_000)).toBeGreaterThanOrEqual(4000);
    // Killed once some offsets are committed, mid-stream: the restart must neither lose nor repeat.
    for (const deadline = Date.now() + 20_000; (await furthestCommitted(group, topic)) === 0n && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    first.kill();
    await first.waitForExit();
    expect(await count(engineUrl, index)).toBeLessThan(total);
    const committed = await expectCommittedWithinEngine(group, topic, index);
    expect(committed.size).toBeGreaterThan(0);
    await producing;
    const second = await startSluice(pipeline({ topic, group, index }));
    await expectExactlyOnce(index, topic, total);
    expect(await second.stop()).toBe(0);
    await expectCommittedWithinEngine(group, topic, index);
  });

  it('two processes share the partitions of one group; when one is killed the other takes its partitions over', async () => {
    const topic = uniqueName('kin-group');
    const index = uniqueName('kin-group');
    const group = `${topic}-g`;
    await createTopic(bootstrap, topic, 4);
    await produceEvents(bootstrap, topic, topic, 0, 4000);
    const a = await startSluice(pipeline({ topic, group, index }));
    await partitionsRead(a, 4);
    const b = await startSluice(pipeline({ topic, group, index }));
    await Promise.all([partitionsRead(a, 2), partitionsRead(b, 2)]);
    // Written while both read it, so a dies with batches in flight.
    const producing = produceEvents(bootstrap, topic, topic, 4000, 16_000, undefined, 100);
    expect(await waitForCount(engineUrl, index, 6000, 60_000)).toBeGreaterThanOrEqual(6000);
    expect(await a.counter('kafka_records_total', 'kin')).toBeGreaterThan(0);
    expect(await b.counter('kafka_records_total', 'kin')).toBeGreaterThan(0);
    a.kill();
    await a.waitForExit();
    const after = b.logLines.length;
    await producing;
    // After the session timeout the group gives b all four partitions.
    await b.waitForLog((l) => b.logLines.indexOf(l) >= after && typeof l.msg === 'string' && l.msg.includes('reading 4 partitions'), 60_000);
    await expectExactlyOnce(index, topic, 16_000);
    expect(await b.counter('kafka_rebalances_total', 'kin')).toBeGreaterThanOrEqual(2);
    expect(await b.stop()).toBe(0);
    await expectCommittedWithinEngine(group, topic, index);
  });

  it('with pipeline.workers: 2 each worker process is a member of the group and reads its share', async () => {
    const topic = uniqueName('kin-workers');
    const index = uniqueName('kin-workers');
    await createTopic(bootstrap, topic, 4);
    await produceEvents(bootstrap, topic, topic, 0, 4000);
    const proc = await startSluice(pipeline({ topic, group: `${topic}-g`, index }).replace('pipeline: { ack: end_to_end,', 'pipeline: { workers: 2, ack: end_to_end,'));
    // Once both have joined, the group has split the four partitions between the two workers.
    await proc.waitForLog((l) => l.worker === 0 && typeof l.msg === 'string' && l.msg.includes('reading 2 partitions'), 60_000);
    await proc.waitForLog((l) => l.worker === 1 && typeof l.msg === 'string' && l.msg.includes('reading 2 partitions'), 60_000);
    await produceEvents(bootstrap, topic, topic, 4000, 8000);
    await expectExactlyOnce(index, topic, 8000);
    expect(await proc.stop()).toBe(0);
  });

  it('a full queue stops fetching until there is room again; nothing is dropped', async () => {
    const topic = uniqueName('kin-bp');
    const total = 20_000;
    await createTopic(bootstrap, topic, 1);
    await produceEvents(bootstrap, topic, topic, 0, total, (seq) => JSON.stringify({ marker: topic, seq, message: 'm'.repeat(200) }));
    // Nobody reads stdout: the pipe fills, the stdout output waits, the queue fills, the input must wait.
    const proc = await startSluice(
      `
api: { port: 0 }
pipeline: { queue: { max_events: 500 } }
inputs:
  - { type: kafka, id: kin, bootstrap_servers: ${bootstrap}, topics: [${topic}], group_id: ${topic}-g, fetch_max_bytes: 65536, max_batch: 100 }
outputs:
  - { type: stdout }
`,
      { stdout: 'stall' },
    );
    // Fetching stops: the records read stop growing while far below what the topic holds.
    let read = -1;
    for (let now = await proc.counter('kafka_records_total', 'kin'); now !== read; now = await proc.counter('kafka_records_total', 'kin')) {
      read = now;
      await new Promise((r) => setTimeout(r, 1000));
    }
    expect(read).toBeGreaterThan(0);
    expect(read).toBeLessThan(total / 2);
    proc.readStdout();
    const events = await proc.waitForStdoutEvents(total, 60_000);
    expect(new Set(events.map((e) => e.seq)).size).toBe(total);
    expect(await proc.counter('events_dropped_total')).toBe(0);
    expect(await proc.stop()).toBe(0);
  });

  it('brokers that cannot be reached stop the start with SLUICE_KAFKA_UNREACHABLE naming them', async () => {
    const yaml = pipeline({ topic: 'nowhere', group: 'nowhere', index: uniqueName('kin-none') }).replace(`bootstrap_servers: ${bootstrap}`, 'bootstrap_servers: 127.0.0.1:1, 127.0.0.1:2\n    connect_timeout: 1');
    const started = Date.now();
    await expect(startSluice(yaml, { startTimeoutMs: 40_000 })).rejects.toThrow(/SLUICE_KAFKA_UNREACHABLE.*127\.0\.0\.1:1, 127\.0\.0\.1:2/);
    expect(Date.now() - started).toBeLessThan(40_000);
  });
});
