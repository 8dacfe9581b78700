/**
 * RFC 5424 after the PRI: VERSION SP TIMESTAMP SP HOSTNAME SP APP-NAME SP PROCID SP MSGID SP
 * STRUCTURED-DATA [SP MSG]. A hand-written scanner: header fields are space-separated tokens,
 * `-` is NILVALUE, and structured data is read character by character for its escapes.
 */
import type { FieldObject, FieldValue } from '../../../pipeline/event.js';
import type { SyslogParts } from './fields.js';
import { parseIsoTimestamp, type TimeContext } from './time.js';

const BOM = '\ufeff';

class Cursor {
  constructor(
    readonly text: string,
    public at: number,
  ) {}

  /** The next space-delimited token (and the space after it). */
  token(): string | undefined {
    const { text } = this;
    if (this.at >= text.length) return undefined;
    let end = text.indexOf(' ', this.at);
    if (end === -1) end = text.length;
    const token = text.slice(this.at, end);
    this.at = end + 1;
    return token.length > 0 ? token : undefined;
  }
}

function nil(token: string | undefined): string | undefined {
  return token === '-' ? undefined : token;
}

/** Sets an own, enumerable key, even `__proto__` (which plain assignment would take as the prototype). */
function defineOwn<T extends FieldValue>(object: FieldObject, key: string, value: T): T {
  Object.defineProperty(object, key, { value, writable: true, enumerable: true, configurable: true });
  return value;
}

/** Reads `[id p="v" ...]...`; returns the elements and the index after the last `]`, or undefined when malformed. */
export function readStructuredData(text: string, start: number): { data: FieldObject; end: number } | undefined {
  const data: FieldObject = {};
  let i = start;
  while (text[i] === '[') {
    i++;
    let idEnd = i;
    while (idEnd < text.length && text[idEnd] !== ' ' && text[idEnd] !== ']' && text[idEnd] !== '=' && text[idEnd] !== '"') idEnd++;
    const id = text.slice(i, idEnd);
    if (id.length === 0 || idEnd >= text.length) return undefined;
    // SD-IDs and names are the sender's: `__proto__` or `constructor` must stay keys, never reach a prototype.
    const element: FieldObject = Object.hasOwn(data, id) ? (data[id] as FieldObject) : defineOwn(data, id, {});
    i = idEnd;
    while (text[i] === ' ') {
      i++;
      const eq = text.indexOf('=', i);
      if (eq === -1 || text[eq + 1] !== '"') return undefined;
      const name = text.slice(i, eq);
      if (name.length === 0 || name.includes(' ') || name.includes(']')) return undefined;
      let value = '';
      let j = eq + 2;
      for (; j < text.length; j++) {
        const c = text[j];
        if (c === '\\' && (text[j + 1] === '"' || text[j + 1] === '\\' || text[j + 1] === ']')) {
          value += text[++j];
        } else if (c === '"') {
          break;
        } else {
          value += c;
        }
      }
      if (j >= text.length) return undefined;
      const previous: FieldValue | undefined = Object.hasOwn(element, name) ? element[name] : undefined;
      // A repeated name keeps every value, in order (RFC 5424 allows it).
      defineOwn(element, name, previous === undefined ? value : Array.isArray(previous) ? [...previous, value] : [previous as FieldValue, value]);
      i = j + 1;
    }
    if (text[i] !== ']') return undefined;
    i++;
  }
  return { data, end: i };
}

/** `text` starts right after the PRI; undefined when it is not a well-formed 5424 message. */
export function parseRfc5424(text: string, from: number, priority: number, time: TimeContext): SyslogParts | undefined {
  const cursor = new Cursor(text, from);
  const versionText = cursor.token();
  if (versionText === undefined || !/^[1-9]\d?$/.test(versionText)) return undefined;
  const stampText = cursor.token();
  const hostname = cursor.token();
  const appname = cursor.token();
  const procid = cursor.token();
  const msgid = cursor.token();
  if (stampText === undefined || hostname === undefined || appname === undefined || procid === undefined || msgid === undefined) {
    // A header cut short is not RFC 5424 (the all-NIL form still has six dashes).
    return undefined;
  }
  let timestamp: string | undefined;
  if (stampText !== '-') {
    timestamp = parseIsoTimestamp(stampText, time);
    if (timestamp === undefined) return undefined;
  }
  let structuredData: FieldObject | undefined;
  let at = cursor.at;
  if (text[at] === '-') {
    at++;
  } else if (text[at] === '[') {
    const read = readStructuredData(text, at);
    if (!read) return undefined;
    structuredData = read.data;
    at = read.end;
  } else {
    return undefined;
  }
  if (at < text.length && text[at] !== ' ') return undefined;
  let message = at < text.length ? text.slice(at + 1) : '';
  if (message.startsWith(BOM)) message = message.slice(1);
  // rsyslog relaying a BSD message keeps the space that followed its tag (`- -  order shipped`).
  if (message.charCodeAt(0) === 32) message = message.trimStart();
  const parts: SyslogParts = { priority, version: Number(versionText), message };
  if (timestamp !== undefined) parts.timestamp = timestamp;
  const host = nil(hostname);
  if (host !== undefined) parts.hostname = host;
  const app = nil(appname);
  if (app !== undefined) parts.appname = app;
  const pid = nil(procid);
  if (pid !== undefined) parts.procid = pid;
  const id = nil(msgid);
  if (id !== undefined) parts.msgid = id;
  if (structuredData !== undefined) parts.structuredData = structuredData;
  return parts;
}
