/**
 * How deep a decoded JSON document may nest. JSON.parse reads any depth without recursion, but
 * JSON.stringify (every output, the failure path of an array) recurses and overflows the stack
 * near 5000 levels; Elasticsearch's own parser refuses more than 1000. A document beyond that is
 * kept as text instead.
 */
export const MAX_JSON_NESTING = 1000;

/**
 * True when `value`, parsed from `text`, nests deeper than MAX_JSON_NESTING. Each level takes
 * two characters at least (`[` and `]`), so a short text is answered without a walk.
 */
function nestsTooDeep(text: string, value: unknown): boolean {
  if (text.length <= 2 * MAX_JSON_NESTING || !moreOpeningsThan(text, MAX_JSON_NESTING)) return false;
  const stack: Array<[unknown, number]> = [[value, 1]];
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number];
    if (node === null || typeof node !== 'object') continue;
    if (depth > MAX_JSON_NESTING) return true;
    for (const child of Array.isArray(node) ? node : Object.values(node)) if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
  }
  return false;
}

/** NOT_JSON: text that is not JSON, or nests deeper than sluice can write back (kept as text by every caller). */
export const NOT_JSON: unique symbol = Symbol('not JSON');

/** `text` parsed, or NOT_JSON: the one parse of JSON documents that decoders and the json filter share. */
export function parseJsonDocument(text: string): unknown {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
  return nestsTooDeep(text, value) ? NOT_JSON : value;
}

/** Each level opens with `{` or `[`: a text with no more of them than the limit cannot nest deeper, and needs no walk. */
function moreOpeningsThan(text: string, limit: number): boolean {
  let openings = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if ((c === 123 || c === 91) && ++openings > limit) return true;
  }
  return false;
}
