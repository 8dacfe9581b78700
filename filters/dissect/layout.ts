/**
 * A dissect mapping such as `%{ts} %{+ts} %{?host} [%{pid}]: %{msg}`, compiled once into a list of
 * fields, each with the literal text that ends it. Splitting is one indexOf per field: no regular
 * expression, so a line costs time linear in its length whatever it holds.
 */

export type KeyKind = 'normal' | 'skip' | 'append' | 'indirect' | 'named_skip';

export interface DissectKey {
  /** The field name as written, without modifiers (`[a][b]` references allowed). */
  readonly name: string;
  readonly kind: KeyKind;
  /** `%{+ts/2}`: order among the appends to one field. */
  readonly order: number;
  /** `%{field->}`: repeated delimiters after the value are skipped (padded columns). */
  readonly padded: boolean;
  /** The literal that ends this value; '' for the last key (the rest of the line). */
  readonly delimiter: string;
}

export interface DissectLayout {
  /** Literal text before the first key, which the line must start with. */
  readonly prefix: string;
  readonly keys: readonly DissectKey[];
}

const KEY = /%\{([^{}]*)\}/g;

/** Parses a mapping; throws an Error naming the position of what is wrong. */
export function parseLayout(pattern: string): DissectLayout {
  const keys: DissectKey[] = [];
  const pending: Array<Omit<DissectKey, 'delimiter'>> = [];
  let prefix = '';
  let last = 0;
  for (const match of pattern.matchAll(KEY)) {
    const literal = pattern.slice(last, match.index);
    if (keys.length === 0 && pending.length === 0) prefix = literal;
    else if (literal === '') throw new Error(`dissect pattern: two keys with no delimiter between them at position ${match.index} (the split would be ambiguous)`);
    else keys.push({ ...pending.pop()!, delimiter: literal });
    pending.push(parseKey(match[1], match.index));
    last = match.index + match[0].length;
  }
  if (pending.length === 0) throw new Error('dissect pattern: no %{key} in it');
  keys.push({ ...pending.pop()!, delimiter: pattern.slice(last) });
  const stray = pattern.indexOf('%{', last);
  if (stray !== -1) throw new Error(`dissect pattern: unclosed %{ at position ${stray}`);
  for (const key of keys) {
    if (key.kind === 'indirect' && !keys.some((k) => k.kind === 'named_skip' && k.name === key.name)) {
      throw new Error(`dissect pattern: %{&${key.name}} has no %{?${key.name}} to name the field it sets`);
    }
  }
  return { prefix, keys };
}

function parseKey(text: string, position: number): Omit<DissectKey, 'delimiter'> {
  let body = text;
  let padded = false;
  if (body.endsWith('->')) {
    padded = true;
    body = body.slice(0, -2);
  }
  let kind: KeyKind = 'normal';
  if (body === '' || body === '?') return { name: '', kind: 'skip', order: 0, padded };
  if (body.startsWith('?')) kind = 'named_skip';
  else if (body.startsWith('+')) kind = 'append';
  else if (body.startsWith('&')) kind = 'indirect';
  if (kind !== 'normal') body = body.slice(1);
  let order = 0;
  const slash = kind === 'append' ? body.lastIndexOf('/') : -1;
  if (slash !== -1) {
    order = Number(body.slice(slash + 1));
    if (!Number.isInteger(order)) throw new Error(`dissect pattern: append order in %{${text}} at position ${position} is not a whole number`);
    body = body.slice(0, slash);
  }
  if (body === '' || /[%{}]/.test(body)) throw new Error(`dissect pattern: bad key %{${text}} at position ${position}`);
  return { name: body, kind, order, padded };
}

/**
 * Splits `text` by the layout into `values` (parallel to `layout.keys`); false when a delimiter
 * is missing. The last key takes the rest of the line unless it has a delimiter of its own.
 */
export function splitByLayout(layout: DissectLayout, text: string, values: string[]): boolean {
  if (!text.startsWith(layout.prefix)) return false;
  let position = layout.prefix.length;
  const keys = layout.keys;
  for (let i = 0; i < keys.length; i++) {
    const { delimiter, padded } = keys[i];
    if (delimiter === '') {
      values[i] = text.slice(position);
      position = text.length;
      continue;
    }
    const end = text.indexOf(delimiter, position);
    if (end === -1) return false;
    values[i] = text.slice(position, end);
    position = end + delimiter.length;
    if (padded) while (text.startsWith(delimiter, position)) position += delimiter.length;
  }
  return true;
}
