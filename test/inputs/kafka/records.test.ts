import { describe, expect, it } from 'vitest';
import type { KafkaRecord } from '@platformatic/kafka';
import { eventFromRecord, EVENT_ID_HEADER, placeId } from '../../../inputs/kafka/records.js';

function record(value: string | null, headers: Array<[string, string]> = [], key: string | null = null): KafkaRecord {
  return {
    length: 0,
    attributes: 0,
    timestampDelta: 0n,
    offsetDelta: 0,
    key: key === null ? null : Buffer.from(key),
    value: value === null ? null : Buffer.from(value),
    headers: headers.map(([k, v]) => [Buffer.from(k), Buffer.from(v)]),
  };
}

const place = { topic: 'app-logs', partition: 3, offset: 41, timestamp: 1764626400123n };
const at = (r: KafkaRecord, p: typeof place, options: Parameters<typeof eventFromRecord>[5]) => eventFromRecord(r, p.topic, p.partition, p.offset, p.timestamp, options);
const json = { codec: 'json', decorate: false, groupId: 'sluice' } as const;

describe('kafka records into events', () => {
  it('a JSON value is the event and the header id is its _id', () => {
    const { event, failed } = at(record('{"message":"hello","service":{"name":"api"}}', [[EVENT_ID_HEADER, '01J0SHIPPER']]), place, json);
    expect(failed).toBe(false);
    expect(event).toMatchObject({ message: 'hello', service: { name: 'api' }, '@metadata': { _id: '01J0SHIPPER' } });
  });

  it('without the header the id is derived from where the record sits, the same on every read', () => {
    const first = at(record('{"message":"a"}', [['traceparent', 'x']]), place, json).event;
    const again = at(record('{"message":"a"}'), place, json).event;
    expect(first['@metadata']?._id).toBe(placeId('app-logs', 3, 41));
    expect(again['@metadata']?._id).toBe(first['@metadata']?._id);
    expect(at(record('{"message":"a"}'), { ...place, offset: 42 }, json).event['@metadata']?._id).not.toBe(first['@metadata']?._id);
  });

  it.each([
    ['text that is not JSON', 'not json {'],
    ['a JSON array', '[1,2]'],
    ['a JSON string', '"x"'],
    ['an empty value', ''],
  ])('%s is kept as message and tagged', (_name, value) => {
    const { event, failed } = at(record(value), place, json);
    expect(failed).toBe(true);
    expect(event.message).toBe(value);
    expect(event.tags).toEqual(['_jsonparsefailure']);
    expect(event['@metadata']?._id).toBe(placeId('app-logs', 3, 41));
  });

  it('a null value (a tombstone) is an empty message, not a crash', () => {
    const { event } = at(record(null), place, { ...json, codec: 'lines' });
    expect(event.message).toBe('');
  });

  it('lines and plain keep the value as message, JSON or not', () => {
    for (const codec of ['lines', 'plain'] as const) {
      const { event, failed } = at(record('{"looks":"like json"}'), place, { ...json, codec });
      expect(failed).toBe(false);
      expect(event.message).toBe('{"looks":"like json"}');
    }
  });

  it('decorate_events puts the record facts under @metadata.kafka', () => {
    const { event } = at(record('{"message":"m"}', [], 'host-7'), place, { ...json, decorate: true, groupId: 'indexers' });
    expect(event['@metadata']?.kafka).toEqual({ topic: 'app-logs', partition: 3, offset: 41, key: 'host-7', timestamp: 1764626400123, consumer_group: 'indexers' });
  });
});
