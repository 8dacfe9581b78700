/** A hit as the engine returns it, and the fields a person reads, wherever the shipper put them. */
import { isFieldObject, type Event, type FieldValue } from '../event.js';
import { getField } from '../fields.js';

export interface Hit {
  _index: string;
  _id: string;
  _source: Event;
  sort?: unknown[];
}

export interface HitsReply {
  hits: { hits: Hit[] };
}

function text(value: FieldValue | undefined): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (isFieldObject(value)) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The first of these dotted fields that holds a scalar (ECS first, then what python-logstash and logback send). */
function firstOf(doc: Event, paths: readonly string[]): string | undefined {
  for (const path of paths) {
    const value = text(getField(doc, path.split('.')));
    if (value !== undefined) return value;
  }
  return undefined;
}

export const timestampOf = (doc: Event) => firstOf(doc, ['@timestamp']) ?? '';
export const levelOf = (doc: Event) => firstOf(doc, ['log.level', 'level', 'levelname']);
export const loggerOf = (doc: Event) => firstOf(doc, ['log.logger', 'logger_name', 'logger', 'name']);
export const serviceOf = (doc: Event) => firstOf(doc, ['service.name', 'service', 'host.name', 'host']);
export const messageOf = (doc: Event) => firstOf(doc, ['message']) ?? '';

/** `error.type: error.message (at error.culprit)`, or the top-level stack trace's last line. */
export function exceptionOf(doc: Event): string | undefined {
  const type = firstOf(doc, ['error.type', 'exception.type']);
  const message = firstOf(doc, ['error.message', 'exception.message']);
  const culprit = firstOf(doc, ['error.culprit']);
  if (type !== undefined || message !== undefined) {
    return `${[type, message].filter((part) => part !== undefined).join(': ')}${culprit ? ` (in ${culprit})` : ''}`;
  }
  const trace = firstOf(doc, ['error.stack_trace', 'stack_trace']);
  return trace?.trim().split('\n').pop();
}

/** The key that tells two hits apart across indices. */
export const hitKey = (hit: Hit) => `${hit._index}\u0000${hit._id}`;

/** One NDJSON line for machines: where the document is, and the document. */
export const hitJson = (hit: Hit) => `${JSON.stringify({ _index: hit._index, _id: hit._id, _source: hit._source })}\n`;
