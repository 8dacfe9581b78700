/**
 * Writing a match into the event: each capture's destination, conversion and
 * overwrite-or-append rule are worked out once per pattern, so a match costs one pass over
 * its groups.
 */
import type { Event, FieldValue } from '../../pipeline/event.js';
import { getField, setField, type FieldPath } from '../../pipeline/fields.js';
import type { CompiledPattern } from './compile.js';
import type { CaptureType } from './translate.js';

interface Destination {
  readonly path: FieldPath;
  readonly type: CaptureType | undefined;
  readonly overwrite: boolean;
}

/** setField for a fresh event: one key is one store, and a path is walked without re-reading the root. */
function store(event: Event, path: FieldPath, value: FieldValue): void {
  if (path.length === 1) event[path[0]] = value;
  else setField(event, path, value);
}

export type MatchWriter = (event: Event, groups: RegExpExecArray) => void;

function convert(text: string, type: CaptureType | undefined): FieldValue {
  if (type === undefined) return text;
  const n = type === 'int' ? Number.parseInt(text, 10) : Number.parseFloat(text);
  return Number.isFinite(n) ? n : text;
}

export function matchWriter(pattern: CompiledPattern, options: { target?: FieldPath; overwrite: ReadonlySet<string>; keepEmpty: boolean }): MatchWriter {
  const destinations: Array<Destination | null> = pattern.captures.map((capture) => {
    if (capture === null) return null;
    const path = options.target ? [...options.target, ...capture.path] : capture.path;
    // One shape for every destination keeps the loop below monomorphic.
    return { path, type: capture.type, overwrite: options.overwrite.has(capture.path.join('\u0000')) };
  });
  const { keepEmpty } = options;
  return (event, groups) => {
    for (let i = 0; i < destinations.length; i++) {
      const destination = destinations[i];
      const text = groups[i + 1];
      if (destination === null || text === undefined || (text === '' && !keepEmpty)) continue;
      const value = convert(text, destination.type);
      const existing = destination.overwrite ? undefined : getField(event, destination.path);
      if (existing === undefined || existing === null) store(event, destination.path, value);
      else if (Array.isArray(existing)) existing.push(value);
      else setField(event, destination.path, [existing, value]);
    }
  };
}
