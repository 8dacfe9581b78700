/** The `pretty` codec: a headline (time, level, message) and one `path: value` line per field. */
import { isFieldObject, METADATA, type Event, type FieldValue } from '../../pipeline/event.js';

const RESET = '\x1b[0m';
const DIM = '\x1b[2m';
const BOLD = '\x1b[1m';
const CYAN = '\x1b[36m';
export const LEVEL_COLORS: Record<string, string> = {
  trace: '\x1b[90m',
  debug: '\x1b[34m',
  info: '\x1b[32m',
  notice: '\x1b[32m',
  warn: '\x1b[33m',
  warning: '\x1b[33m',
  error: '\x1b[31m',
  err: '\x1b[31m',
  critical: '\x1b[35m',
  crit: '\x1b[35m',
  fatal: '\x1b[35m',
  alert: '\x1b[35m',
  emergency: '\x1b[35m',
  emerg: '\x1b[35m',
};

function flatten(value: FieldValue | undefined, path: string, out: Array<[string, string]>): void {
  if (value === undefined) return;
  if (isFieldObject(value)) {
    for (const [key, child] of Object.entries(value)) flatten(child, path ? `${path}.${key}` : key, out);
    return;
  }
  out.push([path, typeof value === 'string' ? value : JSON.stringify(value)]);
}

function levelOf(event: Event): string | undefined {
  const log = event.log;
  if (isFieldObject(log) && typeof log.level === 'string') return log.level;
  return typeof event.level === 'string' ? event.level : undefined;
}

export function formatPretty(event: Event, color: boolean, withMetadata = false): string {
  const paint = (code: string, text: string) => (color ? `${code}${text}${RESET}` : text);
  const level = levelOf(event);
  const message = typeof event.message === 'string' ? event.message : event.message === undefined ? '' : JSON.stringify(event.message);
  let head = paint(DIM, String(event['@timestamp'] ?? ''));
  if (level) head += ` ${paint(LEVEL_COLORS[level.toLowerCase()] ?? BOLD, level.toUpperCase().padEnd(5))}`;
  head += ` ${paint(BOLD, message)}`;
  const fields: Array<[string, string]> = [];
  for (const [key, value] of Object.entries(event)) {
    if (key === '@timestamp' || key === 'message' || (key === METADATA && !withMetadata)) continue;
    flatten(value, key, fields);
  }
  let out = head;
  for (const [path, text] of fields) out += `\n  ${paint(CYAN, path)}: ${text.replace(/\n/g, '\n    ')}`;
  return `${out}\n`;
}
