/**
 * `type: json`: parses JSON text from a field into fields, like Logstash's json filter, and
 * goes further: JSON nested in what was parsed is expanded too, and the result is normalized so
 * that the engine never rejects the document for its shape (pipeline/normalize.ts).
 */
import { addTag, isFieldObject, type Event, type FieldObject } from '../../pipeline/event.js';
import { parseFieldReference, getField, removeField, setField } from '../../pipeline/fields.js';
import { normalizeEvent } from '../../pipeline/normalize.js';
import { eventByEvent, type FilterPlugin } from '../../pipeline/plugin.js';
import { jsonFilterSchema, type JsonFilterConfig } from './config.js';
import { expandNested, looksLikeJson, mergeMessageObject, tryParse } from './nested.js';

function createJsonFilter(config: JsonFilterConfig, failures: { inc(by?: number): void }) {
  const source = parseFieldReference(config.source);
  const target = config.target === undefined ? undefined : parseFieldReference(config.target);
  const sourceIsMessage = source.length === 1 && source[0] === 'message';
  const nestedLevels = config.max_depth - 1;

  function fail(event: Event): void {
    failures.inc();
    for (const tag of config.tag_on_failure) addTag(event, tag);
  }

  function mergeIntoRoot(event: Event, parsed: FieldObject): void {
    // The input's @timestamp stands in when the parsed one is missing or invalid.
    const before = event['@timestamp'];
    if (config.remove_source) removeField(event, source);
    expandNested(parsed, nestedLevels);
    if (sourceIsMessage) mergeMessageObject(event, parsed);
    else for (const key in parsed) event[key] = parsed[key];
    normalizeEvent(event, typeof before === 'string' ? before : new Date().toISOString());
  }

  function processOne(event: Event): void {
    const text = getField(event, source);
    if (typeof text !== 'string') return;
    const parsed = looksLikeJson(text) ? tryParse(text) : undefined;
    if (parsed === undefined) {
      if (!config.skip_on_invalid_json) fail(event);
      return;
    }
    if (target === undefined) {
      if (!isFieldObject(parsed)) {
        if (!config.skip_on_invalid_json) fail(event);
        return;
      }
      mergeIntoRoot(event, parsed);
    } else {
      if (config.remove_source) removeField(event, source);
      if (isFieldObject(parsed)) expandNested(parsed, nestedLevels);
      setField(event, target, parsed);
    }
    if (config.keep_original) setField(event, ['event', 'original'], text);
  }

  return eventByEvent(processOne);
}

export const jsonFilter: FilterPlugin<typeof jsonFilterSchema> = {
  kind: 'filter',
  type: 'json',
  description:
    'Parses JSON text in a field into event fields, expanding JSON nested in strings (a structlog line inside a python-logstash record) up to `max_depth`; a parsed `@timestamp` is checked like the inputs do and shapes the engine would reject are normalized (see "Event normalization").',
  schema: jsonFilterSchema,
  example: { source: 'message', skip_on_invalid_json: true, keep_original: false },
  create(config, context) {
    return createJsonFilter(config, context.metrics.counter('json_parse_failures_total', 'Events whose source was not valid JSON'));
  },
};
