/**
 * Fuzzing the syslog codec: RFC 5424 and RFC 3164 messages built from random fields parse back
 * to those fields; mutated and random messages never throw, always give an event with a valid
 * time and priority, keep the text of what failed, and count as a failure exactly when tagged;
 * and a codec's time caches give what a fresh parse gives.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createSyslogCodec, parseSyslog, SYSLOG_FAILURE_TAG } from '../../inputs/codecs/syslog/index.js';
import { zoneOffset } from '../../pipeline/zone.js';
import type { Event, FieldObject } from '../../pipeline/event.js';
import { fuzz, mutatedText, textWithout } from './fuzz.js';

const UTC = zoneOffset('UTC');
const RECEIVED = Date.parse('2026-11-22T12:00:00Z');

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');
const printable = (max: number) => fc.stringMatching(new RegExp(`^[!-~]{1,${max}}$`)).filter((t) => t !== '-');
/** Text of a message: anything but what a frame may end with, and not starting with a space (5424 trims it). */
const messageText = textWithout('\r\n\u0000').filter((t) => !t.startsWith(' ') && !t.startsWith('\ufeff'));

interface Stamp {
  text: string;
  iso: string;
}

/** An RFC 3339 time at any instant of years 0..9999, with 0-6 fraction digits and any offset. */
const rfc3339: fc.Arbitrary<Stamp> = fc
  .record({
    // 0000-01-01T00:00:00Z to 9999-12-31T23:59:59Z (Date.UTC reads years 0-99 as 1900-1999).
    utc: fc.integer({ min: -62_167_219_200_000, max: 253_402_300_799_000 }),
    offset: fc.oneof(fc.constant(0), fc.integer({ min: -14 * 60, max: 14 * 60 })),
    zulu: fc.boolean(),
    digits: fc.integer({ min: 0, max: 6 }),
    micros: fc.integer({ min: 0, max: 999_999 }),
  })
  .map(({ utc, offset, zulu, digits, micros }) => {
    const second = Math.floor(utc / 1000) * 1000;
    const fraction = digits === 0 ? '' : `.${pad(micros, 6).slice(0, digits)}`;
    const millis = digits === 0 ? 0 : Number(pad(micros, 6).slice(0, digits).padEnd(3, '0').slice(0, 3));
    const minutes = zulu ? 0 : offset;
    const wall = new Date(second + minutes * 60_000);
    const year = wall.getUTCFullYear();
    const zone = zulu ? 'Z' : `${minutes < 0 ? '-' : '+'}${pad(Math.floor(Math.abs(minutes) / 60))}:${pad(Math.abs(minutes) % 60)}`;
    const text = `${pad(year, 4)}-${pad(wall.getUTCMonth() + 1)}-${pad(wall.getUTCDate())}T${pad(wall.getUTCHours())}:${pad(wall.getUTCMinutes())}:${pad(wall.getUTCSeconds())}${fraction}${zone}`;
    return { text, iso: new Date(second + millis).toISOString() };
  })
  .filter(({ text }) => /^\d{4}-/.test(text));

const sdName = fc.oneof({ weight: 9, arbitrary: fc.stringMatching(/^[A-Za-z0-9._@-]{1,12}$/) }, { weight: 1, arbitrary: fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty') });
const sdValue = textWithout('');
interface Rfc5424 {
  pri: number;
  stamp: Stamp | undefined;
  host: string | undefined;
  app: string | undefined;
  procid: string | undefined;
  msgid: string | undefined;
  sd: Array<[string, Array<[string, string]>]>;
  message: string;
}

const rfc5424: fc.Arbitrary<Rfc5424> = fc.record({
  pri: fc.integer({ min: 0, max: 191 }),
  stamp: fc.option(rfc3339, { nil: undefined }),
  host: fc.option(printable(40), { nil: undefined }),
  app: fc.option(printable(48), { nil: undefined }),
  procid: fc.option(fc.oneof(printable(20), fc.integer({ min: 0, max: 4_000_000 }).map(String)), { nil: undefined }),
  msgid: fc.option(printable(32), { nil: undefined }),
  sd: fc.uniqueArray(fc.tuple(sdName, fc.uniqueArray(fc.tuple(sdName, sdValue), { maxLength: 3, selector: ([n]) => n })), { maxLength: 3, selector: ([id]) => id }),
  message: messageText,
});

const escapeSd = (value: string): string => value.replace(/[\\"\]]/g, (c) => `\\${c}`);

function render5424(m: Rfc5424): string {
  const sd = m.sd.length === 0 ? '-' : m.sd.map(([id, params]) => `[${id}${params.map(([n, v]) => ` ${n}="${escapeSd(v)}"`).join('')}]`).join('');
  const head = `<${m.pri}>1 ${m.stamp?.text ?? '-'} ${m.host ?? '-'} ${m.app ?? '-'} ${m.procid ?? '-'} ${m.msgid ?? '-'} ${sd}`;
  return m.message.length > 0 ? `${head} ${m.message}` : head;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

interface Rfc3164 {
  pri: number;
  received: number;
  month: number;
  day: number;
  time: [number, number, number];
  host: string | undefined;
  tag: string | undefined;
  pid: number | undefined;
  message: string;
}

const tag = fc.stringMatching(/^[A-Za-z0-9_./@-]{1,32}$/);
const host = fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._-]{0,30}$/);

const rfc3164: fc.Arbitrary<Rfc3164> = fc
  .record({
    pri: fc.integer({ min: 0, max: 191 }),
    received: fc.integer({ min: Date.UTC(1971, 0, 1), max: Date.UTC(2099, 11, 31) }),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }),
    time: fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })),
    host: fc.option(host, { nil: undefined }),
    tag: fc.option(tag, { nil: undefined }),
    pid: fc.option(fc.integer({ min: 0, max: 4_000_000 }), { nil: undefined }),
    message: messageText,
  })
  .filter((m) => new Date(Date.UTC(inferredYear(m), m.month - 1, m.day)).getUTCDate() === m.day)
  // Without a tag, a message that starts like one (`word:`, `word[1]:`) is rightly read as one.
  .filter((m) => m.tag !== undefined || !/^[A-Za-z0-9_./@-]+(\[[^\]]*\])?:/.test(m.message));

/** The year a BSD timestamp without one is given: the receive year, across a new year either way. */
function inferredYear(m: { received: number; month: number }): number {
  const received = new Date(m.received);
  const year = received.getUTCFullYear();
  if (m.month === 12 && received.getUTCMonth() === 0) return year - 1;
  if (m.month === 1 && received.getUTCMonth() === 11) return year + 1;
  return year;
}

function render3164(m: Rfc3164): string {
  const day = m.day < 10 ? ` ${m.day}` : String(m.day);
  const stamp = `${MONTHS[m.month - 1]} ${day} ${m.time.map((n) => pad(n)).join(':')}`;
  const tagText = m.tag === undefined ? '' : `${m.tag}${m.pid === undefined ? '' : `[${m.pid}]`}: `;
  // Without a tag, a first word of the message would be read as a host: only messages with a tag or a host are built.
  return `<${m.pri}>${stamp} ${m.host === undefined ? '' : `${m.host} `}${tagText}${m.message}`;
}

function syslogOf(event: Event): FieldObject {
  return (event.log as FieldObject).syslog as FieldObject;
}

function isFailure(event: Event): boolean {
  return Array.isArray(event.tags) && event.tags.includes(SYSLOG_FAILURE_TAG);
}

/** The contract every parse keeps, whatever the input. */
function checkAnyEvent(raw: string, event: Event): void {
  // A sender's keys (`[__proto__ x="1"]`, `[constructor assign="x"]`) never reach a shared prototype.
  expect(Object.keys(Object.prototype)).toEqual([]);
  expect(typeof Object.assign).toBe('function');
  expect(typeof event.message).toBe('string');
  expect(Number.isNaN(Date.parse(String(event['@timestamp'])))).toBe(false);
  expect(String(event['@timestamp'])).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
  if (isFailure(event)) {
    expect(event.message).toBe(raw.replace(/[\r\n\0]+$/, ''));
    expect((event.event as FieldObject).original).toBe(event.message);
    return;
  }
  const syslog = syslogOf(event);
  expect(syslog.priority).toBeGreaterThanOrEqual(0);
  expect(syslog.priority).toBeLessThanOrEqual(191);
  expect(syslog.facility).toEqual({ code: (syslog.priority as number) >> 3, name: expect.any(String) });
  expect(syslog.severity).toEqual({ code: (syslog.priority as number) & 7, name: expect.any(String) });
}

describe('fuzz: syslog parsers', () => {
  it('RFC 5424 messages built from fields parse back to those fields', () => {
    fuzz(
      fc.property(rfc5424, (m) => {
        const event = parseSyslog(render5424(m), RECEIVED, UTC);
        expect(event.tags).toBeUndefined();
        expect(event.message).toBe(m.message);
        expect(event['@timestamp']).toBe(m.stamp?.iso ?? new Date(RECEIVED).toISOString());
        const syslog = syslogOf(event);
        expect(syslog).toMatchObject({ priority: m.pri, version: 1 });
        expect(syslog.hostname).toBe(m.host);
        expect(syslog.appname).toBe(m.app);
        expect(syslog.procid).toBe(m.procid === undefined ? undefined : /^\d{1,15}$/.test(m.procid) ? Number(m.procid) : m.procid);
        expect(syslog.msgid).toBe(m.msgid);
        expect(syslog.structured_data).toEqual(m.sd.length === 0 ? undefined : Object.fromEntries(m.sd.map(([id, params]) => [id, Object.fromEntries(params)])));
      }),
      500,
    );
  });

  it('RFC 3164 messages built from fields parse back to those fields', () => {
    fuzz(
      fc.property(
        rfc3164.filter((m) => m.host !== undefined || m.tag !== undefined),
        (m) => {
          const event = parseSyslog(render3164(m), m.received, UTC);
          expect(event.tags).toBeUndefined();
          const [h, min, s] = m.time;
          expect(event['@timestamp']).toBe(new Date(Date.UTC(inferredYear(m), m.month - 1, m.day, h, min, s)).toISOString());
          const syslog = syslogOf(event);
          expect(syslog.priority).toBe(m.pri);
          expect(syslog.hostname).toBe(m.host);
          expect(syslog.appname).toBe(m.tag);
          expect(syslog.procid).toBe(m.tag === undefined ? undefined : m.pid);
          expect(event.message).toBe(m.message);
        },
      ),
      500,
    );
  });

  it('headerless messages (Python SysLogHandler) give their tag, pid and message', () => {
    const headerless = fc.record({ pri: fc.integer({ min: 0, max: 191 }), tag: fc.option(tag, { nil: undefined }), pid: fc.option(fc.integer({ min: 0, max: 4_000_000 }), { nil: undefined }), message: messageText });
    fuzz(
      fc.property(
        // A message that reads as a timestamp or a tag of its own is another case.
        headerless.filter((m) => m.tag !== undefined || !/^[A-Za-z0-9_./@-]+(\[[^\]]*\])?:|^[A-Za-z]{3} |^\d/.test(m.message)),
        (m) => {
          const tagText = m.tag === undefined ? '' : `${m.tag}${m.pid === undefined ? '' : `[${m.pid}]`}: `;
          const raw = `<${m.pri}>${tagText}${m.message}\u0000`;
          const event = parseSyslog(raw, RECEIVED, UTC);
          checkAnyEvent(raw, event);
          if (m.message.length === 0 && m.tag === undefined) return;
          expect(event.tags).toBeUndefined();
          expect(event.message).toBe(m.message);
          expect(event.process).toEqual(m.tag === undefined ? undefined : m.pid === undefined ? { name: m.tag } : { name: m.tag, pid: m.pid });
          expect(event.host).toBeUndefined();
        },
      ),
      300,
    );
  });

  const anyMessage = fc.oneof(rfc5424.map(render5424), rfc3164.map(render3164), fc.string({ unit: 'binary', maxLength: 80 }));
  const mutatedMessage = fc.oneof(mutatedText(anyMessage, 5), fc.string({ maxLength: 80 }));

  it('never throws on mutated or random messages, and counts a failure exactly when it tags one', () => {
    const codec = createSyslogCodec({ now: () => RECEIVED });
    fuzz(
      fc.property(mutatedMessage, (raw) => {
        const event = parseSyslog(raw, RECEIVED, UTC);
        checkAnyEvent(raw, event);
        const out: Event[] = [];
        expect(codec.decode(raw, out)).toBe(isFailure(event) ? 1 : 0);
        expect(out).toEqual([event]);
      }),
      1500,
    );
  });

  it('gives from one codec, caches warm, what a fresh parse gives', () => {
    fuzz(
      fc.property(fc.array(fc.tuple(fc.oneof(anyMessage, mutatedMessage), fc.integer({ min: Date.UTC(2025, 0, 1), max: Date.UTC(2027, 11, 31) })), { maxLength: 20 }), (sequence) => {
        let now = 0;
        const codec = createSyslogCodec({ now: () => now });
        for (const [raw, received] of sequence) {
          now = received;
          const out: Event[] = [];
          codec.decode(raw, out);
          expect(out[0]).toEqual(parseSyslog(raw, received, UTC));
        }
      }),
      300,
    );
  });
});
