/**
 * Logstash field references: `[log][level]`, `message`, `[@metadata][input][type]`.
 * Parsed once at config time into a path; reads and writes walk nested objects.
 */
import { isFieldObject, type FieldObject, type FieldValue } from './event.js';
import { ConfigError } from './errors.js';

export type FieldPath = readonly string[];

const REFERENCE = /^(\[[^\[\]]+\])+$/;

/** `[a][b]` -> ['a','b']; a bare name `message` -> ['message']. Dotted names are not split: ECS dots are nesting only in references. */
export function parseFieldReference(reference: string): FieldPath {
  const text = reference.trim();
  if (text.length === 0) throw new ConfigError('SLUICE_FIELD_REFERENCE', `empty field reference`);
  if (text.startsWith('[')) {
    if (!REFERENCE.test(text)) {
      throw new ConfigError('SLUICE_FIELD_REFERENCE', `malformed field reference ${JSON.stringify(reference)} (expected [a][b])`);
    }
    return text.slice(1, -1).split('][');
  }
  if (text.includes('[') || text.includes(']')) {
    throw new ConfigError('SLUICE_FIELD_REFERENCE', `malformed field reference ${JSON.stringify(reference)} (expected [a][b] or a plain name)`);
  }
  return [text];
}

/** True when `text` is a well-formed reference (what parseFieldReference accepts). */
export function isFieldReference(text: string): boolean {
  const trimmed = text.trim();
  if (trimmed.length === 0) return false;
  if (trimmed.startsWith('[')) return REFERENCE.test(trimmed);
  return !trimmed.includes('[') && !trimmed.includes(']');
}

export function formatFieldPath(path: FieldPath): string {
  return path.map((key) => `[${key}]`).join('');
}

export function getField(root: FieldObject, path: FieldPath): FieldValue | undefined {
  let node: FieldValue | undefined = root;
  for (let i = 0; i < path.length; i++) {
    if (!isFieldObject(node)) {
      // Logstash lets a numeric key index an array: [tags][0]
      if (Array.isArray(node) && /^-?\d+$/.test(path[i])) {
        const index = Number(path[i]);
        node = node[index < 0 ? node.length + index : index];
        continue;
      }
      return undefined;
    }
    node = node[path[i]];
  }
  return node;
}

/** Sets a value, creating intermediate objects; a scalar in the way is replaced by an object. */
export function setField(root: FieldObject, path: FieldPath, value: FieldValue): void {
  let node: FieldObject = root;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    const next: FieldValue | undefined = node[path[i]];
    if (isFieldObject(next)) {
      node = next;
    } else {
      const created: FieldObject = {};
      node[path[i]] = created;
      node = created;
    }
  }
  node[path[last]] = value;
}

/** Removes a field; returns what was there. Empty parents are left as they are (Logstash does the same). */
export function removeField(root: FieldObject, path: FieldPath): FieldValue | undefined {
  let node: FieldValue | undefined = root;
  const last = path.length - 1;
  for (let i = 0; i < last; i++) {
    if (!isFieldObject(node)) return undefined;
    node = node[path[i]];
  }
  if (!isFieldObject(node) || !(path[last] in node)) return undefined;
  const value = node[path[last]];
  delete node[path[last]];
  return value;
}
