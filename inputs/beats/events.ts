/** Lumberjack payloads into events: a v2 JSON document as it is, v1 key/value pairs as fields. */
import { isFieldObject, type Event } from '../../pipeline/event.js';
import { parseJsonDocument } from '../codecs/json_depth.js';
import { JSON_FAILURE_TAG } from '../codecs/json_lines.js';

/**
 * The Beat's document is the event; its `@metadata` (beat, type, version, `_id`) stays `@metadata`.
 * A document nested deeper than sluice can write back stays text, as the json_lines codec keeps it.
 */
export function eventFromJson(payload: Buffer): { event: Event; failed: boolean } {
  const text = payload.toString('utf8');
  const value = parseJsonDocument(text);
  if (isFieldObject(value)) return { event: value as Event, failed: false };
  return { event: { message: text, tags: [JSON_FAILURE_TAG] }, failed: true };
}

/** logstash-forwarder sends `line`, `file`, `host`, `offset`; `line` is the message, as in Logstash. */
export function eventFromPairs(pairs: ReadonlyArray<[string, string]>): Event {
  const event: Event = {};
  for (const [key, value] of pairs) event[key === 'line' ? 'message' : key] = value;
  return event;
}
