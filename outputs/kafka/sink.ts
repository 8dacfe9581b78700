/**
 * The Kafka sink: each event becomes one record (serialized once), records are gathered into
 * produce requests bounded by count, bytes and linger, and each request is followed until the
 * broker acknowledged it (per `acks`): failures retry with jittered backoff until stop's grace,
 * records the broker refuses for good go to the dead letter file (or are dropped, counted).
 */
import type { DeliveryReport, Output, PluginContext } from '../../pipeline/plugin.js';
import type { Event } from '../../pipeline/event.js';
import { OutputError } from '../../pipeline/errors.js';
import type { Counter, Histogram } from '../../pipeline/metrics.js';
import type { MessageToProduce, Producer } from '@platformatic/kafka';
import { backoffDelay, type BackoffPolicy } from '../delivery/backoff.js';
import type { DeadLetter, DeadLetterFile } from '../delivery/dead_letter.js';
import { openDeadLetterFile } from '../delivery/config.js';
import { SendCall, settleAll, type Settleable } from '../delivery/settlement.js';
import { GiveUp } from '../delivery/give_up.js';
import { InFlightSlots } from '../delivery/slots.js';
import { Batcher } from '../delivery/batcher.js';
import { deadLetterOrDrop, dropAtShutdown } from '../delivery/rejected.js';
import { Throttle } from '../../pipeline/throttled_report.js';
import type { KafkaOutputConfig } from './config.js';
import { producerOptions } from './client.js';
import { RecordEncoder, recordEvent, type KafkaRecord } from './record.js';
import { produceVerdict } from './failure.js';
import { kafkaErrorReason } from '../../config/kafka_errors.js';

/** Room kept in a request for the batch header the broker counts against max_message_bytes. */
const BATCH_HEADER_BYTES = 64;

const DURATION_BOUNDS = [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

interface SinkCounters {
  requests: Counter;
  requestFailures: Counter;
  retried: Counter;
  bytesSent: Counter;
  duration: Histogram;
}

function message(record: KafkaRecord): MessageToProduce<Buffer, Buffer, Buffer, Buffer> {
  return record.key === undefined ? { topic: record.topic, value: record.value, headers: record.headers } : { topic: record.topic, key: record.key, value: record.value, headers: record.headers };
}

export class KafkaSink implements Output {
  private producerInstance: Producer<Buffer, Buffer, Buffer, Buffer> | undefined;
  private readonly encoder: RecordEncoder;
  private readonly batcher: Batcher<KafkaRecord>;
  private readonly slots: InFlightSlots;
  private readonly giveUp = new GiveUp();
  private readonly dlq: DeadLetterFile | undefined;
  private readonly backoff: BackoffPolicy;
  private readonly counters: SinkCounters;
  private readonly retryLog = new Throttle(5000);
  private readonly batchBytes: number;
  private flushWhenFree = false;

  constructor(
    private readonly config: KafkaOutputConfig,
    private readonly context: PluginContext,
  ) {
    this.encoder = new RecordEncoder({ topic: config.topic, key: config.key, maxMessageBytes: config.max_message_bytes });
    this.batchBytes = Math.max(1, config.batch_bytes - BATCH_HEADER_BYTES);
    this.batcher = new Batcher({ maxEvents: config.batch_size, maxBytes: this.batchBytes, lingerMs: config.linger * 1000 }, (records) => this.startJob(records));
    // The client numbers an idempotent producer's batches when they are answered, so two requests in flight would reuse numbers: one at a time.
    this.slots = new InFlightSlots(config.idempotent ? 1 : config.max_in_flight, () => {
      if (this.flushWhenFree) this.flush();
    });
    this.dlq = openDeadLetterFile(config.dead_letter_queue, context);
    this.backoff = { initialMs: config.retry.initial_backoff * 1000, maxMs: config.retry.max_backoff * 1000 };
    const { metrics } = context;
    this.counters = {
      requests: metrics.counter('kafka_produce_requests_total', 'Produce requests sent'),
      requestFailures: metrics.counter('kafka_produce_failures_total', 'Produce requests that failed (broker down, leader moved, timeout, records refused)'),
      retried: metrics.counter('events_retried_total', 'Event retries (an event retried twice counts twice)'),
      bytesSent: metrics.counter('kafka_produce_bytes_total', 'Record bytes sent (values, keys, headers), before compression'),
      duration: metrics.histogram('kafka_produce_duration_seconds', 'Time from a produce request to its acknowledgement (or failure)', DURATION_BOUNDS),
    };
    metrics.gauge('kafka_produce_requests_in_flight', 'Produce requests in flight now', () => this.slots.inFlight);
  }

  /** Asks a broker for the cluster's metadata: fails (never hangs past `timeout`) when none answers. */
  async start(): Promise<void> {
    // The client (~37 MiB) is loaded by the processes that produce, not by every one that validates a config.
    const { Producer } = await import('@platformatic/kafka');
    this.producerInstance = new Producer<Buffer, Buffer, Buffer, Buffer>(producerOptions(this.config));
    const servers = this.config.bootstrap_servers.join(', ');
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${this.config.timeout} s`)), this.config.timeout * 1000);
    });
    try {
      const metadata = await Promise.race([this.producer.metadata({ topics: [] }), deadline]);
      this.context.logger.info({ servers, brokers: metadata.brokers.size, cluster: metadata.id }, 'kafka cluster reached');
    } catch (err) {
      await this.closeProducer().catch(() => undefined);
      const reason = kafkaErrorReason(err);
      throw new OutputError('SLUICE_KAFKA_UNREACHABLE', `kafka output ${this.context.id}: no broker of ${servers} could be used: ${reason}`, true, { servers: this.config.bootstrap_servers, reason });
    } finally {
      clearTimeout(timer);
    }
  }

  send(events: Event[]): Promise<DeliveryReport> {
    return new Promise((resolve) => {
      const call = new SendCall(events.length, resolve);
      let refused: DeadLetter[] | undefined;
      for (const event of events) {
        const encoded = this.encoder.encode(event, call);
        if (!encoded.ok) {
          (refused ??= []).push({ event, facts: { topic: encoded.topic, reason: encoded.reason } });
          continue;
        }
        if (this.batcher.bytes + encoded.record.bytes > this.batchBytes) this.batcher.flush();
        this.batcher.add(encoded.record);
      }
      this.batcher.linger();
      if (refused) void this.refuse(refused, refused.map(() => ({ call })));
    });
  }

  /** The queue is idle: send what is held now, or as soon as a request slot is free. */
  flush(): void {
    this.flushWhenFree = false;
    if (this.batcher.size === 0) return;
    if (this.slots.free) this.batcher.flush();
    else this.flushWhenFree = true;
  }

  private startJob(records: KafkaRecord[]): void {
    const job = this.deliver(records).catch((err: unknown) => {
      // deliver() settles every record itself; reaching here is a bug, and the records are still accounted for.
      this.context.logger.error({ err: kafkaErrorReason(err) }, 'kafka produce job failed unexpectedly');
      settleAll(records, 'dropped');
    });
    this.giveUp.track(job);
  }

  /** Follows one request's records until each has a final fate; the slot is held through retries, so batches stay in order. */
  private async deliver(records: KafkaRecord[]): Promise<void> {
    await this.slots.acquire();
    try {
      await this.deliverHolding(records);
    } finally {
      this.slots.release();
    }
  }

  private async deliverHolding(records: KafkaRecord[]): Promise<void> {
    for (let attempt = 0; ; attempt++) {
      if (this.giveUp.active) return this.dropForShutdown(records);
      const failure = await this.produce(records);
      if (failure === undefined) return settleAll(records, 'delivered');
      if (this.giveUp.active) return this.dropForShutdown(records);
      this.counters.requestFailures.inc();
      const verdict = produceVerdict(failure);
      if (verdict.kind === 'refused') {
        // A topic refused as a whole takes all of a request that goes to it alone, in one letter batch.
        if (records.length === 1 || (verdict.scope === 'topic' && records.every((r) => r.topic === records[0].topic))) {
          return this.refuse(records.map((r) => ({ event: recordEvent(r), facts: { topic: r.topic, reason: verdict.reason } })), records);
        }
        // The broker refuses a partition's batch, not a record: halve until the refused records stand alone.
        const half = records.length >> 1;
        await this.deliverHolding(records.slice(0, half));
        return this.deliverHolding(records.slice(half));
      }
      this.counters.retried.inc(records.length);
      this.logRetry(records.length, verdict.reason, attempt);
      await this.giveUp.sleep(backoffDelay(this.backoff, attempt));
    }
  }

  private get producer(): Producer<Buffer, Buffer, Buffer, Buffer> {
    if (!this.producerInstance) throw new Error('kafka output used before start()');
    return this.producerInstance;
  }

  /** One produce request; resolves with its failure, or undefined once the broker acknowledged it. */
  private async produce(records: readonly KafkaRecord[]): Promise<unknown> {
    let bytes = 0;
    for (const record of records) bytes += record.bytes;
    this.counters.requests.inc();
    this.counters.bytesSent.inc(bytes);
    const started = performance.now();
    try {
      await this.producer.send({ messages: records.map(message) });
      return undefined;
    } catch (err) {
      return err ?? new Error('produce failed');
    } finally {
      this.counters.duration.observe((performance.now() - started) / 1000);
    }
  }

  private async refuse(letters: DeadLetter[], items: readonly Settleable[]): Promise<void> {
    const written = await deadLetterOrDrop(this.dlq, letters, items, this.context.id, this.context.logger);
    const sample = letters[0].facts;
    this.context.logger.warn(
      { code: 'SLUICE_KAFKA_REJECTED', events: letters.length, dead_lettered: written, dropped: letters.length - written, topic: sample.topic, reason: sample.reason, path: this.dlq?.path },
      written === letters.length ? 'events kafka cannot take; written to the dead letter queue' : 'events kafka cannot take; dead letter queue disabled or full: dropped',
    );
  }

  private logRetry(count: number, reason: string, attempt: number): void {
    // A first failure is routine (the first records of a new topic, a leader that just moved); a second one is news.
    if (attempt === 0) {
      this.context.logger.info({ code: 'SLUICE_KAFKA_RETRY', events: count, reason }, 'kafka produce failed once; retrying');
      return;
    }
    if (!this.retryLog.ready()) return;
    this.context.logger.warn({ code: 'SLUICE_KAFKA_RETRY', events: count, reason, attempt, servers: this.config.bootstrap_servers }, 'kafka produce failed; retrying with backoff');
  }

  private dropForShutdown(records: readonly KafkaRecord[]): void {
    dropAtShutdown(records, this.context.logger, 'shutdown timeout reached before the broker acknowledged them');
  }

  /** Closes even while requests wait on a broker: they end with an error. */
  private closeProducer(): Promise<void> {
    const producer = this.producerInstance;
    if (!producer) return Promise.resolve();
    return new Promise((resolve, reject) => producer.close(true, (err) => (err ? reject(err) : resolve())));
  }

  async stop(graceMs: number): Promise<void> {
    this.flushWhenFree = false;
    this.batcher.flush();
    const timedOut = await this.giveUp.waitForJobs(graceMs);
    this.giveUp.now();
    // Requests still waiting on a broker end with the client: their records are counted as dropped.
    await this.closeProducer().catch((err: unknown) => this.context.logger.warn({ err: kafkaErrorReason(err) }, 'kafka producer did not close cleanly'));
    if (timedOut) await this.giveUp.drained();
  }
}
