/**
 * One member of a consumer group, fetching for the partitions the group gave it. The library
 * keeps the membership (join, heartbeats, rejoin on a rebalance); this loop owns the rest, so
 * that it knows at every moment what it asked for: positions, fetches, pushes, commits.
 *
 * - Each fetch becomes batches of at most `max_batch` events, pushed with an ack. A partition's
 *   offset is committed only up to the end of the run of acked ranges from its start
 *   (offsets.ts), on an interval, on a rebalance and on stop.
 * - A failed ack rewinds that partition to its first unacked offset; a fetch in flight for it
 *   is then recognised as stale (generation) and dropped, so nothing is skipped.
 * - A full queue stops fetching until it has room: nothing is dropped, Kafka keeps the rest.
 * - A rebalance commits what revoked partitions had acked and forgets what they had in flight
 *   (the new owner reads it again; the stable ids make the engine absorb the replay).
 */
import { Consumer, IS_CONTROL, type GroupAssignment } from '@platformatic/kafka';
import type { Event, InputMetadata } from '../../pipeline/event.js';
import { makeBatch, type BatchOutcome } from '../../pipeline/batch.js';
import { errorMessage } from '../../pipeline/errors.js';
import type { InputContext } from '../../pipeline/plugin.js';
import type { Counter } from '../../pipeline/metrics.js';
import { finishEvents } from '../finish.js';
import type { KafkaInputConfig } from './config.js';
import { kafkaConnectionOptions } from '../../config/kafka.js';
import { PartitionOffsets, type OffsetRange } from './offsets.js';
import { eventFromRecord, type DecodeOptions } from './records.js';
import { decodeFailureLog, type DecodeFailureLog } from './decode_log.js';
import { kafkaErrorReason } from '../../config/kafka_errors.js';
import { throttledReport, type ThrottledReport } from '../../pipeline/throttled_report.js';

/** Earliest and latest, as ListOffsets asks for them. */
const EARLIEST = -2n;
const LATEST = -1n;
const OFFSET_OUT_OF_RANGE = 'OFFSET_OUT_OF_RANGE';
const RETRY_MS = 1000;

export interface KafkaCounters {
  records: Counter;
  bytes: Counter;
  decodeFailures: Counter;
  commits: Counter;
  commitFailures: Counter;
  rebalances: Counter;
  rewinds: Counter;
  fetchErrors: Counter;
}

interface Owned {
  readonly topic: string;
  readonly partition: number;
  readonly offsets: PartitionOffsets;
  /** From the last fetch: the offset after the newest record on the broker. */
  highWatermark: bigint;
}

interface Piece {
  owned: Owned;
  range: OffsetRange;
}

/** Not exported by the library under this name: the shape its fetch resolves with. */
type FetchResponse = Awaited<ReturnType<Consumer['fetch']>>;

/** A partition as a fetch asked for it: a response is taken only if the partition is still there. */
interface Asked {
  owned: Owned;
  generation: number;
  position: bigint;
}

/** Per topic id, the partitions one fetch asked for. */
type Requested = Map<string, Asked[]>;

interface Fetched {
  response: FetchResponse;
  requested: Requested;
  /** Set when some partitions answered with an error (the others' records are in `response`). */
  failed?: unknown;
}

const keyOf = (topic: string, partition: number): string => `${topic}\u0000${partition}`;

export class KafkaGroupConsumer {
  private readonly consumer: Consumer;
  private readonly owned = new Map<string, Owned>();
  private readonly decode: DecodeOptions;
  private readonly facts: InputMetadata;
  private readonly failures: DecodeFailureLog;
  /** Fetch, group and commit failures: a broker that is down fails every second, logged once per interval. */
  private readonly problems: ThrottledReport<string>;
  private stopping = false;
  private assignmentChanged = false;
  private joins = 0;
  private loop: Promise<void> | undefined;
  private wake: (() => void) | undefined;
  private committing: Promise<void> | undefined;
  private commitTimer: NodeJS.Timeout | undefined;
  private settledWaiters: Array<() => void> = [];
  private readonly lagGauges = new Set<string>();
  private readonly groupOptions: { sessionTimeout: number; heartbeatInterval: number; rebalanceTimeout: number };

  constructor(
    private readonly config: KafkaInputConfig,
    private readonly context: InputContext,
    private readonly counters: KafkaCounters,
  ) {
    this.groupOptions = {
      sessionTimeout: config.session_timeout * 1000,
      heartbeatInterval: config.heartbeat_interval * 1000,
      // How long the group waits for members to rejoin in a rebalance; at least the session timeout.
      rebalanceTimeout: Math.max(config.session_timeout * 1000, 30_000),
    };
    const clientId = context.share.count > 1 ? `${config.client_id}-${context.share.index}` : config.client_id;
    this.consumer = new Consumer({
      ...kafkaConnectionOptions({ ...config, client_id: clientId }, `kafka input ${context.id}`),
      connectTimeout: Math.max(1, config.connect_timeout * 1000),
      groupId: config.group_id,
      autocommit: false,
      ...this.groupOptions,
      maxWaitTime: config.fetch_max_wait * 1000,
      maxBytes: config.fetch_max_bytes,
      minBytes: 1,
    });
    this.decode = { codec: config.codec, decorate: config.decorate_events, groupId: config.group_id };
    this.facts = { type: 'kafka', id: context.id };
    this.failures = decodeFailureLog(context.logger);
    const { logger } = context;
    this.problems = throttledReport<string>((times, latest) =>
      logger.warn({ code: 'SLUICE_KAFKA_CONSUMER', group: config.group_id, times, err: latest }, `kafka group ${config.group_id}: ${latest}${times > 1 ? ` (${times} times since the last report)` : ''}`),
    );
    // The library reports a failed rejoin as an 'error' event; unheard, it would end the process.
    this.consumer.on('error', (err: Error) => this.problems.add(kafkaErrorReason(err)));
    this.consumer.on('consumer:group:join', () => {
      if (this.joins++ > 0) this.counters.rebalances.inc();
      this.assignmentChanged = true;
      this.poke();
    });
    // Heard before the rejoin completes: the old generation may still commit what it acked.
    this.consumer.on('consumer:group:rebalance', () => void this.commit());
  }

  /** Brokers answer (TLS and SASL included), else the reason; then the group is joined in the background. */
  async connect(): Promise<void> {
    await this.consumer.metadata({ topics: [] });
  }

  begin(): void {
    this.consumer.topics.trackAll(...this.config.topics);
    this.loop = this.run().catch((err: unknown) => this.context.logger.error({ err: errorMessage(err) }, 'kafka consumer loop ended'));
    this.commitTimer = setInterval(() => void this.commit(), Math.max(100, this.config.commit_interval * 1000));
    this.commitTimer.unref();
  }

  /** High watermark of the last fetch minus the committed offset; 0 for a partition this member does not read. */
  lag(topic: string, partition: number): number {
    const owned = this.owned.get(keyOf(topic, partition));
    if (!owned) return 0;
    const lag = owned.highWatermark - owned.offsets.committed;
    return lag > 0n ? Number(lag) : 0;
  }

  private registerLag(topic: string, partition: number): void {
    const key = keyOf(topic, partition);
    if (this.lagGauges.has(key)) return;
    this.lagGauges.add(key);
    this.context.metrics.gauge('kafka_lag', 'Records of a partition this process reads not yet committed: the high watermark of the last fetch minus the committed offset (0 for a partition another member reads)', () => this.lag(topic, partition), { topic, partition: String(partition) });
  }

  async stop(): Promise<void> {
    if (this.stopping) return;
    this.stopping = true;
    this.poke();
    // A join in progress can wait on the others for rebalance_timeout; leaving the group ends it.
    await Promise.race([this.loop, new Promise((resolve) => setTimeout(resolve, this.config.fetch_max_wait * 1000 + 1000).unref())]);
    clearInterval(this.commitTimer);
    // What was pushed may still be accepted while the queue drains: wait for it (bounded) so its offsets go with us.
    await this.settled(this.config.close_grace * 1000);
    await this.commit();
    this.failures.flush();
    this.problems.flush();
    try {
      await this.consumer.close();
    } catch (err) {
      this.context.logger.warn({ err: errorMessage(err) }, `kafka consumer did not leave group ${this.config.group_id} cleanly; its partitions move after session_timeout`);
      await new Promise<void>((resolve) => this.consumer.close(true, () => resolve()));
    }
  }

  private poke(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Waits `ms`, or less when poked (a join, a rewind, stop); an earlier wait still pending ends now. */
  private pause(ms: number): Promise<void> {
    this.poke();
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        if (this.wake === wake) this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(wake, ms);
      timer.unref();
      this.wake = wake;
    });
  }

  private async run(): Promise<void> {
    let ahead: Promise<Fetched[]> | undefined;
    while (!this.stopping) {
      try {
        // First join, or a rejoin the library gave up on: (re)join; concurrent joins are one request.
        if (!this.consumer.isActive()) {
          await this.consumer.joinGroup(this.groupOptions);
          this.assignmentChanged = true;
        }
        if (this.assignmentChanged) await this.reconcile(this.consumer.assignments ?? []);
        if (this.owned.size === 0) {
          await this.pause(60_000);
          continue;
        }
        // A full queue: fetch nothing until it has room (a join or stop still wakes the loop).
        if (this.context.sink.full) {
          await Promise.race([this.context.sink.whenWritable(), this.pause(60_000)]);
          this.poke();
          continue;
        }
        // The next fetch is asked for (from where this one ends) before this one is decoded, so the
        // broker's round trip and the library's parsing overlap the decoding and the pipeline.
        const current = ahead ?? this.fetchAll();
        ahead = undefined;
        const fetched = await current;
        if (this.stopping) break;
        ahead = this.fetchAll(this.endsOf(fetched));
        ahead.catch(() => undefined);
        for (const { response, requested } of fetched) await this.take(response, requested);
        const failed = fetched.find((f) => f.failed !== undefined);
        if (failed) throw failed.failed;
      } catch (err) {
        if (this.stopping) break;
        this.counters.fetchErrors.inc();
        this.problems.add(`${kafkaErrorReason(err)}; retrying every ${RETRY_MS} ms`);
        this.consumer.clearMetadata();
        await this.pause(RETRY_MS);
      }
    }
  }

  /** The group's new assignment: revoked partitions commit and are forgotten, new ones start where the group left them. */
  private async reconcile(assignments: readonly GroupAssignment[]): Promise<void> {
    this.assignmentChanged = false;
    const wanted = new Map<string, { topic: string; partition: number }>();
    for (const { topic, partitions } of assignments) for (const partition of partitions) wanted.set(keyOf(topic, partition), { topic, partition });
    const revoked = [...this.owned.entries()].filter(([key]) => !wanted.has(key));
    if (revoked.length > 0) {
      await this.commit();
      for (const [key] of revoked) this.owned.delete(key);
    }
    const added = [...wanted.entries()].filter(([key]) => !this.owned.has(key)).map(([, place]) => place);
    if (added.length === 0 && revoked.length === 0) return;
    const starts = added.length > 0 ? await this.startingOffsets(added) : [];
    for (const { topic, partition, start, committed } of starts) {
      this.owned.set(keyOf(topic, partition), { topic, partition, offsets: new PartitionOffsets(start, committed), highWatermark: start });
      this.registerLag(topic, partition);
    }
    this.context.logger.info(
      { group: this.config.group_id, member: this.consumer.memberId, partitions: [...this.owned.values()].map((o) => `${o.topic}/${o.partition}`), revoked: revoked.length },
      `kafka group ${this.config.group_id}: reading ${this.owned.size} partition${this.owned.size === 1 ? '' : 's'}`,
    );
  }

  /** The group's committed offset per partition, or `start_from` where it has none. */
  private async startingOffsets(places: ReadonlyArray<{ topic: string; partition: number }>): Promise<Array<{ topic: string; partition: number; start: bigint; committed: bigint }>> {
    const byTopic = new Map<string, number[]>();
    for (const { topic, partition } of places) byTopic.set(topic, [...(byTopic.get(topic) ?? []), partition]);
    const committed = await this.consumer.listCommittedOffsets({ topics: [...byTopic].map(([topic, partitions]) => ({ topic, partitions })) });
    const missing = places.filter(({ topic, partition }) => (committed.get(topic)?.[partition] ?? -1n) < 0n);
    const fallback = missing.length > 0 ? await this.logEdges(missing, this.config.start_from === 'earliest' ? EARLIEST : LATEST) : new Map<string, bigint>();
    return places.map(({ topic, partition }) => {
      const offset = committed.get(topic)?.[partition] ?? -1n;
      if (offset >= 0n) return { topic, partition, start: offset, committed: offset };
      const start = fallback.get(keyOf(topic, partition)) ?? 0n;
      return { topic, partition, start, committed: -1n };
    });
  }

  private async logEdges(places: ReadonlyArray<{ topic: string; partition: number }>, timestamp: bigint): Promise<Map<string, bigint>> {
    const partitions: Record<string, number[]> = {};
    for (const { topic, partition } of places) (partitions[topic] ??= []).push(partition);
    const offsets = await this.consumer.listOffsets({ topics: Object.keys(partitions), partitions, timestamp });
    const edges = new Map<string, bigint>();
    for (const { topic, partition } of places) edges.set(keyOf(topic, partition), offsets.get(topic)?.[partition] ?? 0n);
    return edges;
  }

  /** One fetch per leader for every owned partition, from `from` where given, else from its position. */
  private async fetchAll(from?: ReadonlyMap<Owned, bigint>): Promise<Fetched[]> {
    const metadata = await this.consumer.metadata({ topics: [...new Set([...this.owned.values()].map((o) => o.topic))] });
    const perLeader = new Map<number, Requested>();
    const partitionMaxBytes = Math.max(64 * 1024, Math.floor(this.config.fetch_max_bytes / 4));
    for (const owned of this.owned.values()) {
      const topic = metadata.topics.get(owned.topic);
      const leader = topic?.partitions[owned.partition]?.leader;
      if (topic === undefined || leader === undefined || leader < 0) continue;
      const topics = perLeader.get(leader) ?? new Map<string, Asked[]>();
      perLeader.set(leader, topics);
      const list = topics.get(topic.id) ?? [];
      topics.set(topic.id, list);
      list.push({ owned, generation: owned.offsets.generation, position: from?.get(owned) ?? owned.offsets.position });
    }
    if (perLeader.size === 0) throw new Error('no leader known for the partitions this member reads');
    return Promise.all(
      [...perLeader].map(async ([node, requested]): Promise<Fetched> => {
        const topics = [...requested].map(([topicId, list]) => ({
          topicId,
          partitions: list.map(({ owned, position }) => ({ partition: owned.partition, fetchOffset: position, partitionMaxBytes, currentLeaderEpoch: -1, lastFetchedEpoch: -1 })),
        }));
        try {
          return { response: await this.consumer.fetch({ node, topics }), requested };
        } catch (err) {
          // A partition's error fails the whole response; the others' records are still in it.
          const partial = (err as { response?: FetchResponse }).response;
          if (!partial?.responses) throw err;
          return { response: partial, requested, failed: err };
        }
      }),
    );
  }

  /** Where each partition of these responses will be once they are taken: the next fetch starts there. */
  private endsOf(fetched: readonly Fetched[]): Map<Owned, bigint> {
    const ends = new Map<Owned, bigint>();
    for (const { response, requested } of fetched) {
      for (const topicResponse of response.responses) {
        const list = requested.get(topicResponse.topicId) ?? [];
        for (const part of topicResponse.partitions) {
          const batches = part.records;
          const asked = list.find((entry) => entry.owned.partition === part.partitionIndex);
          if (!asked || part.errorCode !== 0 || !batches || batches.length === 0) continue;
          const last = batches[batches.length - 1];
          const end = last.firstOffset + BigInt(last.lastOffsetDelta) + 1n;
          if (end > asked.position) ends.set(asked.owned, end);
        }
      }
    }
    return ends;
  }

  /** Turns a fetch response into pushed batches; a partition whose state moved on since the request is left out. */
  private async take(response: FetchResponse, requested: Requested): Promise<void> {
    let events: Event[] = [];
    let pieces: Piece[] = [];
    let bytes = 0;
    const flush = (): void => {
      // Only control records or gaps: nothing for the pipeline, the offsets move on at once.
      if (events.length === 0) this.settle(pieces, { ok: true });
      else this.push(events, bytes, pieces);
      events = [];
      pieces = [];
      bytes = 0;
    };
    const outOfRange: Owned[] = [];
    for (const topicResponse of response.responses) {
      const list = requested.get(topicResponse.topicId);
      if (!list) continue;
      for (const part of topicResponse.partitions) {
        const asked = list.find((entry) => entry.owned.partition === part.partitionIndex);
        if (!asked) continue;
        const { owned, generation, position } = asked;
        // Revoked, rewound or already advanced by another response since this fetch was asked for.
        if (this.owned.get(keyOf(owned.topic, owned.partition)) !== owned || owned.offsets.generation !== generation || owned.offsets.position !== position) continue;
        if (part.errorCode !== 0) {
          if (part.errorCode === 1) outOfRange.push(owned);
          continue;
        }
        owned.highWatermark = part.highWatermark;
        // Offsets as numbers in the loop (a bigint per record would be garbage); exact below 2^53.
        const from = Number(position);
        let rangeFirst = -1;
        let last = from - 1;
        for (const batch of part.records ?? []) {
          const base = Number(batch.firstOffset);
          const batchEnd = base + batch.lastOffsetDelta + 1;
          if (batch.attributes & IS_CONTROL) {
            if (batchEnd > last + 1) last = batchEnd - 1;
            continue;
          }
          for (const record of batch.records) {
            const offset = base + record.offsetDelta;
            if (offset < from) continue;
            const { event, failed } = eventFromRecord(record, owned.topic, owned.partition, offset, batch.firstTimestamp, this.decode);
            if (failed) {
              this.counters.decodeFailures.inc();
              this.failures.add({ topic: owned.topic, partition: owned.partition, offset });
            }
            if (rangeFirst < 0) rangeFirst = offset;
            events.push(event);
            bytes += record.value?.length ?? 0;
            last = offset;
            if (events.length >= this.config.max_batch) {
              pieces.push({ owned, range: owned.offsets.add(BigInt(rangeFirst), BigInt(offset + 1)) });
              rangeFirst = -1;
              flush();
            }
          }
          if (batchEnd > last + 1) last = batchEnd - 1;
        }
        // The end covers trailing control records and compacted gaps, so fetching moves past them.
        const end = BigInt(last + 1);
        if (end > owned.offsets.position) pieces.push({ owned, range: owned.offsets.add(rangeFirst >= 0 ? BigInt(rangeFirst) : owned.offsets.position, end) });
      }
    }
    this.counters.bytes.inc(bytes);
    flush();
    if (outOfRange.length > 0) await this.resetOutOfRange(outOfRange);
  }

  private push(events: Event[], bytes: number, pieces: Piece[]): void {
    this.counters.records.inc(events.length);
    finishEvents(events, 0, this.facts);
    const batch = makeBatch(events, bytes, (outcome) => this.settle(pieces, outcome));
    this.context.sink.push(batch);
  }

  private settle(pieces: readonly Piece[], outcome: BatchOutcome): void {
    for (const { owned, range } of pieces) {
      if (this.owned.get(keyOf(owned.topic, owned.partition)) !== owned) continue;
      if (owned.offsets.settle(range, outcome.ok)) {
        this.counters.rewinds.inc();
        this.context.logger.warn(
          { code: 'SLUICE_KAFKA_REWIND', topic: owned.topic, partition: owned.partition, offset: Number(owned.offsets.position), reason: outcome.ok ? undefined : outcome.reason },
          `kafka ${owned.topic}/${owned.partition}: offsets ${range.first}..${range.end - 1n} not accepted (${outcome.ok ? '' : outcome.reason}); not committed, read again from offset ${owned.offsets.position}`,
        );
        this.poke();
      }
    }
    if (this.settledWaiters.length > 0 && this.inFlight() === 0) for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  private inFlight(): number {
    let total = 0;
    for (const owned of this.owned.values()) total += owned.offsets.inFlight;
    return total;
  }

  private settled(ms: number): Promise<void> {
    if (this.inFlight() === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.context.logger.warn({ in_flight: this.inFlight(), close_grace: this.config.close_grace }, 'kafka input stopping: the pipeline did not accept everything within close_grace; the next owner reads it again');
        resolve();
      }, ms);
      this.settledWaiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** The committed offset is gone (retention) or beyond the log: start over from `start_from`. */
  private async resetOutOfRange(partitions: readonly Owned[]): Promise<void> {
    const edges = await this.logEdges(partitions, this.config.start_from === 'earliest' ? EARLIEST : LATEST);
    for (const owned of partitions) {
      const edge = edges.get(keyOf(owned.topic, owned.partition)) ?? 0n;
      this.context.logger.warn(
        { code: 'SLUICE_KAFKA_CONSUMER', topic: owned.topic, partition: owned.partition, from: Number(owned.offsets.position), to: Number(edge) },
        `kafka ${owned.topic}/${owned.partition}: offset ${owned.offsets.position} is not in the log (${OFFSET_OUT_OF_RANGE}); reading from the ${this.config.start_from} offset ${edge}`,
      );
      owned.offsets.rewind();
      owned.offsets.position = edge;
      owned.offsets.acked = edge;
    }
  }

  /** Commits what every owned partition acked beyond what the group holds; one commit at a time. */
  commit(): Promise<void> {
    if (this.committing) return this.committing.then(() => this.commit());
    const due = [...this.owned.values()].flatMap((owned) => {
      const offset = owned.offsets.committable();
      return offset === undefined ? [] : [{ owned, offset }];
    });
    if (due.length === 0 || this.consumer.memberId === null) return Promise.resolve();
    this.committing = this.consumer
      .commit({ offsets: due.map(({ owned, offset }) => ({ topic: owned.topic, partition: owned.partition, offset, leaderEpoch: -1 })) })
      .then(
        () => {
          for (const { owned, offset } of due) owned.offsets.committedTo(offset);
          this.counters.commits.inc();
        },
        (err: unknown) => {
          this.counters.commitFailures.inc();
          this.problems.add(`commit failed (${kafkaErrorReason(err)}); retried at the next interval`);
        },
      )
      .finally(() => {
        this.committing = undefined;
      });
    return this.committing;
  }
}
