import { describe, expect, it } from 'vitest';
import { eventFromJson } from '../../../inputs/beats/events.js';

describe('Lumberjack v2 JSON payloads', () => {
  it('are the event as sent', () => {
    expect(eventFromJson(Buffer.from('{"message":"hi","@metadata":{"beat":"filebeat"}}'))).toEqual({ event: { message: 'hi', '@metadata': { beat: 'filebeat' } }, failed: false });
  });

  it('stay text, tagged, when nested deeper than an output could write them back', () => {
    const deep = `{"a":${'['.repeat(6000)}1${']'.repeat(6000)}}`;
    const { event, failed } = eventFromJson(Buffer.from(deep));
    expect(failed).toBe(true);
    expect(event).toEqual({ message: deep, tags: ['_jsonparsefailure'] });
    expect(() => JSON.stringify(event)).not.toThrow();
  });
});
