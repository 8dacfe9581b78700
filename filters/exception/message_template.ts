/**
 * A message with its variable parts masked, so that "user 42 not found" and "user 97 not
 * found" are one template: URLs (`<url>`), e-mail addresses (`<email>`), UUIDs (`<uuid>`), IP
 * addresses (`<ip>`), ISO-8601 dates and times (`<date>`), hex ids and addresses (`<hex>`: `0x…`,
 * or 8+ hex digits with a digit),
 * quoted values (`'<str>'`, `"<str>"`) and numbers (`<num>`; a unit after it stays: `<num>ms`).
 *
 * One scan, left to right, that looks closer only where a token starts (after a character that
 * is not a letter, digit, `_` or `.`): no regex, so the cost is a few nanoseconds a character,
 * and no input can make it backtrack.
 */

/** Longest message read; a longer one is cut first, so a megabyte of text costs no more than this. */
const MAX_LENGTH = 2048;
const MAX_QUOTED = 512;

/** Where the value a matcher found ends; set with the placeholder it returns (no object per match). */
let matchEnd = 0;

function matched(end: number, placeholder: string): string {
  matchEnd = end;
  return placeholder;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

function isHex(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
}

function isWord(c: number): boolean {
  return isDigit(c) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95 || c > 127;
}

/** Where a URL or an address ends: whitespace, quotes, brackets, commas. */
function isBreak(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 40 || c === 41 || c === 60 || c === 62 || c === 44 || c === 59 || c === 91 || c === 93 || c === 123 || c === 125;
}

function hexRun(text: string, from: number): number {
  let j = from;
  while (j < text.length && isHex(text.charCodeAt(j))) j++;
  return j;
}

function endsToken(text: string, at: number): boolean {
  return at >= text.length || !isWord(text.charCodeAt(at));
}

function uuidEnd(text: string, i: number): number {
  if (i + 36 > text.length) return -1;
  for (let k = 0; k < 36; k++) {
    const c = text.charCodeAt(i + k);
    if (k === 8 || k === 13 || k === 18 || k === 23 ? c !== 45 : !isHex(c)) return -1;
  }
  return endsToken(text, i + 36) ? i + 36 : -1;
}

function ipv4End(text: string, i: number): number {
  let j = i;
  for (let group = 0; group < 4; group++) {
    if (group > 0) {
      if (text.charCodeAt(j) !== 46) return -1;
      j++;
    }
    const start = j;
    while (j < text.length && j - start < 3 && isDigit(text.charCodeAt(j))) j++;
    if (j === start) return -1;
  }
  if (text.charCodeAt(j) === 58 && isDigit(text.charCodeAt(j + 1))) {
    j++;
    while (j < text.length && isDigit(text.charCodeAt(j))) j++;
  }
  return endsToken(text, j) && text.charCodeAt(j) !== 46 ? j : -1;
}

/** `fe80::1`, `2001:db8:0:0:0:0:0:1`: hex groups and colons, with `::` or all eight groups. */
function ipv6End(text: string, i: number): number {
  let j = i;
  let colons = 0;
  let double = false;
  while (j < text.length) {
    const c = text.charCodeAt(j);
    if (c === 58) {
      colons++;
      if (text.charCodeAt(j + 1) === 58) double = true;
    } else if (!isHex(c)) break;
    j++;
  }
  if (colons < 2 || (!double && colons !== 7) || text.charCodeAt(j - 1) === 58) return -1;
  return endsToken(text, j) ? j : -1;
}

/** URL or e-mail address starting at `i`, when the message has the marks of one. */
function addressAt(text: string, i: number, urls: boolean, emails: boolean): string {
  let j = i;
  let scheme = -1;
  let at = -1;
  while (j < text.length && !isBreak(text.charCodeAt(j))) {
    const c = text.charCodeAt(j);
    if (c === 58 && scheme === -1 && text.startsWith('//', j + 1)) scheme = j;
    else if (c === 64 && at === -1) at = j;
    j++;
  }
  // Sentence punctuation after an address is not part of it.
  while (j > i && (text.charCodeAt(j - 1) === 46 || text.charCodeAt(j - 1) === 58 || text.charCodeAt(j - 1) === 33 || text.charCodeAt(j - 1) === 63)) j--;
  if (urls && scheme > i && j > scheme + 3) return matched(j, '<url>');
  if (emails && at > i && scheme === -1) {
    const dot = text.indexOf('.', at + 2);
    if (dot !== -1 && dot < j - 1) return matched(j, '<email>');
  }
  return '';
}

function quotedEnd(text: string, i: number): number {
  const quote = text.charCodeAt(i);
  const other = quote === 39 ? 34 : 39;
  const limit = Math.min(text.length, i + MAX_QUOTED + 2);
  for (let j = i + 1; j < limit; j++) {
    const c = text.charCodeAt(j);
    // A value holds no line break, and no quote of the other kind: with one, which quotes pair up would change
    // once the inner ones are masked, and the template would not be stable.
    if (c === 10 || c === other) return -1;
    // `''` is no value to mask, and a quote glued to a word (or to a placeholder: `'x'<num>` was `'x'42`) closes none.
    if (c === quote) return j > i + 1 && endsToken(text, j + 1) && text.charCodeAt(j + 1) !== 60 ? j + 1 : -1;
  }
  return -1;
}

function digitsAt(text: string, at: number, count: number): boolean {
  for (let k = 0; k < count; k++) if (!isDigit(text.charCodeAt(at + k))) return false;
  return true;
}

/** `2026-12-01`, `2026-12-01T06:51:54.769Z`, `2026-12-01 06:51:54+02:00`. */
function isoDateEnd(text: string, i: number): number {
  if (!digitsAt(text, i, 4) || text.charCodeAt(i + 4) !== 45 || !digitsAt(text, i + 5, 2) || text.charCodeAt(i + 7) !== 45 || !digitsAt(text, i + 8, 2)) return -1;
  let j = i + 10;
  const separator = text.charCodeAt(j);
  if ((separator === 84 || separator === 32) && digitsAt(text, j + 1, 2) && text.charCodeAt(j + 3) === 58 && digitsAt(text, j + 4, 2)) {
    j += 6;
    if (text.charCodeAt(j) === 58 && digitsAt(text, j + 1, 2)) j += 3;
    if ((text.charCodeAt(j) === 46 || text.charCodeAt(j) === 44) && isDigit(text.charCodeAt(j + 1))) {
      j++;
      while (isDigit(text.charCodeAt(j))) j++;
    }
    const zone = text.charCodeAt(j);
    if (zone === 90) j++;
    else if ((zone === 43 || zone === 45) && digitsAt(text, j + 1, 2)) {
      j += 3;
      if (text.charCodeAt(j) === 58) j++;
      if (digitsAt(text, j, 2)) j += 2;
    }
  }
  return endsToken(text, j) ? j : -1;
}

/** A number, hex value, UUID, IP address or date starting at `i` (a digit or hex letter). */
function valueAt(text: string, i: number): string {
  const c = text.charCodeAt(i);
  // Fast paths for what most tokens are: a short number (`42`, `35ms`), or a word with a short hex-looking start
  // (`completed`). Only a run of 8+ hex digits, or one followed by `.`, `-`, `:` or `x`, can be anything else.
  const run = hexRun(text, i);
  const after = text.charCodeAt(run);
  if (run - i < 8 && after !== 46 && after !== 45 && after !== 58 && (after | 32) !== 120) {
    if (!isDigit(c)) return '';
    let digits = i;
    while (digits < run && isDigit(text.charCodeAt(digits))) digits++;
    if (digits === run) return matched(run, '<num>');
  }
  const uuid = uuidEnd(text, i);
  if (uuid !== -1) return matched(uuid, '<uuid>');
  if (c === 48 && (text.charCodeAt(i + 1) | 32) === 120) {
    const end = hexRun(text, i + 2);
    if (end > i + 2 && endsToken(text, end)) return matched(end, '<hex>');
  }
  if (isDigit(c)) {
    const ip = ipv4End(text, i);
    if (ip !== -1) return matched(ip, '<ip>');
    const date = isoDateEnd(text, i);
    if (date !== -1) return matched(date, '<date>');
  }
  if (after === 58) {
    const ip = ipv6End(text, i);
    if (ip !== -1) return matched(ip, '<ip>');
  }
  if (run - i >= 8 && endsToken(text, run) && text.charCodeAt(run) !== 45) {
    for (let k = i; k < run; k++) if (!isDigit(text.charCodeAt(k))) return matched(run, '<hex>');
  }
  if (!isDigit(c)) return '';
  let end = i;
  while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  if (text.charCodeAt(end) === 46 && isDigit(text.charCodeAt(end + 1))) {
    end++;
    while (end < text.length && isDigit(text.charCodeAt(end))) end++;
  }
  return matched(end, '<num>');
}

export function messageTemplate(message: string): string {
  const text = message.length > MAX_LENGTH ? message.slice(0, MAX_LENGTH) : message;
  const urls = text.includes('://');
  const emails = text.includes('@');
  let out = '';
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    // A value starts only where a token does: not glued to a word, a `.` or a placeholder before it (`>`), so that
    // `v2`, `sha256`, `300ms` keep their digits and a template masked again stays as it is.
    const before = i === 0 ? 32 : text.charCodeAt(i - 1);
    if (isWord(before) || before === 46 || before === 62) {
      i++;
      continue;
    }
    const c = text.charCodeAt(i);
    let placeholder = '';
    if (c === 39 || c === 34) {
      const end = quotedEnd(text, i);
      if (end !== -1) placeholder = matched(end, c === 39 ? "'<str>'" : '"<str>"');
    } else if (isWord(c)) {
      if (urls || emails) placeholder = addressAt(text, i, urls, emails);
      if (placeholder === '' && isHex(c)) placeholder = valueAt(text, i);
      if (placeholder === '') {
        // The rest of the word is glued to its start: skipped at once.
        i++;
        while (i < text.length && isWord(text.charCodeAt(i))) i++;
        continue;
      }
    }
    if (placeholder !== '') {
      out += text.slice(copied, i) + placeholder;
      copied = i = matchEnd;
    } else {
      i++;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
