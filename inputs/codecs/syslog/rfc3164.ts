/**
 * RFC 3164 ("BSD syslog") and what devices really send after the PRI:
 *   [seq: ][*|.]TIMESTAMP[:] [HOSTNAME ][TAG[PID]:] MSG
 * or, from senders that write no header (Python's SysLogHandler), `[TAG[PID]:] MSG`. TIMESTAMP is `Mmm dd HH:mm:ss` (any case, optional fraction and year) or ISO-8601. A line
 * whose header cannot be read this way is not guessed at: the caller tags it.
 */
import type { SyslogParts } from './fields.js';
import { parseBsdTimestamp, parseIsoTimestamp, type TimeContext } from './time.js';

const TAG_MAX = 128;

function isTagChar(c: number): boolean {
  // Letters, digits and the punctuation real tags use (`postfix/smtpd`, `CRON`, `my-app.worker`, `_x`).
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 47 || c === 95 || c === 64;
}

/** `tag:`, `tag[pid]:` (a space after the colon is optional: `kernel:IN=eth0`). */
function readTag(text: string, at: number): { appname: string; procid?: string; end: number } | undefined {
  let i = at;
  while (i < text.length && i - at < TAG_MAX && isTagChar(text.charCodeAt(i))) i++;
  if (i === at) return undefined;
  const appname = text.slice(at, i);
  let procid: string | undefined;
  if (text[i] === '[') {
    const close = text.indexOf(']', i);
    if (close === -1 || close - i > 40) return undefined;
    procid = text.slice(i + 1, close);
    i = close + 1;
  }
  if (text[i] !== ':') return undefined;
  i++;
  if (text[i] === ' ') i++;
  return procid === undefined ? { appname, end: i } : { appname, procid, end: i };
}

function isHostChar(c: number): boolean {
  return (c >= 48 && c <= 58) /* digits and : */ || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 45 || c === 46 || c === 95 || c === 37;
}

/** A token that can be a host: a name, an IPv4 or IPv6 address (not ending in `:`, which makes it a tag). */
function readHostname(text: string, at: number): { hostname: string; end: number } | undefined {
  const space = text.indexOf(' ', at);
  if (space === -1 || space === at || space - at > 255 || text.charCodeAt(space - 1) === 58) return undefined;
  const first = text.charCodeAt(at);
  if (!((first >= 48 && first <= 57) || (first >= 65 && first <= 90) || (first >= 97 && first <= 122))) return undefined;
  for (let i = at + 1; i < space; i++) if (!isHostChar(text.charCodeAt(i))) return undefined;
  return { hostname: text.slice(at, space), end: space + 1 };
}

function readTimestamp(text: string, at: number, time: TimeContext): { timestamp: string; end: number } | undefined {
  const c = text.charCodeAt(at);
  if (c >= 48 && c <= 57) {
    const space = text.indexOf(' ', at);
    const token = text.slice(at, space === -1 ? text.length : space);
    const timestamp = parseIsoTimestamp(token.endsWith(':') ? token.slice(0, -1) : token, time);
    return timestamp === undefined ? undefined : { timestamp, end: at + token.length };
  }
  return parseBsdTimestamp(text, at, time);
}

/**
 * What is left when no timestamp follows the PRI: `tag[pid]: msg`, `tag: msg` or just `msg`, as
 * Python's SysLogHandler sends (rsyslog reads the tag the same way). There is no host to read.
 */
export function parseHeaderless(text: string, from: number, priority: number): SyslogParts {
  const tag = readTag(text, from);
  if (!tag) return { priority, message: text.slice(from) };
  const parts: SyslogParts = { priority, appname: tag.appname, message: text.slice(tag.end) };
  if (tag.procid !== undefined) parts.procid = tag.procid;
  return parts;
}

export function parseRfc3164(text: string, from: number, priority: number, time: TimeContext): SyslogParts | undefined {
  let at = from;
  const parts: Partial<SyslogParts> = { priority };
  // Cisco IOS: a sequence number before the time (`52: *Mar  1 ...`).
  let digits = at;
  while (digits < text.length && digits - at < 10 && text.charCodeAt(digits) >= 48 && text.charCodeAt(digits) <= 57) digits++;
  if (digits > at && text.charCodeAt(digits) === 58 && text.charCodeAt(digits + 1) === 32) {
    parts.sequence = Number(text.slice(at, digits));
    at = digits + 2;
  }
  // Cisco marks a clock that is not NTP-synchronized with `*` (or `.` once it was).
  if (text[at] === '*' || text[at] === '.') at++;
  const stamp = readTimestamp(text, at, time);
  if (!stamp) return undefined;
  parts.timestamp = stamp.timestamp;
  at = stamp.end;
  let vendorColon = false;
  if (text[at] === ':') {
    // Cisco and PIX end their time with a colon; what follows is the message, with no host or tag.
    vendorColon = true;
    at++;
  }
  if (at < text.length && text[at] !== ' ') return undefined;
  at++;
  if (at > text.length) {
    parts.message = '';
    return parts as SyslogParts;
  }
  if (!vendorColon) {
    const tagFirst = readTag(text, at);
    if (tagFirst) {
      parts.appname = tagFirst.appname;
      if (tagFirst.procid !== undefined) parts.procid = tagFirst.procid;
      at = tagFirst.end;
    } else {
      const host = readHostname(text, at);
      if (host) {
        parts.hostname = host.hostname;
        at = host.end;
        const tag = readTag(text, at);
        if (tag) {
          parts.appname = tag.appname;
          if (tag.procid !== undefined) parts.procid = tag.procid;
          at = tag.end;
        }
      }
    }
  }
  parts.message = text.slice(at);
  return parts as SyslogParts;
}
