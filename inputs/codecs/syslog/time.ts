/**
 * Syslog timestamps: RFC 5424's ISO-8601 (with an offset, or the configured zone when a sender
 * leaves it out) and RFC 3164's `MMM dd HH:mm:ss`, whose year is inferred from the receive time.
 */
import { wallClockToUtc, type ZoneOffset } from '../../../pipeline/zone.js';

/**
 * Per-codec time state. Senders stamp many messages with the same second, so the last parsed
 * timestamp text of each kind is remembered with its result, and so is the receive time.
 */
export class TimeContext {
  /** When the message was received, epoch ms; the year of BSD timestamps comes from it. */
  received = 0;
  private receivedText = '';
  private receivedFor = -1;
  private bsdKey = '';
  private bsdMonth = '';
  private bsdValue: { timestamp: string; length: number } | undefined;
  private isoKey = '';
  private isoValue: string | undefined;

  /** `zone`: for timestamps without an offset. */
  constructor(readonly zone: ZoneOffset) {}

  get receivedIso(): string {
    if (this.receivedFor !== this.received) {
      this.receivedFor = this.received;
      this.receivedText = new Date(this.received).toISOString();
    }
    return this.receivedText;
  }

  cachedIso(text: string, parse: () => string | undefined): string | undefined {
    if (text !== this.isoKey) {
      this.isoKey = text;
      this.isoValue = parse();
    }
    return this.isoValue;
  }

  /** The inferred year depends on the receive month: a new month starts a new cache. */
  cachedBsd(key: string, parse: () => { timestamp: string; length: number } | undefined): { timestamp: string; length: number } | undefined {
    const month = this.receivedIso.slice(0, 7);
    if (month !== this.bsdMonth) {
      this.bsdMonth = month;
      this.bsdKey = '';
    }
    if (key !== this.bsdKey) {
      this.bsdKey = key;
      this.bsdValue = parse();
    }
    return this.bsdValue;
  }
}

const ISO = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})?$/i;

function iso(ms: number): string | undefined {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

const GREGORIAN_CYCLE_MS = 146_097 * 86_400_000;

function wallClock(year: number, month: number, day: number, hour: number, minute: number, second: number, millis: number): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  // Date.UTC reads years 0-99 as 1900-1999; 400 Gregorian years later the calendar is the same, 146097 days on.
  const wall = year < 100 ? Date.UTC(year + 400, month - 1, day, hour, minute, Math.min(second, 59), millis) - GREGORIAN_CYCLE_MS : Date.UTC(year, month - 1, day, hour, minute, Math.min(second, 59), millis);
  return new Date(wall).getUTCDate() === day ? wall : undefined;
}

function fractionMillis(digits: string | undefined): number {
  return digits ? Number(digits.padEnd(3, '0').slice(0, 3)) : 0;
}

export function parseIsoTimestamp(text: string, time: TimeContext): string | undefined {
  return time.cachedIso(text, () => parseIsoUncached(text, time));
}

function parseIsoUncached(text: string, time: TimeContext): string | undefined {
  const m = ISO.exec(text);
  if (!m) return undefined;
  const wall = wallClock(Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]), Number(m[6]), fractionMillis(m[7]));
  if (wall === undefined) return undefined;
  const zone = m[8]?.toUpperCase();
  if (zone === undefined) return iso(wallClockToUtc(wall, time.zone));
  if (zone === 'Z') return iso(wall);
  const offset = (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
  return iso(wall - offset * 60_000);
}

const MONTHS: Readonly<Record<string, number>> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };

/**
 * `Mmm dd HH:mm:ss[.fff]`, `Mmm  d ...`, or with a year `Mmm dd yyyy HH:mm:ss` (Cisco PIX),
 * any case. Returns the UTC time and the index after it, or undefined.
 */
const BSD = /^([A-Za-z]{3}) {1,2}(\d{1,2})(?: (\d{4}))? (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?/;

export function parseBsdTimestamp(text: string, at: number, time: TimeContext): { timestamp: string; end: number } | undefined {
  // The common form `Mmm dd HH:mm:ss` is exactly 15 characters: only it is worth caching.
  const after = text.charCodeAt(at + 15);
  const plain = text.charCodeAt(at + 3) === 32 && text.charCodeAt(at + 12) === 58 && (Number.isNaN(after) || after === 32 || after === 58);
  const found = plain
    ? time.cachedBsd(text.slice(at, at + 15), () => parseBsdUncached(text.slice(at, at + 15), time))
    : parseBsdUncached(text.slice(at, at + 27), time);
  return found === undefined ? undefined : { timestamp: found.timestamp, end: at + found.length };
}

function parseBsdUncached(head: string, time: TimeContext): { timestamp: string; length: number } | undefined {
  const m = BSD.exec(head);
  if (!m) return undefined;
  const month = MONTHS[m[1].toLowerCase()];
  if (month === undefined) return undefined;
  let year: number;
  if (m[3] !== undefined) {
    year = Number(m[3]);
  } else {
    // A December line received in January is last year's; a January line received in December is next year's.
    const received = new Date(time.received);
    const receivedMonth = received.getUTCMonth() + 1;
    year = received.getUTCFullYear();
    if (month === 12 && receivedMonth === 1) year--;
    else if (month === 1 && receivedMonth === 12) year++;
  }
  const wall = wallClock(year, month, Number(m[2]), Number(m[4]), Number(m[5]), Number(m[6]), fractionMillis(m[7]));
  if (wall === undefined) return undefined;
  const timestamp = iso(wallClockToUtc(wall, time.zone));
  return timestamp === undefined ? undefined : { timestamp, length: m[0].length };
}
