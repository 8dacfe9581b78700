/**
 * Joda-style date patterns as Logstash writes them (`dd/MMM/yyyy:HH:mm:ss Z`,
 * `yyyy-MM-dd HH:mm:ss,SSS`, `MMM  d HH:mm:ss`), compiled once into a matcher. The regular
 * expression is built from the pattern's tokens, with every literal escaped.
 */
import { ConfigError } from '../../pipeline/errors.js';

export interface DateParts {
  year?: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** Fraction of a second in milliseconds (finer digits are cut). */
  millis: number;
  /** Minutes east of UTC when the text carried an offset. */
  offset?: number;
  /** An IANA zone named by the text (`ZZZ`). */
  zone?: string;
}

type Setter = (parts: DateParts, text: string) => boolean;

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function monthFromName(text: string): number {
  return MONTHS.indexOf(text.slice(0, 3).toLowerCase()) + 1;
}

function offsetMinutes(text: string): number | undefined {
  if (text === 'Z' || text === 'z') return 0;
  const m = /^([+-])(\d{2}):?(\d{2})$/.exec(text);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : undefined;
}

function tokenRule(token: string): { regex: string; set: Setter } | undefined {
  const letter = token[0];
  const width = token.length;
  const digits = (min: number, max: number) => `(\\d{${min},${max}})`;
  switch (letter) {
    case 'y':
      return width === 2
        ? { regex: digits(2, 2), set: (p, t) => ((p.year = 2000 + Number(t)), true) }
        : { regex: digits(4, 4), set: (p, t) => ((p.year = Number(t)), true) };
    case 'M':
      if (width >= 3) return { regex: width === 3 ? '([A-Za-z]{3})' : '([A-Za-z]{3,9})', set: (p, t) => (p.month = monthFromName(t)) > 0 };
      return { regex: digits(width, 2), set: (p, t) => ((p.month = Number(t)), true) };
    case 'd':
      return { regex: digits(width === 1 ? 1 : 2, 2), set: (p, t) => ((p.day = Number(t)), true) };
    case 'H':
      return { regex: digits(width === 1 ? 1 : 2, 2), set: (p, t) => ((p.hour = Number(t)), true) };
    case 'h':
      return { regex: digits(width === 1 ? 1 : 2, 2), set: (p, t) => ((p.hour = Number(t) % 12), true) };
    case 'a':
      return { regex: '([AaPp][Mm])', set: (p, t) => ((p.hour += t[0].toLowerCase() === 'p' ? 12 : 0), true) };
    case 'm':
      return { regex: digits(width === 1 ? 1 : 2, 2), set: (p, t) => ((p.minute = Number(t)), true) };
    case 's':
      return { regex: digits(width === 1 ? 1 : 2, 2), set: (p, t) => ((p.second = Number(t)), true) };
    case 'S':
      return { regex: digits(1, 9), set: (p, t) => ((p.millis = Number(t.padEnd(3, '0').slice(0, 3))), true) };
    case 'Z':
      if (width >= 3) return { regex: '([A-Za-z_]+(?:/[A-Za-z_+-]+)*|Z|[+-]\\d{2}:?\\d{2})', set: setZone };
      return { regex: '(Z|[+-]\\d{2}:?\\d{2})', set: (p, t) => (p.offset = offsetMinutes(t)) !== undefined };
    case 'z':
      return { regex: '(UTC|GMT|Z)', set: (p) => ((p.offset = 0), true) };
    case 'E':
      return { regex: '[A-Za-z]{3,9}', set: () => true };
    default:
      return undefined;
  }
}

function setZone(parts: DateParts, text: string): boolean {
  const offset = offsetMinutes(text);
  if (offset !== undefined) parts.offset = offset;
  else if (text === 'UTC' || text === 'GMT') parts.offset = 0;
  else parts.zone = text;
  return true;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

export interface CompiledPattern {
  readonly hasYear: boolean;
  parse(text: string): DateParts | undefined;
}

export function compilePattern(pattern: string): CompiledPattern {
  let regex = '^';
  const setters: Setter[] = [];
  let hasYear = false;
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i];
    if (c === "'") {
      // Joda quoting: 'text' is literal, and '' is one quote, inside or outside quotes.
      if (pattern[i + 1] === "'") {
        regex += "'";
        i += 2;
        continue;
      }
      let literal = '';
      let j = i + 1;
      for (; j < pattern.length; j++) {
        if (pattern[j] !== "'") literal += pattern[j];
        else if (pattern[j + 1] === "'") literal += pattern[j++];
        else break;
      }
      if (j >= pattern.length) throw new ConfigError('SLUICE_CONFIG_INVALID', `date pattern ${JSON.stringify(pattern)}: unclosed quote at column ${i + 1}`);
      regex += escapeRegex(literal);
      i = j + 1;
      continue;
    }
    if (/[A-Za-z]/.test(c)) {
      let end = i;
      while (pattern[end] === c) end++;
      const token = pattern.slice(i, end);
      const rule = tokenRule(token);
      if (!rule) throw new ConfigError('SLUICE_CONFIG_INVALID', `date pattern ${JSON.stringify(pattern)}: unsupported letter ${JSON.stringify(token)} at column ${i + 1}`);
      if (c === 'y') hasYear = true;
      regex += rule.regex;
      if (rule.regex.startsWith('(')) setters.push(rule.set);
      i = end;
      continue;
    }
    // One space in a pattern also matches two, for syslog's space-padded day (`MMM  d`).
    regex += c === ' ' ? ' +' : escapeRegex(c);
    i++;
  }
  const matcher = new RegExp(`${regex}$`);
  return {
    hasYear,
    parse(text) {
      const m = matcher.exec(text);
      if (!m) return undefined;
      const parts: DateParts = { month: 1, day: 1, hour: 0, minute: 0, second: 0, millis: 0 };
      for (let g = 0; g < setters.length; g++) if (!setters[g](parts, m[g + 1])) return undefined;
      return parts;
    },
  };
}
