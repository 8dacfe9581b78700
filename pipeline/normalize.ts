/**
 * Shapes that would make the engine reject a whole document are rewritten before they leave
 * the decoder, never passed through. The rules (also listed in the README):
 *
 * - `@timestamp` that is not ISO-8601 moves to `_@timestamp`, tagged (see timestamp.ts).
 * - `message` is always a string: an object or array is serialized to JSON, a number or boolean
 *   is written out as text.
 * - ECS object fields sent as a scalar move into their main subfield: `host` -> `host.name`,
 *   `service`/`user`/`agent`/`process`/`observer` -> `.name`
 *   (a numeric `process` -> `process.pid`), `trace`/`span`/`transaction` ->
 *   `.id`, `error` -> `error.message`, `url` -> `url.original`, `file` -> `file.path`,
 *   `event` -> `event.action`, `log` -> `log.level` when it is a known level word, else
 *   `message` (Docker's json-file `log` line) or `log.original` when `message` is taken.
 * - `tags` is always an array of strings.
 * - Top-level names the engine reserves for itself (`_id`, `_index`, `_source`, ...) move to
 *   `labels.<name>` as text.
 */
import { isFieldObject, type Event, type FieldObject, type FieldValue } from './event.js';
import { KeyOrderMemo } from './key_order_memo.js';
import { coerceTimestamp } from './timestamp.js';

const SCALAR_HOMES: Readonly<Record<string, string>> = {
  host: 'name',
  service: 'name',
  user: 'name',
  agent: 'name',
  process: 'name',
  observer: 'name',
  trace: 'id',
  span: 'id',
  transaction: 'id',
  error: 'message',
  url: 'original',
  file: 'path',
  event: 'action',
};

const RESERVED = new Set(['_id', '_index', '_source', '_routing', '_type', '_version', '_seq_no', '_primary_term', '_field_names', '_ignored', '_tier', '_doc_count', '_data_stream_timestamp', '_nested_path', '_feature', '_size']);

const LOG_LEVELS = new Set(['trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'err', 'crit', 'critical', 'alert', 'emerg', 'emergency', 'fatal', 'severe', 'fine', 'finer', 'finest', 'verbose']);

function asText(value: FieldValue): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function normalizeLog(event: Event, value: FieldValue): void {
  if (typeof value === 'string' && LOG_LEVELS.has(value.toLowerCase())) event.log = { level: value };
  else if (event.message === undefined || event.message === null) {
    event.message = asText(value);
    delete event.log;
  } else event.log = { original: asText(value) };
}

function normalizeTags(event: Event, tags: FieldValue): void {
  if (Array.isArray(tags)) {
    for (let i = 0; i < tags.length; i++) if (typeof tags[i] !== 'string') tags[i] = asText(tags[i]);
  } else if (tags === null) {
    delete event.tags;
  } else {
    event.tags = [asText(tags)];
  }
}

function moveReserved(event: Event, name: string, value: FieldValue | undefined): void {
  delete event[name];
  if (value === undefined) return;
  const labels: FieldObject = isFieldObject(event.labels) ? event.labels : (event.labels = {});
  labels[name] = value === null ? 'null' : asText(value);
}

const enum KeyRule {
  None,
  Message,
  Tags,
  Reserved,
  Log,
  ScalarHome,
}

function ruleOf(key: string): KeyRule {
  if (key === 'message') return KeyRule.Message;
  if (key === 'tags') return KeyRule.Tags;
  if (key === 'log') return KeyRule.Log;
  if (RESERVED.has(key)) return KeyRule.Reserved;
  return Object.hasOwn(SCALAR_HOMES, key) ? KeyRule.ScalarHome : KeyRule.None;
}

/** Shared by every input of the process: what differs between sources is only how often the key order repeats. */
const keyRules = new KeyOrderMemo(ruleOf);

/** Makes the top level of `event` safe to index; `ingestTime` fills a missing `@timestamp`. */
export function normalizeEvent(event: Event, ingestTime: string): void {
  coerceTimestamp(event, ingestTime);
  // One pass over the keys, in which most keys (no rule applies) cost one compare.
  let position = 0;
  for (const key in event) {
    const rule = keyRules.at(key, position++);
    if (rule === KeyRule.None) continue;
    const value = event[key];
    if (value === undefined) continue;
    switch (rule) {
      case KeyRule.Message:
        if (typeof value !== 'string' && value !== null) event.message = typeof value === 'number' || typeof value === 'boolean' ? String(value) : JSON.stringify(value);
        break;
      case KeyRule.Tags:
        normalizeTags(event, value);
        break;
      case KeyRule.Reserved:
        moveReserved(event, key, value);
        break;
      case KeyRule.Log:
        if (!isFieldObject(value) && value !== null) normalizeLog(event, value);
        break;
      case KeyRule.ScalarHome:
        // python-logstash sends `process` as the pid.
        if (!isFieldObject(value) && value !== null) event[key] = { [key === 'process' && typeof value === 'number' ? 'pid' : SCALAR_HOMES[key]]: value };
        break;
    }
  }
}
