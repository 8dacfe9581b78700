/**
 * `type: exception`: finds a stack trace wherever shippers put it, parses it (Python, Java,
 * Node, Go, Ruby) into ECS `error.type`, `error.message`, `error.stack_trace`, plus
 * `error.culprit`, `error.frames`, `error.chain` and `error.fingerprint` (fingerprint.ts),
 * so that one terms aggregation counts bugs, not log lines. Error-level events without a
 * trace are grouped by their message template.
 */
import { addTag, isFieldObject, type Event, type FieldObject, type FieldValue } from '../../pipeline/event.js';
import { eventByEvent, type FilterPlugin } from '../../pipeline/plugin.js';
import { exceptionFilterSchema, type ExceptionFilterConfig } from './config.js';
import { exceptionFingerprint, messageGroup, traceFingerprint } from './fingerprint.js';
import { culpritOf, isInApp, type InAppRules } from './frames.js';
import { compilePlaces, KeyIndex, locate, PlacesByKeys, readPlace, type Located } from './locate.js';
import { parseStructlogDicts, parseTraceText, renderStructlogDicts } from './parse.js';
import type { ParsedTrace } from './types.js';

const ERROR_LEVELS = new Set(['error', 'err', 'fatal', 'critical', 'crit', 'alert', 'emerg', 'emergency', 'severe', 'panic']);
/** pino and bunyan: 50 error, 60 fatal. */
const NUMERIC_ERROR_LEVEL = 50;
const FLAT_ERROR_KEYS = ['error.type', 'error.message', 'error.stack_trace'] as const;
/** Level strings seen, and whether each is an error level: a handful of words, so no lower-casing per event. */
const LEVEL_CACHE_LIMIT = 256;

interface Counters {
  traces: { inc(by?: number): void };
  failures: { inc(by?: number): void };
}

/** ECS layouts send `"error.type": …` as flat keys; they join the `error` object, so the engine sees one field, not two. */
function foldFlatError(event: Event): void {
  for (const key of FLAT_ERROR_KEYS) {
    const value = event[key];
    if (value === undefined) continue;
    errorObject(event)[key.slice(6)] ??= value;
    delete event[key];
  }
}

function errorObject(event: Event): FieldObject {
  const error = event.error;
  if (isFieldObject(error)) return error;
  const created: FieldObject = error === undefined || error === null ? {} : { message: typeof error === 'string' ? error : JSON.stringify(error) };
  event.error = created;
  return created;
}

function firstLine(text: string): string {
  for (const line of text.split('\n', 20)) if (line.trim().length > 0) return line.trim();
  return '';
}

function createExceptionFilter(config: ExceptionFilterConfig, counters: Counters) {
  const keys = new KeyIndex();
  const flatErrorBits = FLAT_ERROR_KEYS.reduce((bits, key) => bits | keys.bit(key), 0) & ~KeyIndex.ALWAYS;
  const places = new PlacesByKeys(compilePlaces(config.fields, keys));
  const levelPlaces = new PlacesByKeys(compilePlaces(config.level_fields, keys));
  const levels = new Map<string, boolean>();

  function isErrorWord(level: string): boolean {
    let known = levels.get(level);
    if (known === undefined) {
      known = ERROR_LEVELS.has(level.toLowerCase());
      if (levels.size >= LEVEL_CACHE_LIMIT) levels.clear();
      levels.set(level, known);
    }
    return known;
  }
  const rules: InAppRules = { libraryPaths: config.library_paths, libraryModules: config.library_modules, appPaths: config.app_paths, appModules: config.app_modules };

  function isErrorLevel(event: Event, present: number): boolean {
    for (const place of levelPlaces.of(present)) {
      const level = readPlace(event, place, present);
      if (typeof level === 'string') return isErrorWord(level);
      if (typeof level === 'number') return level >= NUMERIC_ERROR_LEVEL;
    }
    return false;
  }

  function writeTrace(event: Event, trace: ParsedTrace, stackTrace: string): void {
    const error = errorObject(event);
    error.type ??= trace.main.type;
    if (trace.main.message.length > 0) error.message ??= trace.main.message;
    error.stack_trace ??= stackTrace;
    const culprit = trace.main.frames.find((frame) => isInApp(frame, rules));
    if (culprit) error.culprit = culpritOf(culprit);
    error.frames = trace.main.frames.length;
    error.chain = [...trace.chain];
    error.fingerprint = traceFingerprint(trace, rules);
    error.grouped_by = 'stack_trace';
  }

  /** True when the event's trace was found (parsed or not); false leaves it to message grouping. */
  function applyTrace(event: Event, found: Located): boolean {
    const { value } = found;
    const fromMessage = found.place.name === 'message';
    const trace = typeof value === 'string' ? parseTraceText(value) : parseStructlogDicts(value as FieldValue[]);
    if (trace) {
      counters.traces.inc();
      writeTrace(event, trace, typeof value === 'string' ? value : renderStructlogDicts(value as FieldValue[]));
      return true;
    }
    if (fromMessage || typeof value !== 'string') return false;
    // A trace field we cannot read: kept, searchable, tagged and counted, grouped by what the shipper said.
    counters.failures.inc();
    for (const tag of config.tag_on_failure) addTag(event, tag);
    const error = errorObject(event);
    error.stack_trace ??= value;
    if (found.givenType !== undefined) error.type ??= found.givenType;
    const type = typeof error.type === 'string' ? error.type : '';
    error.fingerprint = exceptionFingerprint(type, found.givenMessage ?? firstLine(value));
    error.grouped_by = 'exception';
    return true;
  }

  function groupByMessage(event: Event, present: number): void {
    const error = event.error;
    if (isFieldObject(error) && typeof error.type === 'string' && error.fingerprint === undefined) {
      // An exception named without a stack (ECS error.type alone).
      error.fingerprint = exceptionFingerprint(error.type, typeof error.message === 'string' ? error.message : '');
      error.grouped_by = 'exception';
      return;
    }
    if (config.template === 'off' || typeof event.message !== 'string' || event.message.length === 0) return;
    const errorLevel = isErrorLevel(event, present);
    if (!errorLevel && config.template !== 'all') return;
    const { template, fingerprint } = messageGroup(event.message);
    const log = event.log;
    if (isFieldObject(log)) log.template = template;
    else if (log === undefined) event.log = { template };
    if (!errorLevel) return;
    if (event.error === undefined) event.error = { fingerprint, grouped_by: 'message' };
    else {
      const target = errorObject(event);
      target.fingerprint ??= fingerprint;
      target.grouped_by ??= 'message';
    }
  }

  function processOne(event: Event): void {
    const present = keys.present(event);
    if ((present & flatErrorBits) !== 0) foldFlatError(event);
    const found = locate(event, places.of(present), present);
    if (found && applyTrace(event, found)) return;
    groupByMessage(event, present);
  }

  return eventByEvent(processOne);
}

export const exceptionFilter: FilterPlugin<typeof exceptionFilterSchema> = {
  kind: 'filter',
  type: 'exception',
  description:
    'Finds stack traces where shippers put them (`stack_trace`, `exc_info`, structlog `exception` text or dicts, ECS `error.stack_trace` and flat `error.*` keys, pino `err.stack`, winston `stack`, or the `message` itself), parses Python, Java, Node, Go and Ruby traces into ECS `error.type`, `error.message`, `error.stack_trace`, plus `error.culprit` (innermost in-app frame), `error.frames`, `error.chain` and `error.fingerprint` (a stable hash of the type and the in-app code path, see "Exceptions"); error-level events without a trace get `log.template` and a fingerprint of it.',
  schema: exceptionFilterSchema,
  example: { fields: ['stack_trace', 'exception', 'error.stack_trace', 'message'], app_paths: ['/site-packages/mycompany/'], template: 'errors' },
  create(config, context) {
    return createExceptionFilter(config, {
      traces: context.metrics.counter('exception_traces_total', 'Events whose stack trace was parsed'),
      failures: context.metrics.counter('exception_parse_failures_total', 'Events with a trace field no parser recognized'),
    });
  },
};
