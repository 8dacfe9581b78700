/**
 * `type: kv`: turns `key=value` text (logfmt, query strings, firewall logs) into fields,
 * Logstash's kv filter. Values stay text; convert them with mutate.
 */
import { addTag, isFieldObject, type Event, type FieldObject, type FieldValue } from '../../pipeline/event.js';
import { getField, parseFieldReference, setField } from '../../pipeline/fields.js';
import { eventByEvent, type FilterPlugin } from '../../pipeline/plugin.js';
import { kvFilterSchema, type KvFilterConfig } from './config.js';
import { pairScanner, trimChars } from './scan.js';

function createKvFilter(config: KvFilterConfig, failures: { inc(by?: number): void }) {
  const source = parseFieldReference(config.source);
  const target = config.target === undefined ? undefined : parseFieldReference(config.target);
  const include = config.include_keys ? new Set(config.include_keys) : undefined;
  const exclude = new Set(config.exclude_keys ?? []);
  const defaults = Object.entries(config.default_keys ?? {});
  const scanPairs = pairScanner({ fieldSplit: config.field_split, valueSplit: config.value_split, lenient: config.whitespace === 'lenient', brackets: config.include_brackets });

  function fail(event: Event): void {
    failures.inc();
    for (const tag of config.tag_on_failure) addTag(event, tag);
  }

  function processOne(event: Event): void {
    const text = getField(event, source);
    if (text === undefined || text === null) return;
    if (typeof text !== 'string') return fail(event);
    const found: FieldObject = {};
    let any = false;
    const complete = scanPairs(text, (rawKey, rawValue, quoted) => {
      const key = trimChars(rawKey, config.trim_key);
      if (key === '' || exclude.has(key) || (include !== undefined && !include.has(key))) return;
      const value = quoted ? rawValue : trimChars(rawValue, config.trim_value);
      const name = config.prefix + key;
      const existing = found[name];
      any = true;
      if (existing === undefined) found[name] = value;
      else if (!config.allow_duplicate_values) return;
      else if (Array.isArray(existing)) existing.push(value);
      else found[name] = [existing, value];
    });
    for (const [key, value] of defaults) {
      const name = config.prefix + key;
      if (found[name] === undefined) {
        found[name] = value;
        any = true;
      }
    }
    if (any) write(event, found);
    if (!complete) fail(event);
  }

  function write(event: Event, found: FieldObject): void {
    if (target === undefined) {
      for (const key in found) event[key] = found[key];
      return;
    }
    const existing = getField(event, target);
    if (isFieldObject(existing)) for (const key in found) existing[key] = found[key] as FieldValue;
    else setField(event, target, found);
  }

  return eventByEvent(processOne);
}

export const kvFilter: FilterPlugin<typeof kvFilterSchema> = {
  kind: 'filter',
  type: 'kv',
  description:
    "Parses `key=value` pairs (logfmt, query strings, firewall and app logs) into fields, Logstash's kv: separators are sets of characters, quoted and bracketed values may hold them, keys can be kept, dropped or prefixed. One pass over the text, no regex; values stay text.",
  schema: kvFilterSchema,
  example: { source: 'message', target: 'kv', exclude_keys: ['password'], prefix: '' },
  create(config, context) {
    return createKvFilter(config, context.metrics.counter('kv_failures_total', 'Events whose key=value text was not text or had an unterminated quote'));
  },
};
