/**
 * Finds the trace in an event: each configured place is compiled once into a path (and its
 * flat dotted key), so an event without a trace costs one property read per place.
 */
import { isFieldObject, type Event, type FieldObject, type FieldValue } from '../../pipeline/event.js';

export interface Place {
  readonly name: string;
  readonly path: readonly string[];
  /** The same place as one flat key (`error.stack_trace`), as ECS layouts write it. */
  readonly flat?: string;
}

export interface Located {
  readonly place: Place;
  /** Trace text, or structlog's list of exception dicts. */
  readonly value: string | readonly FieldValue[];
  /** What the shipper said beside the trace (`err.type`, `exception.exception_class`...). */
  readonly givenType?: string;
  readonly givenMessage?: string;
}

export function compilePlaces(names: readonly string[]): Place[] {
  return names.map((name) => {
    const path = name.split('.');
    return path.length > 1 ? { name, path, flat: name } : { name, path };
  });
}

const TYPE_KEYS = ['type', 'exception_class', 'exc_type', 'class'];
const MESSAGE_KEYS = ['message', 'exception_message', 'exc_value'];

function firstString(object: FieldObject, keys: readonly string[]): string | undefined {
  for (const key of keys) {
    const value = object[key];
    if (typeof value === 'string' && value.length > 0) return value;
  }
  return undefined;
}

function usable(value: FieldValue | undefined): value is string | FieldValue[] {
  return (typeof value === 'string' && value.length > 0) || (Array.isArray(value) && value.length > 0);
}

function parentOf(event: Event, path: readonly string[]): FieldObject | undefined {
  let parent: FieldObject = event;
  for (let i = 0; i < path.length - 1; i++) {
    const next = parent[path[i]];
    if (!isFieldObject(next)) return undefined;
    parent = next;
  }
  return parent;
}

function read(event: Event, place: Place): Located | undefined {
  const parent = parentOf(event, place.path);
  const value = parent?.[place.path[place.path.length - 1]];
  if (parent !== undefined && usable(value)) {
    // A top-level `type` or `message` is the log record's, not the exception's.
    if (parent === event) return { place, value };
    return { place, value, givenType: firstString(parent, TYPE_KEYS), givenMessage: firstString(parent, MESSAGE_KEYS) };
  }
  if (place.flat === undefined) return undefined;
  const flat = event[place.flat];
  if (!usable(flat)) return undefined;
  const prefix = place.flat.slice(0, place.flat.lastIndexOf('.') + 1);
  const type = event[`${prefix}type`];
  const message = event[`${prefix}message`];
  return { place, value: flat, givenType: typeof type === 'string' ? type : undefined, givenMessage: typeof message === 'string' ? message : undefined };
}

export function locate(event: Event, places: readonly Place[]): Located | undefined {
  for (const place of places) {
    const found = read(event, place);
    if (found) return found;
  }
  return undefined;
}

/** Reads a dotted name (nested or flat), for the level fields. */
export function readPlace(event: Event, place: Place): FieldValue | undefined {
  let node: FieldValue | undefined = event;
  for (const key of place.path) {
    if (!isFieldObject(node)) {
      node = undefined;
      break;
    }
    node = node[key];
  }
  return node === undefined && place.flat !== undefined ? event[place.flat] : node;
}
