import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { RecordEncoder, recordEvent, topicProblem, EVENT_ID_HEADER } from '../../../outputs/kafka/record.js';
import { SendCall } from '../../../outputs/delivery/settlement.js';
import type { Event } from '../../../pipeline/event.js';

const call = new SendCall(1000, () => {});

function event(fields: Record<string, unknown>, id = 'id-1'): Event {
  return { '@timestamp': '2026-12-01T10:00:00.000Z', ...fields, '@metadata': { _id: id } } as Event;
}

describe('kafka records', () => {
  it('has the shipped JSON as value, the event id as header, the topic and key from their templates', () => {
    const encoder = new RecordEncoder({ topic: 'logs-%{[service][name]}', key: '%{[host][name]}', maxMessageBytes: 1024 * 1024 });
    const encoded = encoder.encode(event({ message: 'hi', service: { name: 'api' }, host: { name: 'web-1' } }), call);
    expect(encoded.ok).toBe(true);
    if (!encoded.ok) return;
    const { record } = encoded;
    expect(record.topic).toBe('logs-api');
    expect(record.key?.toString()).toBe('web-1');
    expect(JSON.parse(record.value.toString())).toEqual({ '@timestamp': '2026-12-01T10:00:00.000Z', message: 'hi', service: { name: 'api' }, host: { name: 'web-1' } });
    expect([...record.headers].map(([k, v]) => [k.toString(), v.toString()])).toEqual([[EVENT_ID_HEADER, 'id-1']]);
    expect(record.bytes).toBeGreaterThan(record.value.length + record.key!.length + EVENT_ID_HEADER.length + 4);
    // The record keeps no event; the dead letter file gets it back from the value and the id header.
    expect(record).not.toHaveProperty('event');
    expect(recordEvent(record)).toEqual({ '@timestamp': '2026-12-01T10:00:00.000Z', message: 'hi', service: { name: 'api' }, host: { name: 'web-1' }, '@metadata': { _id: 'id-1' } });
  });

  it('sends an event without its key field with no key, and refuses one whose topic does not resolve', () => {
    const encoder = new RecordEncoder({ topic: 'logs-%{[service][name]}', key: '%{[host][name]}', maxMessageBytes: 1024 * 1024 });
    const noKey = encoder.encode(event({ service: { name: 'api' } }), call);
    expect(noKey.ok && noKey.record.key).toBeUndefined();
    const noTopic = encoder.encode(event({ host: { name: 'web-1' } }), call);
    expect(noTopic).toEqual({ ok: false, topic: 'logs-%{[service][name]}', reason: expect.stringContaining('topic did not resolve') });
  });

  it('refuses an event larger than max_message_bytes with its size', () => {
    const encoder = new RecordEncoder({ topic: 'logs', key: undefined, maxMessageBytes: 1000 });
    expect(encoder.encode(event({ message: 'x'.repeat(500) }), call).ok).toBe(true);
    const big = encoder.encode(event({ message: 'x'.repeat(1000) }), call);
    expect(big).toEqual({ ok: false, topic: 'logs', reason: expect.stringMatching(/^event is \d+ bytes as a record, more than max_message_bytes \(1000\)$/) });
  });

  it('accepts exactly the topic names Kafka accepts', () => {
    expect(topicProblem('logs.app_1-x')).toBeUndefined();
    for (const bad of ['', '.', '..', 'a b', 'logs/app', 'é', 'x'.repeat(250)]) expect(topicProblem(bad)).toBeDefined();
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (name) => {
        const legal = /^[a-zA-Z0-9._-]{1,249}$/.test(name) && name !== '.' && name !== '..';
        expect(topicProblem(name) === undefined).toBe(legal);
      }),
      { seed: 17 },
    );
  });
});
