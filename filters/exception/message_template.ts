/**
 * A message with its variable parts masked, so that "user 42 not found" and "user 97 not
 * found" are one template: URLs (`<url>`), e-mail addresses (`<email>`), UUIDs (`<uuid>`), IP
 * addresses (`<ip>`), ISO-8601 dates and times (`<date>`), hex ids and addresses (`<hex>`: `0x…`,
 * or 8+ hex digits with a digit),
 * quoted values (`'<str>'`, `"<str>"`) and numbers (`<num>`; a unit after it stays: `<num>ms`).
 *
 * One scan, left to right, that looks closer only where a token starts (after a character that
 * is not a letter, digit, `_` or `.`): no regex, so the cost is a few nanoseconds a character,
 * and no input can make it backtrack. The scan records where the placeholders go and hashes the
 * template as it passes; TemplateCache finds a template seen before from that, without building
 * its string (the fingerprint of an error-level message is then one scan and one comparison).
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

const DIGIT = 1;
const HEX = 2;
const WORD = 4;
/** Character classes of ASCII as bits, so each test of the scan is one load (past the end of the text, 0: none). */
const CLASSES = (() => {
  const table = new Uint8Array(128);
  for (let c = 0; c < 128; c++) {
    const digit = c >= 48 && c <= 57;
    const hex = digit || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    const word = digit || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === 95;
    table[c] = (digit ? DIGIT : 0) | (hex ? HEX : 0) | (word ? WORD : 0);
  }
  return table;
})();

function isDigit(c: number): boolean {
  return c < 128 && (CLASSES[c] & DIGIT) !== 0;
}

function isHex(c: number): boolean {
  return c < 128 && (CLASSES[c] & HEX) !== 0;
}

function isWord(c: number): boolean {
  return c < 128 ? (CLASSES[c] & WORD) !== 0 : true;
}

/**
 * The character at `i`, 0 past the end. charCodeAt gives NaN there, and one NaN seen makes V8
 * compile every comparison of the scan for floating-point numbers (and deoptimize on the way).
 */
function codeAt(text: string, i: number): number {
  return i < text.length ? text.charCodeAt(i) : 0;
}

/** Where a URL or an address ends: whitespace, quotes, brackets, commas. */
function isBreak(c: number): boolean {
  return c <= 32 || c === 34 || c === 39 || c === 40 || c === 41 || c === 60 || c === 62 || c === 44 || c === 59 || c === 91 || c === 93 || c === 123 || c === 125;
}

function hexRun(text: string, from: number): number {
  let j = from;
  while (j < text.length && isHex(codeAt(text, j))) j++;
  return j;
}

function endsToken(text: string, at: number): boolean {
  return at >= text.length || !isWord(codeAt(text, at));
}

function uuidEnd(text: string, i: number): number {
  if (i + 36 > text.length) return -1;
  for (let k = 0; k < 36; k++) {
    const c = codeAt(text, i + k);
    if (k === 8 || k === 13 || k === 18 || k === 23 ? c !== 45 : !isHex(c)) return -1;
  }
  return endsToken(text, i + 36) ? i + 36 : -1;
}

function ipv4End(text: string, i: number): number {
  let j = i;
  for (let group = 0; group < 4; group++) {
    if (group > 0) {
      if (codeAt(text, j) !== 46) return -1;
      j++;
    }
    const start = j;
    while (j < text.length && j - start < 3 && isDigit(codeAt(text, j))) j++;
    if (j === start) return -1;
  }
  if (codeAt(text, j) === 58 && isDigit(codeAt(text, j + 1))) {
    j++;
    while (j < text.length && isDigit(codeAt(text, j))) j++;
  }
  return endsToken(text, j) && codeAt(text, j) !== 46 ? j : -1;
}

/** `fe80::1`, `2001:db8:0:0:0:0:0:1`: hex groups and colons, with `::` or all eight groups. */
function ipv6End(text: string, i: number): number {
  let j = i;
  let colons = 0;
  let double = false;
  while (j < text.length) {
    const c = codeAt(text, j);
    if (c === 58) {
      colons++;
      if (codeAt(text, j + 1) === 58) double = true;
    } else if (!isHex(c)) break;
    j++;
  }
  if (colons < 2 || (!double && colons !== 7) || codeAt(text, j - 1) === 58) return -1;
  return endsToken(text, j) ? j : -1;
}

/** URL or e-mail address starting at `i`, when the message has the marks of one. */
function addressAt(text: string, i: number, urls: boolean, emails: boolean): string {
  let j = i;
  let scheme = -1;
  let at = -1;
  while (j < text.length && !isBreak(codeAt(text, j))) {
    const c = codeAt(text, j);
    if (c === 58 && scheme === -1 && text.startsWith('//', j + 1)) scheme = j;
    else if (c === 64 && at === -1) at = j;
    j++;
  }
  // Sentence punctuation after an address is not part of it.
  while (j > i && (codeAt(text, j - 1) === 46 || codeAt(text, j - 1) === 58 || codeAt(text, j - 1) === 33 || codeAt(text, j - 1) === 63)) j--;
  if (urls && scheme > i && j > scheme + 3) return matched(j, '<url>');
  if (emails && at > i && scheme === -1) {
    const dot = text.indexOf('.', at + 2);
    if (dot !== -1 && dot < j - 1) return matched(j, '<email>');
  }
  return '';
}

function quotedEnd(text: string, i: number): number {
  const quote = codeAt(text, i);
  const other = quote === 39 ? 34 : 39;
  const limit = Math.min(text.length, i + MAX_QUOTED + 2);
  for (let j = i + 1; j < limit; j++) {
    const c = codeAt(text, j);
    // A value holds no line break, and no quote of the other kind: with one, which quotes pair up would change
    // once the inner ones are masked, and the template would not be stable.
    if (c === 10 || c === other) return -1;
    // `''` is no value to mask, and a quote glued to a word (or to a placeholder: `'x'<num>` was `'x'42`) closes none.
    if (c === quote) return j > i + 1 && endsToken(text, j + 1) && codeAt(text, j + 1) !== 60 ? j + 1 : -1;
  }
  return -1;
}

function digitsAt(text: string, at: number, count: number): boolean {
  for (let k = 0; k < count; k++) if (!isDigit(codeAt(text, at + k))) return false;
  return true;
}

/** `2026-12-01`, `2026-12-01T06:51:54.769Z`, `2026-12-01 06:51:54+02:00`. */
function isoDateEnd(text: string, i: number): number {
  if (!digitsAt(text, i, 4) || codeAt(text, i + 4) !== 45 || !digitsAt(text, i + 5, 2) || codeAt(text, i + 7) !== 45 || !digitsAt(text, i + 8, 2)) return -1;
  let j = i + 10;
  const separator = codeAt(text, j);
  if ((separator === 84 || separator === 32) && digitsAt(text, j + 1, 2) && codeAt(text, j + 3) === 58 && digitsAt(text, j + 4, 2)) {
    j += 6;
    if (codeAt(text, j) === 58 && digitsAt(text, j + 1, 2)) j += 3;
    if ((codeAt(text, j) === 46 || codeAt(text, j) === 44) && isDigit(codeAt(text, j + 1))) {
      j++;
      while (isDigit(codeAt(text, j))) j++;
    }
    const zone = codeAt(text, j);
    if (zone === 90) j++;
    else if ((zone === 43 || zone === 45) && digitsAt(text, j + 1, 2)) {
      j += 3;
      if (codeAt(text, j) === 58) j++;
      if (digitsAt(text, j, 2)) j += 2;
    }
  }
  return endsToken(text, j) ? j : -1;
}

/** A number, hex value, UUID, IP address or date starting at `i` (a digit or hex letter). */
function valueAt(text: string, i: number): string {
  const c = codeAt(text, i);
  // Fast paths for what most tokens are: a short number (`42`, `35ms`), or a word with a short hex-looking start
  // (`completed`). Only a run of 8+ hex digits, or one followed by `.`, `-`, `:` or `x`, can be anything else.
  const run = hexRun(text, i);
  const after = codeAt(text, run);
  if (run - i < 8 && after !== 46 && after !== 45 && after !== 58 && (after | 32) !== 120) {
    if (!isDigit(c)) return '';
    let digits = i;
    while (digits < run && isDigit(codeAt(text, digits))) digits++;
    if (digits === run) return matched(run, '<num>');
  }
  const uuid = uuidEnd(text, i);
  if (uuid !== -1) return matched(uuid, '<uuid>');
  if (c === 48 && (codeAt(text, i + 1) | 32) === 120) {
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
  if (run - i >= 8 && endsToken(text, run) && codeAt(text, run) !== 45) {
    for (let k = i; k < run; k++) if (!isDigit(codeAt(text, k))) return matched(run, '<hex>');
  }
  if (!isDigit(c)) return '';
  let end = i;
  while (end < text.length && isDigit(codeAt(text, end))) end++;
  if (codeAt(text, end) === 46 && isDigit(codeAt(text, end + 1))) {
    end++;
    while (end < text.length && isDigit(codeAt(text, end))) end++;
  }
  return matched(end, '<num>');
}

/**
 * What one scan found: the message (cut to MAX_LENGTH), for each placeholder the literal run of
 * the message before it, the rest after the last one, and a hash of the template's text. Reused
 * from scan to scan: a template costs no allocation until its string is asked for.
 */
const scanned = {
  text: '',
  count: 0,
  from: new Int32Array(MAX_LENGTH),
  to: new Int32Array(MAX_LENGTH),
  placeholders: new Array<string>(MAX_LENGTH).fill(''),
  tail: 0,
  hash: 0,
};

const FNV_OFFSET = 0x811c9dc5 | 0;
const FNV_PRIME = 0x01000193;

/** A placeholder joins the hash as one code past the characters' range (`'<str>'` and `"<str>"` apart). */
function placeholderCode(placeholder: string): number {
  return 0x10000 + placeholder.charCodeAt(0) * 128 + placeholder.charCodeAt(1) + placeholder.length * 16384;
}

function scan(message: string): void {
  const text = message.length > MAX_LENGTH ? message.slice(0, MAX_LENGTH) : message;
  const urls = text.includes('://');
  const emails = text.includes('@');
  const length = text.length;
  let count = 0;
  let copied = 0;
  let i = 0;
  let before = 32;
  // The hash takes each character the template keeps as the scan passes it, and each placeholder.
  let h = FNV_OFFSET;
  while (i < length) {
    const c = text.charCodeAt(i);
    // A value starts only where a token does: not glued to a word, a `.` or a placeholder before it (`>`), so that
    // `v2`, `sha256`, `300ms` keep their digits and a template masked again stays as it is.
    if (isWord(before) || before === 46 || before === 62) {
      h = Math.imul(h ^ c, FNV_PRIME);
      before = c;
      i++;
      continue;
    }
    let placeholder = '';
    if (c === 39 || c === 34) {
      const end = quotedEnd(text, i);
      if (end !== -1) placeholder = matched(end, c === 39 ? "'<str>'" : '"<str>"');
    } else if (isWord(c)) {
      if (urls || emails) placeholder = addressAt(text, i, urls, emails);
      if (placeholder === '' && isHex(c)) placeholder = valueAt(text, i);
      if (placeholder === '') {
        // The rest of the word is glued to its start: skipped at once.
        h = Math.imul(h ^ c, FNV_PRIME);
        i++;
        while (i < length) {
          const w = text.charCodeAt(i);
          if (!isWord(w)) break;
          h = Math.imul(h ^ w, FNV_PRIME);
          i++;
        }
        before = 65; // what follows is glued to the word's last character
        continue;
      }
    }
    if (placeholder !== '') {
      scanned.from[count] = copied;
      scanned.to[count] = i;
      scanned.placeholders[count] = placeholder;
      count++;
      h = Math.imul(h ^ placeholderCode(placeholder), FNV_PRIME);
      copied = i = matchEnd;
      before = text.charCodeAt(i - 1);
    } else {
      h = Math.imul(h ^ c, FNV_PRIME);
      before = c;
      i++;
    }
  }
  scanned.text = text;
  scanned.count = count;
  scanned.tail = copied;
  scanned.hash = h;
}

function templateOfScan(): string {
  const { text, count, from, to, placeholders } = scanned;
  if (count === 0) return text;
  let out = '';
  for (let k = 0; k < count; k++) out += text.slice(from[k], to[k]) + placeholders[k];
  return out + text.slice(scanned.tail);
}

export function messageTemplate(message: string): string {
  scan(message);
  return templateOfScan();
}

/** True when `text` from `from` to `to` reads as `codes` does at `at` (which has room for it). */
function sameRange(text: string, from: number, to: number, codes: Uint16Array, at: number): boolean {
  for (let j = from; j < to; j++) if (text.charCodeAt(j) !== codes[at + j - from]) return false;
  return true;
}

/** True when the scanned template reads exactly as `codes`, compared part by part without joining them. */
function scanIs(codes: Uint16Array): boolean {
  const { text, count, from, to, placeholders } = scanned;
  let at = 0;
  for (let k = 0; k < count; k++) {
    const placeholder = placeholders[k];
    if (at + to[k] - from[k] + placeholder.length > codes.length || !sameRange(text, from[k], to[k], codes, at)) return false;
    at += to[k] - from[k];
    if (!sameRange(placeholder, 0, placeholder.length, codes, at)) return false;
    at += placeholder.length;
  }
  return at + text.length - scanned.tail === codes.length && sameRange(text, scanned.tail, text.length, codes, at);
}

/**
 * A string of its own: a message cut to MAX_LENGTH, and a template that is all of it, are a slice that keeps the
 * whole message alive (a megabyte line, for as long as its template stays cached).
 */
function detached(text: string): string {
  return text.length < 13 ? text : ` ${text}`.slice(1);
}

function charCodes(text: string): Uint16Array {
  const codes = new Uint16Array(text.length);
  for (let j = 0; j < text.length; j++) codes[j] = text.charCodeAt(j);
  return codes;
}

/**
 * The value made from a message's template (its fingerprint), for the templates seen last. The
 * scan hashes the template as it goes; a template found in the hash's slot is compared with the
 * message's parts, so a template seen before costs neither building its string nor a lookup by
 * string. A slot holds the last template that hashed to it.
 */
export class TemplateCache<T> {
  private readonly hashes: Int32Array;
  /** Each slot's template as character codes: compared without a string's indirections (a built string is a tree of parts). */
  private readonly templates: Uint16Array[];
  private readonly values: Array<T | undefined>;
  private readonly mask: number;

  constructor(
    private readonly make: (template: string) => T,
    slotsLog2 = 10,
  ) {
    this.mask = (1 << slotsLog2) - 1;
    this.hashes = new Int32Array(1 << slotsLog2);
    this.templates = new Array<Uint16Array>(1 << slotsLog2).fill(new Uint16Array(0));
    this.values = new Array<T | undefined>(1 << slotsLog2).fill(undefined);
  }

  of(message: string): T {
    scan(message);
    const hash = scanned.hash;
    const slot = hash & this.mask;
    const known = this.values[slot];
    if (known !== undefined && this.hashes[slot] === hash && scanIs(this.templates[slot])) return known;
    const template = detached(templateOfScan());
    const value = this.make(template);
    this.hashes[slot] = hash;
    this.templates[slot] = charCodes(template);
    this.values[slot] = value;
    return value;
  }
}

