/** PRI = facility * 8 + severity (RFC 5424 6.2.1), with the names ECS and Logstash use. */

export const FACILITY_NAMES = [
  'kernel', 'user-level', 'mail', 'daemon', 'security/authorization', 'syslogd', 'line printer', 'network news',
  'uucp', 'clock', 'security/authorization', 'ftp', 'ntp', 'log audit', 'log alert', 'clock',
  'local0', 'local1', 'local2', 'local3', 'local4', 'local5', 'local6', 'local7',
] as const;

export const SEVERITY_NAMES = ['emergency', 'alert', 'critical', 'error', 'warning', 'notice', 'informational', 'debug'] as const;

/** What a message without PRI is taken to be (RFC 3164 4.3.3: user-level, notice). */
export const DEFAULT_PRIORITY = 13;

/**
 * Reads `<N>` at the start of `text`: 1 to 3 digits, no leading zero except `<0>`, at most 191.
 * Returns the priority and where the rest starts, `undefined` when there is no PRI, or -1 when
 * one is there but invalid (`<999>`): such a message cannot be read with confidence.
 */
export function readPri(text: string): { priority: number; end: number } | undefined | -1 {
  if (text.charCodeAt(0) !== 60 /* < */) return undefined;
  let value = 0;
  let i = 1;
  for (; i < text.length && i <= 4; i++) {
    const c = text.charCodeAt(i);
    if (c === 62 /* > */) break;
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  const digits = i - 1;
  if (text.charCodeAt(i) !== 62 || digits === 0 || digits > 3 || (digits > 1 && text.charCodeAt(1) === 48) || value > 191) return -1;
  return { priority: value, end: i + 1 };
}
