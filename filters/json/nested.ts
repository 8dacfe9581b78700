/**
 * JSON inside JSON: apps log a JSON document whose `message` is itself JSON text (structlog
 * under python-logstash, a pino line inside a Docker record). Strings that look like a JSON
 * object or array are parsed where they stand, down to a depth limit.
 */
import { NOT_JSON, parseJsonDocument } from '../../inputs/codecs/json_depth.js';
import { isFieldObject, type FieldObject, type FieldValue } from '../../pipeline/event.js';

/** Cheap test before paying for JSON.parse: `{...}` or `[...]`, ignoring outer spaces. */
export function looksLikeJson(text: string): boolean {
  let start = 0;
  let end = text.length - 1;
  while (start <= end && text.charCodeAt(start) <= 32) start++;
  while (end > start && text.charCodeAt(end) <= 32) end--;
  if (end <= start) return false;
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end);
  return (first === 123 && last === 125) /* {} */ || (first === 91 && last === 93) /* [] */;
}

/** The parsed text, or undefined when it is not JSON or nests deeper than sluice can write back. */
export function tryParse(text: string): FieldValue | undefined {
  const value = parseJsonDocument(text);
  return value === NOT_JSON ? undefined : (value as FieldValue);
}

/** Names apps give their human-readable line when `message` is not used (structlog, pino, zap, slog). */
const MESSAGE_ALIASES = ['event', 'msg'] as const;

/**
 * Merges `inner` (parsed from `holder.message`) into `holder`: inner keys win, being the more
 * specific record, and the line people read ends up in `message` as text.
 */
export function mergeMessageObject(holder: FieldObject, inner: FieldObject): void {
  for (const key in inner) holder[key] = inner[key];
  if (typeof inner.message === 'string') return;
  for (const alias of MESSAGE_ALIASES) {
    const text = inner[alias];
    if (typeof text === 'string') {
      holder.message = text;
      delete holder[alias];
      return;
    }
  }
}

/** Expands JSON strings inside `node` (in place), `levels` more levels down. */
export function expandNested(node: FieldObject, levels: number): void {
  if (levels <= 0) return;
  // Merging a nested message adds keys to `node`: walk the keys it had before.
  for (const key of Object.keys(node)) {
    const value = node[key];
    if (typeof value === 'string') {
      if (!looksLikeJson(value)) continue;
      const parsed = tryParse(value);
      if (parsed === undefined) continue;
      if (key === 'message' && isFieldObject(parsed)) {
        expandNested(parsed, levels - 1);
        mergeMessageObject(node, parsed);
      } else if (key !== 'message') {
        node[key] = parsed;
        if (isFieldObject(parsed)) expandNested(parsed, levels - 1);
      }
    } else if (isFieldObject(value) && key !== '@metadata') {
      expandNested(value, levels);
    }
  }
}
