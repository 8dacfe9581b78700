/**
 * The syslog codec: one message (a datagram or a TCP frame) into one event with ECS fields.
 * RFC 5424 is recognized by its version digit after the PRI; anything else is read as RFC 3164
 * in its real-world variants. A message that fits neither is kept whole, tagged
 * `_syslogparsefailure`, and its text is also kept in `event.original`.
 */
import type { Event } from '../../../pipeline/event.js';
import { zoneOffset, type ZoneOffset } from '../../../pipeline/zone.js';
import type { LineCodec } from '../line_codec.js';
import { toEvent } from './fields.js';
import { DEFAULT_PRIORITY, readPri } from './pri.js';
import { parseHeaderless, parseRfc3164 } from './rfc3164.js';
import { parseRfc5424 } from './rfc5424.js';
import { TimeContext } from './time.js';

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** VERSION SP, then a full-date or the NILVALUE: how an RFC 5424 message starts after its PRI. */
function startsLike5424(text: string, at: number): boolean {
  if (!isDigit(text.charCodeAt(at)) || text.charCodeAt(at) === 48) return false;
  let i = at + 1;
  if (isDigit(text.charCodeAt(i))) i++;
  if (text.charCodeAt(i) !== 32) return false;
  const c = text.charCodeAt(i + 1);
  if (c === 45 /* - */) return text.charCodeAt(i + 2) === 32;
  return isDigit(c) && isDigit(text.charCodeAt(i + 2)) && isDigit(text.charCodeAt(i + 3)) && isDigit(text.charCodeAt(i + 4)) && text.charCodeAt(i + 5) === 45;
}

export const SYSLOG_FAILURE_TAG = '_syslogparsefailure';
/** Tag for a message that came without `<PRI>` (taken as 13, user.notice, per RFC 3164). */
export const SYSLOG_NO_PRI_TAG = '_syslognopri';

export interface SyslogCodecOptions {
  /** IANA zone or offset for timestamps that carry none (default UTC). */
  timezone?: string;
  /** The receive time; tests fix it, inputs leave it to the clock. */
  now?: () => number;
}

function failure(text: string, receivedIso: string): Event {
  return { '@timestamp': receivedIso, message: text, event: { original: text }, tags: [SYSLOG_FAILURE_TAG] };
}

/** Parses one syslog message received at `time.received` (epoch ms). */
export function parseSyslogAt(raw: string, time: TimeContext): Event {
  // Senders on non-transparent framing may leave a CR or a trailing NUL on the frame.
  let end = raw.length;
  while (end > 0 && (raw.charCodeAt(end - 1) === 13 || raw.charCodeAt(end - 1) === 10 || raw.charCodeAt(end - 1) === 0)) end--;
  const text = end === raw.length ? raw : raw.slice(0, end);
  const receivedIso = time.receivedIso;
  const pri = readPri(text);
  if (pri === -1) return failure(text, receivedIso);
  const priority = pri === undefined ? DEFAULT_PRIORITY : pri.priority;
  const from = pri === undefined ? 0 : pri.end;
  const looks5424 = pri !== undefined && startsLike5424(text, from);
  const parts = looks5424 ? parseRfc5424(text, from, priority, time) : parseRfc3164(text, from, priority, time);
  // A message that announces RFC 5424 (a version, then a date or NIL) but breaks it is not guessed at.
  if (parts === undefined && looks5424) return failure(text, receivedIso);
  if (parts === undefined) {
    // `<13>tag[pid]: text`, `<13>just text`: the PRI is sure, the rest is a tag and the message;
    // with no PRI and no header there is nothing sure.
    if (pri === undefined || text.length === from) return failure(text, receivedIso);
    return toEvent(parseHeaderless(text, from, priority), receivedIso);
  }
  const event = toEvent(parts, receivedIso);
  if (pri === undefined) event.tags = [SYSLOG_NO_PRI_TAG];
  return event;
}

/** One-off parse (tests, tools); inputs keep a codec, whose time state is reused. */
export function parseSyslog(raw: string, received: number, zone: ZoneOffset): Event {
  const time = new TimeContext(zone);
  time.received = received;
  return parseSyslogAt(raw, time);
}

export function createSyslogCodec(options: SyslogCodecOptions = {}): LineCodec {
  const time = new TimeContext(zoneOffset(options.timezone ?? 'UTC'));
  const now = options.now ?? Date.now;
  return {
    name: 'syslog',
    decode(line, out) {
      time.received = now();
      const event = parseSyslogAt(line, time);
      out.push(event);
      return event.tags?.includes(SYSLOG_FAILURE_TAG) ? 1 : 0;
    },
  };
}
