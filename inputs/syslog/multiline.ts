/**
 * How syslog messages map onto multi-line streams. A stream is one sender's program: the
 * connection (TCP) or the sender's IP (UDP), plus the header's host, app name and pid, so that
 * a relay carrying many programs never mixes their traces. A frame without `<PRI>` on a TCP
 * connection is a line of the message before it (Python's SysLogHandler sends a traceback as
 * one frame whose lines the LF framing cuts apart) and goes on that message's stream.
 *
 * The text joined is the message as the sender wrote it: the codec drops the space after a
 * tag and trims an RFC 5424 message, which would cost a trace line its indentation.
 */
import { isFieldObject, type Event, type FieldValue } from '../../pipeline/event.js';

const LT = 60;
const SPACE = 32;

function syslogField(event: Event, name: string): FieldValue | undefined {
  const log = event.log;
  if (!isFieldObject(log)) return undefined;
  const syslog = log.syslog;
  return isFieldObject(syslog) ? syslog[name] : undefined;
}

function streamKey(origin: string, event: Event): string {
  return `${origin}\u0000${String(syslogField(event, 'hostname') ?? '')}\u0000${String(syslogField(event, 'appname') ?? '')}\u0000${String(syslogField(event, 'procid') ?? '')}`;
}

/** A TCP connection's frame: a header-less one continues the stream of the frame before it. */
export function connectionStreamOf(raw: string, event: Event, label: string, previous: string | undefined): string {
  if (previous !== undefined && raw.charCodeAt(0) !== LT) return previous;
  return streamKey(label, event);
}

/** A datagram: the sender's IP (a program may send each line from a new socket, `logger` does). */
export function senderStreamOf(_raw: string, event: Event, _sender: string, remote: { address: string }): string {
  return streamKey(remote.address, event);
}

function trimEnd(raw: string): string {
  let end = raw.length;
  while (end > 0 && (raw.charCodeAt(end - 1) === 13 || raw.charCodeAt(end - 1) === 10 || raw.charCodeAt(end - 1) === 0)) end--;
  return end === raw.length ? raw : raw.slice(0, end);
}

/**
 * The message with the leading spaces the sender put in it. RFC 5424: all the spaces after
 * the header's separator. RFC 3164: rsyslog writes `tag:` then a space only when the message
 * does not start with one, so two spaces or more are all the message's.
 */
export function messageAsSent(raw: string, event: Event): string {
  const message = event.message;
  if (typeof message !== 'string') return '';
  if (raw.charCodeAt(0) !== LT) return trimEnd(raw);
  let lead = 0;
  while (message.charCodeAt(lead) === SPACE) lead++;
  const core = lead === 0 ? message : message.slice(lead);
  const text = trimEnd(raw);
  if (core.length === 0 || !text.endsWith(core)) return message;
  const start = text.length - core.length;
  let spaces = 0;
  while (spaces < start && text.charCodeAt(start - spaces - 1) === SPACE) spaces++;
  const keep = syslogField(event, 'version') !== undefined ? spaces - 1 : spaces >= 2 ? spaces : 0;
  if (keep === lead) return message;
  return keep > 0 ? `${' '.repeat(keep)}${core}` : core;
}
