/**
 * A message with its variable parts masked, so that "user 42 not found" and "user 97 not
 * found" are one template: URLs, e-mail addresses, UUIDs, IP addresses, hex ids and
 * addresses, quoted values and numbers become placeholders. One regex pass, left to right;
 * earlier alternatives win (a URL is not split into an IP and numbers).
 */

const PATTERNS: ReadonlyArray<[placeholder: string, source: string]> = [
  ['<url>', String.raw`\b[a-z][a-z0-9+.-]*://[^\s'"<>()]+`],
  ['<email>', String.raw`[\w.+-]+@[\w-]+(?:\.[\w-]+)+`],
  ['<uuid>', String.raw`\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b`],
  ['<ip>', String.raw`\b\d{1,3}(?:\.\d{1,3}){3}(?::\d{1,5})?\b`],
  ['<ip>', String.raw`(?<![\w:])(?:[0-9a-f]{1,4}:){7}[0-9a-f]{1,4}(?![\w:])|(?<![\w:])(?:[0-9a-f]{1,4}:){1,6}:(?:[0-9a-f]{1,4}(?::[0-9a-f]{1,4})*)?(?![\w:])`],
  ['<hex>', String.raw`\b0x[0-9a-f]+\b|(?<![\w-])(?=[a-f]*\d)[0-9a-f]{8,128}(?![\w-])`],
  ["'<str>'", String.raw`(?<!\w)'[^'\n]{0,512}'(?!\w)`],
  ['"<str>"', String.raw`(?<!\w)"[^"\n]{0,512}"(?!\w)`],
  ['<num>', String.raw`(?<![\w.])\d+(?:\.\d+)?`],
];

const MASK = new RegExp(PATTERNS.map(([, source]) => `(${source})`).join('|'), 'gi');

function placeholder(match: string, ...groups: unknown[]): string {
  for (let i = 0; i < PATTERNS.length; i++) if (groups[i] !== undefined) return PATTERNS[i][0];
  return match;
}

/** Longest message read; a longer one is cut first, so a megabyte of text costs no more than this. */
const MAX_LENGTH = 2048;

export function messageTemplate(message: string): string {
  const text = message.length > MAX_LENGTH ? message.slice(0, MAX_LENGTH) : message;
  return text.replace(MASK, placeholder);
}
