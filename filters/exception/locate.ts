/**
 * Finds the trace in an event. The configured places are compiled once; an event's own keys
 * are read once (one pass, a table lookup a key) into a bit set of the places' top-level keys
 * it has, so a place the event lacks costs a bit test, not a property lookup.
 */
import { isFieldObject, type Event, type FieldObject, type FieldValue } from '../../pipeline/event.js';

export interface Place {
  readonly name: string;
  readonly path: readonly string[];
  /** The same place as one flat key (`error.stack_trace`), as ECS layouts write it. */
  readonly flat?: string;
  /** Bits of `path[0]` and `flat` in the key index; an event has the place only if it has one of them. */
  readonly bits: number;
}

export interface Located {
  readonly place: Place;
  /** Trace text, or structlog's list of exception dicts. */
  readonly value: string | readonly FieldValue[];
  /** What the shipper said beside the trace (`err.type`, `exception.exception_class`...). */
  readonly givenType?: string;
  readonly givenMessage?: string;
}

/** Marks a (first character, length) class holding several indexed keys: those are looked up in the map. */
const SEVERAL = '\u0000';

/** An ASCII key's class: its first character and its length (31 for any longer), 12 bits. */
function classOf(first: number, length: number): number {
  return (first << 5) | (length < 31 ? length : 31);
}

/**
 * Top-level key -> bit. Past 31 keys a key gets no bit of its own and is always looked up (ALWAYS).
 * An event's key is first put in its class (first character and length): most classes hold no
 * indexed key (the key is passed over), most others exactly one (one string comparison); only
 * a class of several, and non-ASCII keys, take a map lookup.
 */
export class KeyIndex {
  static readonly ALWAYS = 1 << 31;
  private readonly bits = new Map<string, number>();
  private readonly candidates = new Array<string>(128 << 5).fill('');
  private readonly candidateBits = new Int32Array(128 << 5);

  bit(key: string): number {
    let bit = this.bits.get(key);
    if (bit === undefined) {
      bit = this.bits.size < 31 ? 1 << this.bits.size : KeyIndex.ALWAYS;
      this.bits.set(key, bit);
      const first = key.length > 0 ? key.charCodeAt(0) : 128;
      if (first < 128) {
        const slot = classOf(first, key.length);
        this.candidates[slot] = this.candidates[slot] === '' ? key : SEVERAL;
        this.candidateBits[slot] = bit;
      }
    }
    return bit;
  }

  /** The bits of the keys `event` has, plus ALWAYS. */
  present(event: Event): number {
    let present = KeyIndex.ALWAYS;
    for (const key in event) {
      const first = key.length > 0 ? key.charCodeAt(0) : 128;
      if (first < 128) {
        const slot = classOf(first, key.length);
        const candidate = this.candidates[slot];
        if (candidate === '') continue;
        if (candidate !== SEVERAL) {
          if (candidate === key) present |= this.candidateBits[slot];
          continue;
        }
      }
      const bit = this.bits.get(key);
      if (bit !== undefined) present |= bit;
    }
    return present;
  }
}

export function compilePlaces(names: readonly string[], index: KeyIndex): Place[] {
  return names.map((name) => {
    const path = name.split('.');
    if (path.length === 1) return { name, path, bits: index.bit(name) };
    return { name, path, flat: name, bits: index.bit(path[0]) | index.bit(name) };
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

/** A trace has several lines: a one-line `stack: "prod"` or `exception: "none"` is some other field that shares the name. */
function usable(value: FieldValue | undefined): value is string | FieldValue[] {
  return typeof value === 'string' ? value.indexOf('\n') !== -1 : Array.isArray(value) && value.length > 0;
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
  if (place.path.length === 1) {
    // A top-level `type` or `message` is the log record's, not the exception's: nothing given beside the trace.
    const value = event[place.name];
    return usable(value) ? { place, value } : undefined;
  }
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

const PLACE_LISTS_LIMIT = 256;

/**
 * The places an event may hold, given the bits of its keys: worked out once per set of bits, since
 * the events of one stream have the same keys (the last set is kept at hand, a few others in a map),
 * so an event looks at the one or two places it has, not at every configured place.
 */
export class PlacesByKeys {
  private lastPresent = 0;
  private last: readonly Place[] = [];
  private readonly known = new Map<number, readonly Place[]>();

  constructor(private readonly places: readonly Place[]) {}

  of(present: number): readonly Place[] {
    // `present` always has KeyIndex.ALWAYS, so it is never the initial 0.
    if (present === this.lastPresent) return this.last;
    let list = this.known.get(present);
    if (list === undefined) {
      list = this.places.filter((place) => (place.bits & present) !== 0);
      if (this.known.size >= PLACE_LISTS_LIMIT) this.known.clear();
      this.known.set(present, list);
    }
    this.lastPresent = present;
    this.last = list;
    return list;
  }
}

/** The first place (in order) that holds a trace candidate; `present` comes from KeyIndex.present. */
export function locate(event: Event, places: readonly Place[], present: number): Located | undefined {
  for (const place of places) {
    if ((place.bits & present) === 0) continue;
    const found = read(event, place);
    if (found) return found;
  }
  return undefined;
}

/** Reads a dotted name (nested or flat), for the level fields. */
export function readPlace(event: Event, place: Place, present: number): FieldValue | undefined {
  if ((place.bits & present) === 0) return undefined;
  if (place.path.length === 1) return event[place.name];
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
