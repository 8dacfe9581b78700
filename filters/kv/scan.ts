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

const CLOSERS: Record<string, string> = { '[': ']', '(': ')', '<': '>' };

/** Calls `pair` for each pair found; returns false when a quote is never closed (the pairs before it are kept). */
export function scanPairs(text: string, options: ScanOptions, pair: (key: string, value: string, quoted: boolean) => void): boolean {
  const { fieldSplit, valueSplit, lenient, brackets } = options;
  const n = text.length;
  let i = 0;
  while (i < n) {
    while (i < n && fieldSplit.includes(text[i])) i++;
    const keyStart = i;
    while (i < n && !valueSplit.includes(text[i]) && !fieldSplit.includes(text[i])) i++;
    let keyEnd = i;
    if (lenient) {
      let j = i;
      while (j < n && text[j] === ' ') j++;
      if (j < n && valueSplit.includes(text[j])) i = j;
      while (keyEnd > keyStart && text[keyEnd - 1] === ' ') keyEnd--;
    }
    if (i >= n || !valueSplit.includes(text[i])) continue; // a bare word: not a pair
    i++;
    if (lenient) while (i < n && text[i] === ' ') i++;
    const key = text.slice(keyStart, keyEnd);
    const open = text[i];
    if (open === '"' || open === "'") {
      const close = findQuote(text, i + 1, open);
      if (close === -1) return false;
      if (key !== '') pair(key, unescape(text.slice(i + 1, close), open), true);
      i = close + 1;
      continue;
    }
    if (brackets && open !== undefined && open in CLOSERS) {
      const close = text.indexOf(CLOSERS[open], i + 1);
      if (close !== -1) {
        if (key !== '') pair(key, text.slice(i + 1, close), true);
        i = close + 1;
        continue;
      }
    }
    const valueStart = i;
    while (i < n && !fieldSplit.includes(text[i])) i++;
    if (key !== '') pair(key, text.slice(valueStart, i), false);
  }
  return true;
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
