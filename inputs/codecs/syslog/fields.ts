/** Builds the ECS fields of a parsed syslog message. */
import type { Event, FieldObject, FieldValue } from '../../../pipeline/event.js';
import { FACILITY_NAMES, SEVERITY_NAMES } from './pri.js';

export interface SyslogParts {
  priority: number;
  version?: number;
  timestamp?: string;
  hostname?: string;
  appname?: string;
  procid?: string;
  msgid?: string;
  structuredData?: FieldObject;
  message: string;
  /** Cisco's sequence number (`52: *Mar 1 ...`). */
  sequence?: number;
}

/** A procid is a number when it is all digits (python's pid, sshd[4242]); otherwise text (`-`less ids like `worker.3`). */
function procidValue(procid: string): FieldValue {
  if (procid.length > 0 && procid.length <= 15) {
    let numeric = true;
    for (let i = 0; i < procid.length; i++) {
      const c = procid.charCodeAt(i);
      if (c < 48 || c > 57) {
        numeric = false;
        break;
      }
    }
    if (numeric) return Number(procid);
  }
  return procid;
}

export function toEvent(parts: SyslogParts, receivedIso: string): Event {
  const facility = parts.priority >> 3;
  const severity = parts.priority & 7;
  const syslog: FieldObject = {
    priority: parts.priority,
    facility: { code: facility, name: FACILITY_NAMES[facility] },
    severity: { code: severity, name: SEVERITY_NAMES[severity] },
  };
  const event: Event = { '@timestamp': parts.timestamp ?? receivedIso, message: parts.message, log: { syslog } };
  if (parts.version !== undefined) syslog.version = parts.version;
  if (parts.hostname !== undefined) {
    syslog.hostname = parts.hostname;
    event.host = { hostname: parts.hostname };
  }
  const process: FieldObject = {};
  if (parts.appname !== undefined) {
    syslog.appname = parts.appname;
    process.name = parts.appname;
  }
  if (parts.procid !== undefined) {
    const procid = procidValue(parts.procid);
    syslog.procid = procid;
    if (typeof procid === 'number') process.pid = procid;
  }
  if (process.name !== undefined || process.pid !== undefined) event.process = process;
  if (parts.msgid !== undefined) syslog.msgid = parts.msgid;
  if (parts.structuredData !== undefined) syslog.structured_data = parts.structuredData;
  if (parts.sequence !== undefined) event.event = { sequence: parts.sequence };
  return event;
}
