/**
 * The `key=value` scanner: one pass over the text, no regular expression, so a hostile line
 * costs time linear in its length. Quoted values ("..." or '...', backslash escapes the quote)
 * and bracketed values may hold separators.
 */

export interface ScanOptions {
  readonly fieldSplit: string;
  readonly valueSplit: string;
  readonly lenient: boolean;
  readonly brackets: boolean;
}

const CLOSERS: Readonly<Record<string, string | undefined>> = { '[': ']', '(': ')', '<': '>' };

/** Membership of a character code in a separator set: a table for ASCII, the string itself beyond. */
function membership(chars: string): (code: number) => boolean {
  const table = new Uint8Array(128);
  let wide = '';
  for (const c of chars) {
    const code = c.charCodeAt(0);
    if (code < 128) table[code] = 1;
    else wide += c;
  }
  return wide === '' ? (code) => code < 128 && table[code] === 1 : (code) => (code < 128 ? table[code] === 1 : wide.includes(String.fromCharCode(code)));
}

const SPACE = 32;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

/** Builds the scanner for one set of options: calls `pair` for each pair; false when a quote is never closed (the pairs before it are kept). */
export function pairScanner(options: ScanOptions): (text: string, pair: (key: string, value: string, quoted: boolean) => void) => boolean {
  const isField = membership(options.fieldSplit);
  const isValue = membership(options.valueSplit);
  const { lenient, brackets } = options;
  return (text, pair) => {
    const n = text.length;
    let i = 0;
    while (i < n) {
      while (i < n && isField(text.charCodeAt(i))) i++;
      const keyStart = i;
      while (i < n && !isValue(text.charCodeAt(i)) && !isField(text.charCodeAt(i))) i++;
      let keyEnd = i;
      if (lenient) {
        let j = i;
        while (j < n && text.charCodeAt(j) === SPACE) j++;
        if (j < n && isValue(text.charCodeAt(j))) i = j;
        while (keyEnd > keyStart && text.charCodeAt(keyEnd - 1) === SPACE) keyEnd--;
      }
      if (i >= n || !isValue(text.charCodeAt(i))) continue; // a bare word: not a pair
      i++;
      if (lenient) while (i < n && text.charCodeAt(i) === SPACE) i++;
      const key = text.slice(keyStart, keyEnd);
      const open = text.charCodeAt(i);
      if (open === DOUBLE_QUOTE || open === SINGLE_QUOTE) {
        const quote = text[i];
        const close = findQuote(text, i + 1, quote);
        if (close === -1) return false;
        if (key !== '') pair(key, unescape(text.slice(i + 1, close), quote), true);
        i = close + 1;
        continue;
      }
      const closer = brackets && i < n ? CLOSERS[text[i]] : undefined;
      if (closer !== undefined) {
        const close = text.indexOf(closer, i + 1);
        if (close !== -1) {
          if (key !== '') pair(key, text.slice(i + 1, close), true);
          i = close + 1;
          continue;
        }
      }
      const valueStart = i;
      while (i < n && !isField(text.charCodeAt(i))) i++;
      if (key !== '') pair(key, text.slice(valueStart, i), false);
    }
    return true;
  };
}

function findQuote(text: string, from: number, quote: string): number {
  for (let i = from; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === quote) return i;
  }
  return -1;
}

function unescape(text: string, quote: string): string {
  return text.includes('\\') ? text.replaceAll(`\\${quote}`, quote).replaceAll('\\\\', '\\') : text;
}

/** Strips any of `chars` from both ends; '' strips nothing. */
export function trimChars(text: string, chars: string): string {
  if (chars === '') return text;
  let start = 0;
  let end = text.length;
  while (start < end && chars.includes(text[start])) start++;
  while (end > start && chars.includes(text[end - 1])) end--;
  return text.slice(start, end);
}
