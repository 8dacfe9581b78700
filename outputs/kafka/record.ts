/**
 * Event -> the message it becomes: topic and key from their templates, the value serialized
 * once (JSON without @metadata), the stable event id as a header. What cannot be sent at all
 * (no topic, a name Kafka refuses, too large) is said here, before any request.
 */
import type { Event } from '../../pipeline/event.js';
import { METADATA } from '../../pipeline/event.js';
import { serializeEvent } from '../../pipeline/serialize.js';
import { compileTemplate, isTemplate, type Template } from '../../pipeline/template.js';
import type { SendCall } from '../delivery/settlement.js';

/** The header the indexer tier's kafka input reads back into `@metadata._id`: keep the name. */
export const EVENT_ID_HEADER = 'sluice-event-id';

/** Kafka's own rule for topic names (its Topic.validate): legal characters, 249 at most, not `.` or `..`. */
const LEGAL_TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/** Record framing the broker counts beside the bytes themselves (varints, attributes, deltas): an upper bound. */
const RECORD_OVERHEAD = 32;

/**
 * No reference to the event: records wait for the broker long enough to be promoted, and an
 * event kept with each made the old generation hold every event in flight.
 */
export interface KafkaRecord {
  readonly topic: string;
  readonly key: Buffer | undefined;
  readonly value: Buffer;
  readonly headers: Map<Buffer, Buffer>;
  /** What the record adds to a partition's batch, at most. */
  readonly bytes: number;
  call: SendCall;
}

export type Encoded = { ok: true; record: KafkaRecord } | { ok: false; topic: string; reason: string };

export interface RecordOptions {
  topic: string;
  key: string | undefined;
  maxMessageBytes: number;
}

const ID_HEADER_KEY = Buffer.from(EVENT_ID_HEADER);

/** Why a topic name cannot be used, or undefined. */
export function topicProblem(topic: string): string | undefined {
  if (topic.includes('%{')) return `topic did not resolve: ${JSON.stringify(topic)} (a field it names is missing)`;
  if (!LEGAL_TOPIC.test(topic) || topic === '.' || topic === '..') return `topic ${JSON.stringify(topic.slice(0, 300))} is not a name Kafka accepts (letters, digits, . _ -, at most 249)`;
  return undefined;
}

export class RecordEncoder {
  private readonly topic: Template;
  private readonly constantTopic: boolean;
  private readonly key: Template | undefined;
  private lastTopic = '';
  private lastProblem: string | undefined;

  constructor(private readonly options: RecordOptions) {
    this.topic = compileTemplate(options.topic);
    this.constantTopic = !isTemplate(options.topic);
    this.key = options.key === undefined ? undefined : compileTemplate(options.key);
  }

  /** `call` is set by the caller: the encoder knows events, not send() calls. */
  encode(event: Event, call: SendCall): Encoded {
    const topic = this.constantTopic ? this.options.topic : this.topic(event);
    // Consecutive events mostly share a topic: check a name once per run of it.
    if (topic !== this.lastTopic) {
      this.lastTopic = topic;
      this.lastProblem = topicProblem(topic);
    }
    if (this.lastProblem !== undefined) return { ok: false, topic, reason: this.lastProblem };
    const keyText = this.key?.(event);
    // Unresolved (a missing field) means no key, not the literal "%{...}": those events spread round-robin.
    const key = keyText === undefined || keyText.length === 0 || keyText.includes('%{') ? undefined : Buffer.from(keyText);
    const value = Buffer.from(serializeEvent(event));
    const headers = new Map<Buffer, Buffer>();
    let bytes = value.length + (key?.length ?? 0) + RECORD_OVERHEAD;
    const id = event[METADATA]?._id;
    if (typeof id === 'string' && id.length > 0) {
      const idBytes = Buffer.from(id);
      headers.set(ID_HEADER_KEY, idBytes);
      bytes += ID_HEADER_KEY.length + idBytes.length;
    }
    if (bytes > this.options.maxMessageBytes) return { ok: false, topic, reason: `event is ${bytes} bytes as a record, more than max_message_bytes (${this.options.maxMessageBytes})` };
    return { ok: true, record: { topic, key, value, headers, bytes, call } };
  }
}

/** The event a record carries, read back from its value (for the dead letter file), with the id it was sent under. */
export function recordEvent(record: KafkaRecord): Event {
  const event = JSON.parse(record.value.toString('utf8')) as Event;
  const id = record.headers.get(ID_HEADER_KEY);
  if (id !== undefined) event[METADATA] = { _id: id.toString('utf8') };
  return event;
}
