/** One configured format turned into a function from the field's value to epoch milliseconds. */
import { ConfigError } from '../../pipeline/errors.js';
import { compilePattern, type DateParts } from './pattern.js';
import { isValidZone, wallClockToUtc, zoneOffset, type ZoneOffset } from '../../pipeline/zone.js';

export type DateParser = (value: unknown, now: number) => number | undefined;

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

function numeric(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

function toUtc(parts: DateParts, year: number, defaultZone: ZoneOffset, zones: Map<string, ZoneOffset>): number | undefined {
  const { month, day, hour, minute, second, millis } = parts;
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 60) return undefined;
  const wall = Date.UTC(year, month - 1, day, hour, minute, second, millis);
  if (new Date(wall).getUTCDate() !== day) return undefined; // 31 February
  if (parts.offset !== undefined) return wall - parts.offset * 60_000;
  if (parts.zone !== undefined) {
    let zone = zones.get(parts.zone);
    if (!zone) {
      if (!isValidZone(parts.zone)) return undefined;
      zone = zoneOffset(parts.zone);
      zones.set(parts.zone, zone);
    }
    return wallClockToUtc(wall, zone);
  }
  return wallClockToUtc(wall, defaultZone);
}

export function compileFormat(format: string, timezone: string): DateParser {
  const defaultZone = zoneOffset(timezone);
  const zones = new Map<string, ZoneOffset>();
  switch (format) {
    case 'UNIX':
      return (value) => {
        const n = numeric(value);
        return n === undefined ? undefined : Math.round(n * 1000);
      };
    case 'UNIX_MS':
      return (value) => {
        const n = numeric(value);
        return n === undefined ? undefined : Math.round(n);
      };
    case 'ISO8601':
      return (value) => {
        if (typeof value !== 'string') return undefined;
        const m = ISO_8601.exec(value.trim());
        if (!m) return undefined;
        const parts: DateParts = {
          month: Number(m[2]),
          day: Number(m[3]),
          hour: Number(m[4] ?? 0),
          minute: Number(m[5] ?? 0),
          second: Number(m[6] ?? 0),
          millis: m[7] ? Number(m[7].padEnd(3, '0').slice(0, 3)) : 0,
        };
        if (m[8]) {
          const zone = m[8].toUpperCase();
          parts.offset = zone === 'Z' ? 0 : (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.replace(':', '').slice(3, 5) || 0));
        }
        return toUtc(parts, Number(m[1]), defaultZone, zones);
      };
    default: {
      if (format.trim().length === 0) throw new ConfigError('SLUICE_CONFIG_INVALID', 'empty date format');
      const pattern = compilePattern(format);
      return (value, now) => {
        if (typeof value !== 'string') return undefined;
        const parts = pattern.parse(value.trim());
        if (!parts) return undefined;
        if (parts.year !== undefined || pattern.hasYear) return toUtc(parts, parts.year ?? new Date(now).getUTCFullYear(), defaultZone, zones);
        // No year in the text: this year, unless that lands more than a day ahead (a December line read in January).
        const thisYear = new Date(now).getUTCFullYear();
        const guess = toUtc(parts, thisYear, defaultZone, zones);
        return guess !== undefined && guess > now + 86_400_000 ? toUtc(parts, thisYear - 1, defaultZone, zones) : guess;
      };
    }
  }
}
