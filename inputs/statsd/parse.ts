/**
 * The statsd line protocol: `name:value|type[|@rate][|#tag:value,...]`, one metric per line,
 * several lines per datagram. A line either parses whole or is refused with the reason.
 */

export type StatsdType = 'c' | 'ms' | 'g' | 's';

export interface StatsdLine {
  name: string;
  type: StatsdType;
  /** Counters, timers, gauges: the number; sets: 0 (the member is in `member`). */
  value: number;
  /** Gauges: `+n` / `-n` move the gauge instead of setting it. */
  delta: boolean;
  /** Sets: the member text. */
  member: string;
  /** Sampling rate in (0, 1]; 1 when absent. */
  rate: number;
  /** DogStatsD tags (`#k:v`); a tag without `:` has the value `true`. */
  tags: Record<string, string>;
  /** The tags as written (`service:shop,env:prod`), a cheap key for the series. */
  tagText: string;
}

export type ParseResult = { ok: true; line: StatsdLine } | { ok: false; reason: string };

const TYPES = new Set(['c', 'ms', 'h', 'g', 's']);
const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

const refuse = (reason: string): ParseResult => ({ ok: false, reason });

export function parseStatsdLine(text: string): ParseResult {
  const colon = text.indexOf(':');
  if (colon <= 0) return refuse('expected name:value|type');
  const name = text.slice(0, colon);
  const fields = text.slice(colon + 1).split('|');
  if (fields.length < 2) return refuse('expected name:value|type');
  const [valueText, typeText] = fields;
  // `h` (histogram) is DogStatsD's name for what statsd calls a timer.
  if (!TYPES.has(typeText)) return refuse(`unknown metric type "${typeText}" (expected c, ms, g or s)`);
  const type: StatsdType = typeText === 'h' ? 'ms' : (typeText as StatsdType);
  let rate = 1;
  let tagText = '';
  const tags: Record<string, string> = {};
  for (const field of fields.slice(2)) {
    if (field.startsWith('@')) {
      rate = Number(field.slice(1));
      if (!NUMBER.test(field.slice(1)) || !(rate > 0 && rate <= 1)) return refuse(`sample rate "${field}" is not in (0, 1]`);
    } else if (field.startsWith('#')) {
      tagText += field;
      for (const tag of field.slice(1).split(',')) {
        if (tag === '') continue;
        const at = tag.indexOf(':');
        if (at === 0) return refuse(`tag "${tag}" has no name`);
        if (at < 0) tags[tag] = 'true';
        else tags[tag.slice(0, at)] = tag.slice(at + 1);
      }
    } else return refuse(`unexpected field "${field}" (expected @rate or #tags)`);
  }
  if (type === 's') {
    if (valueText === '') return refuse('a set member is empty');
    return { ok: true, line: { name, type, value: 0, delta: false, member: valueText, rate, tags, tagText } };
  }
  if (!NUMBER.test(valueText)) return refuse(`value "${valueText}" is not a number`);
  const value = Number(valueText);
  if (!Number.isFinite(value)) return refuse(`value "${valueText}" is not finite`);
  const delta = type === 'g' && (valueText.startsWith('+') || valueText.startsWith('-'));
  return { ok: true, line: { name, type, value, delta, member: '', rate, tags, tagText } };
}
