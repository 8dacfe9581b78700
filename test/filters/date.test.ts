import { describe, expect, it } from 'vitest';
import { dateFilter } from '../../filters/date/index.js';
import type { Event } from '../../pipeline/event.js';
import { makeFilter } from './helpers.js';

function parsed(value: unknown, formats: string[], timezone?: string): Event {
  return makeFilter(dateFilter, { source: 'when', formats, ...(timezone ? { timezone } : {}) }).run([{ when: value } as Event])[0];
}

describe('date filter', () => {
  it.each([
    ['10/Oct/2000:13:55:36 -0700', 'dd/MMM/yyyy:HH:mm:ss Z', undefined, '2000-10-10T20:55:36.000Z'],
    ['2026-11-23 10:11:12,345', 'yyyy-MM-dd HH:mm:ss,SSS', undefined, '2026-11-23T10:11:12.345Z'],
    ['2026-11-23 10:11:12,345', 'yyyy-MM-dd HH:mm:ss,SSS', 'Europe/Paris', '2026-11-23T09:11:12.345Z'],
    ['2026-07-01 10:00:00', 'yyyy-MM-dd HH:mm:ss', 'Europe/Paris', '2026-07-01T08:00:00.000Z'],
    ['2026-07-01 10:00:00', 'yyyy-MM-dd HH:mm:ss', '+05:30', '2026-07-01T04:30:00.000Z'],
    ['2026-11-23T10:11:12.123456+02:00', 'ISO8601', undefined, '2026-11-23T08:11:12.123Z'],
    ['2026-11-23T10:11:12', 'ISO8601', 'America/New_York', '2026-11-23T15:11:12.000Z'],
    ['2026-11-23 10:11:12Z', 'ISO8601', undefined, '2026-11-23T10:11:12.000Z'],
    [1763856000, 'UNIX', undefined, '2025-11-23T00:00:00.000Z'],
    ['1763856000.5', 'UNIX', undefined, '2025-11-23T00:00:00.500Z'],
    [1763856000123, 'UNIX_MS', undefined, '2025-11-23T00:00:00.123Z'],
    ['Mon, 23 Nov 2026 08:00:00 GMT', 'EEE, dd MMM yyyy HH:mm:ss z', undefined, '2026-11-23T08:00:00.000Z'],
    ['11/23/2026 3:04:05 PM', 'MM/dd/yyyy h:mm:ss a', undefined, '2026-11-23T15:04:05.000Z'],
    ['2026-11-23 10:00:00 Asia/Tokyo', 'yyyy-MM-dd HH:mm:ss ZZZ', undefined, '2026-11-23T01:00:00.000Z'],
    ['2026-11-23T10:00:00Z', "yyyy-MM-dd'T'HH:mm:ss'Z'", undefined, '2026-11-23T10:00:00.000Z'],
    ["2026-11-23 10 o'clock", "yyyy-MM-dd HH 'o''clock'", undefined, '2026-11-23T10:00:00.000Z'],
    ['2026-11-23 25:00', 'yyyy-MM-dd HH:mm', undefined, undefined],
  ])('%j with %s (%s)', (value, format, timezone, expected) => {
    if (expected === undefined) expect(parsed(value, [format], timezone).tags).toEqual(['_dateparsefailure']);
    else expect(parsed(value, [format], timezone)['@timestamp']).toBe(expected);
  });

  it('tries formats in order and tags a value that matches none', () => {
    expect(parsed('2026-11-23', ['UNIX', 'yyyy-MM-dd'])['@timestamp']).toBe('2026-11-23T00:00:00.000Z');
    const failed = parsed('not a date', ['ISO8601', 'UNIX']);
    expect(failed['@timestamp']).toBeUndefined();
    expect(failed.tags).toEqual(['_dateparsefailure']);
    expect(parsed('2026-02-31', ['yyyy-MM-dd']).tags).toEqual(['_dateparsefailure']);
  });

  it('infers the year of syslog-style dates, using last year for a date that would be in the future', () => {
    const now = new Date();
    const stamp = parsed(`${now.toUTCString().slice(8, 11)} ${String(now.getUTCDate()).padStart(2, ' ')} 00:00:01`, ['MMM d HH:mm:ss'])['@timestamp'];
    expect(stamp).toBe(`${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}-${String(now.getUTCDate()).padStart(2, '0')}T00:00:01.000Z`);
    const ahead = new Date(now.getTime() + 40 * 86_400_000);
    const text = `${ahead.toUTCString().slice(8, 11)} ${String(ahead.getUTCDate()).padStart(2, ' ')} 12:00:00`;
    expect(String(parsed(text, ['MMM d HH:mm:ss'])['@timestamp']).slice(0, 4)).toBe(String(ahead.getUTCFullYear() - 1));
  });

  it('rejects a bad pattern or zone in the config', () => {
    expect(dateFilter.schema.safeParse({ source: 'a', formats: ['yyyy-MM-dd Q'] }).success).toBe(false);
    expect(dateFilter.schema.safeParse({ source: 'a', formats: ['ISO8601'], timezone: 'Mars/Olympus' }).success).toBe(false);
  });
});
