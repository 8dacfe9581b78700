/**
 * sluice's own logs for a person at a terminal: one line per record (time, level, message, then
 * the facts as key=value), coloured, instead of pino's JSON. A pino destination stream: it gets
 * each serialized line and writes the readable one. The start-up record ("sluice started") is
 * drawn as a short summary: what listens where, where events go, the API and the status page.
 */

export interface PrettyOptions {
  color: boolean;
  write: (text: string) => void;
}

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
// ANSI SGR codes: dim grey, cyan, green, yellow, red, red on white.
const LEVEL_COLORS: Record<number, string> = { 10: '90', 20: '36', 30: '32', 40: '33', 50: '31', 60: '97;41' };
/** Fields every line has, or that the line shows in its own place. */
const SHOWN_APART = new Set(['time', 'level', 'msg', 'name', 'pid', 'hostname', 'worker', 'stack']);
const MARGIN = ' '.repeat(19);

type Paint = (code: string, text: string) => string;

function painter(color: boolean): Paint {
  return color ? (code, text) => `\u001b[${code}m${text}\u001b[0m` : (_code, text) => text;
}

/** A value as a person reads it after `key=`: bare when it has no spaces or quotes, else JSON. */
function showValue(value: unknown): string {
  if (typeof value === 'string') return value.length > 0 && !/[\s"=]/.test(value) ? value : JSON.stringify(value);
  if (typeof value === 'number' || typeof value === 'boolean' || value === null) return String(value);
  return JSON.stringify(value) ?? String(value);
}

/** The clock time of pino's ISO timestamp (the date is the day's, a person knows it). */
function clock(time: unknown): string {
  const text = typeof time === 'string' ? time : new Date(typeof time === 'number' ? time : Date.now()).toISOString();
  return text.length >= 23 ? text.slice(11, 23) : text;
}

interface Address {
  id?: unknown;
  transport?: unknown;
  host?: unknown;
  port?: unknown;
}

interface OutputTarget {
  id?: unknown;
  type?: unknown;
  to?: unknown;
}

function table(rows: string[][]): string[] {
  const widths = rows.reduce<number[]>((w, row) => row.map((cell, i) => Math.max(w[i] ?? 0, cell.length)), []);
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '));
}

/** "sluice started" as a few lines a person reads at a glance. */
function startupSummary(record: Record<string, unknown>, paint: Paint): string[] {
  const workers = Number(record.workers ?? 1);
  const head = `sluice ${String(record.version ?? '')} started: ${workers} worker${workers === 1 ? '' : 's'}, pid ${String(record.pid ?? '?')}, config ${String(record.config ?? '(default)')}`;
  const sections: Array<[string, string[]]> = [];
  const inputs = Array.isArray(record.inputs) ? (record.inputs as Address[]) : [];
  sections.push(['listening', inputs.length ? table(inputs.map((a) => [String(a.id ?? ''), String(a.transport ?? ''), `${String(a.host)}:${String(a.port)}`])) : ['(no inputs)']]);
  const outputs = Array.isArray(record.outputs) ? (record.outputs as OutputTarget[]) : [];
  if (outputs.length) sections.push(['events to', table(outputs.map((o) => [String(o.id ?? ''), String(o.type ?? ''), ...(o.to ? [String(o.to)] : [])]))]);
  if (typeof record.api_url === 'string') sections.push(['API', [`${record.api_url}/stats  ${record.api_url}/metrics  ${record.api_url}/health`]]);
  if (typeof record.status_page === 'string') sections.push(['status page', [record.status_page]]);
  const labelWidth = Math.max(...sections.map(([label]) => label.length));
  const lines = [paint('1', head)];
  for (const [label, rows] of sections) rows.forEach((row, i) => lines.push(`${MARGIN}${paint('1', (i === 0 ? label : '').padEnd(labelWidth))}  ${row}`));
  return lines;
}

/** One pino record (already parsed) as text, without the final newline. */
export function formatRecord(record: Record<string, unknown>, color: boolean): string {
  const paint = painter(color);
  const level = typeof record.level === 'number' ? record.level : 30;
  const levelName = (LEVEL_NAMES[level] ?? String(level)).padEnd(5);
  const prefix = `${paint('90', clock(record.time))} ${paint(LEVEL_COLORS[level] ?? '0', levelName)} ${typeof record.worker === 'number' ? paint('90', `[w${record.worker}] `) : ''}`;
  if (record.msg === 'sluice started') {
    const [head, ...rest] = startupSummary(record, paint);
    return [`${prefix}${head ?? ''}`, ...rest].join('\n');
  }
  const facts: string[] = [];
  for (const [key, value] of Object.entries(record)) {
    if (SHOWN_APART.has(key) || value === undefined) continue;
    facts.push(`${paint('90', `${key}=`)}${showValue(value)}`);
  }
  // One record, one line: a newline in a message (text quoted from a peer) is shown, not obeyed.
  const msg = String(record.msg ?? '').replace(/\r?\n/g, '\\n');
  const message = level >= 40 ? paint(LEVEL_COLORS[level] ?? '0', msg) : msg;
  let text = `${prefix}${message}${facts.length ? ` ${facts.join(' ')}` : ''}`;
  // A bug's stack goes under its line, indented, as a person reads a stack.
  if (typeof record.stack === 'string') text += `\n${record.stack.split('\n').map((l) => `${MARGIN}${paint('90', l)}`).join('\n')}`;
  return text;
}

/** A pino destination: serialized JSON lines in, readable lines out. */
export function prettyStream(options: PrettyOptions): { write(line: string): void } {
  return {
    write(line: string) {
      let record: Record<string, unknown>;
      try {
        record = JSON.parse(line) as Record<string, unknown>;
      } catch {
        options.write(line);
        return;
      }
      options.write(`${formatRecord(record, options.color)}\n`);
    },
  };
}
