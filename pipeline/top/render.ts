/** One screen of `sluice top`: plain text lines, coloured when asked, each cut to the terminal's width. */
import { dropsOf, groupLogs, num, type StatusHistory, type StatusPlugin, type StatusSnapshot } from './model.js';

const BARS = '▁▂▃▄▅▆▇█';
const SPARK_WIDTH = 24;

export interface Paint {
  bold(text: string): string;
  dim(text: string): string;
  level(text: string, level: 'ok' | 'warn' | 'bad' | ''): string;
}

export const noPaint: Paint = { bold: (t) => t, dim: (t) => t, level: (t) => t };

export const ansiPaint: Paint = {
  bold: (t) => `\x1b[1m${t}\x1b[22m`,
  dim: (t) => `\x1b[2m${t}\x1b[22m`,
  level: (t, level) => (level === 'ok' ? `\x1b[32m${t}\x1b[39m` : level === 'warn' ? `\x1b[33m${t}\x1b[39m` : level === 'bad' ? `\x1b[31m${t}\x1b[39m` : t),
};

export function sparkline(series: readonly number[], width = SPARK_WIDTH): string {
  // A first poll has no rate yet: one flat bar, so the column is never blank.
  const shown = series.length ? series.slice(-width) : [0];
  const max = Math.max(0, ...shown);
  const bars = shown.map((v) => (max === 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))]));
  return bars.join('').padStart(width, ' ');
}

export function formatCount(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

export function formatRate(value: number): string {
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k/s`;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}/s`;
}

export function formatBytes(value: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

/** Columns of words, aligned left; the others hold numbers and align right. */
const TEXT_COLUMNS = new Set(['id', 'type', 'engine', 'where', 'what', 'reason']);

type Cell = string | { text: string; paint: (t: string) => string };

/** A table: the first column left-aligned, numbers right-aligned, widths from the widest cell. */
function table(title: string, head: string[], rows: Cell[][], paint: Paint): string[] {
  if (rows.length === 0) return [];
  const text = (c: Cell) => (typeof c === 'string' ? c : c.text);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => [...text(r[i] ?? '')].length)));
  const line = (cells: Cell[], style?: (t: string) => string) =>
    cells
      .map((c, i) => {
        const raw = text(c);
        const padded = TEXT_COLUMNS.has(head[i]) ? raw.padEnd(widths[i]) : raw.padStart(widths[i]);
        const painted = typeof c === 'string' ? padded : c.paint(padded);
        return style ? style(painted) : painted;
      })
      .join('  ')
      .trimEnd();
  return ['', paint.bold(title), line(head, paint.dim), ...rows.map((r) => line(r))];
}

function rateCell(history: StatusHistory, plugin: StatusPlugin, name: string): string {
  const series = history.rates(plugin, name);
  return `${sparkline(series)} ${formatRate(series.at(-1) ?? 0).padStart(8)}`;
}

export function renderScreen(snapshot: StatusSnapshot, history: StatusHistory, api: string, paint: Paint, width: number, logLines = 10): string[] {
  const health = history.health(snapshot);
  const healthLevel = health === 'healthy' ? 'ok' : health === 'degraded' ? 'warn' : 'bad';
  const pipe = snapshot.pipeline;
  const workers = pipe.workers ? `${pipe.workers} worker processes` : '1 process';
  const lines: string[] = [
    `${paint.bold('sluice top')}  ${api}  ${paint.level(health, healthLevel)}  ${workers}  ${new Date(snapshot.time).toISOString().slice(11, 19)}Z  ${paint.dim('(q to quit)')}`,
    `Queue: ${formatCount(num(pipe, 'queue_events'))} events held, ${formatCount(num(pipe, 'queue_depth'))} waiting for the worker, ${formatBytes(num(pipe, 'queue_bytes'))}` +
      ('queue_recovery_replayed_events' in pipe ? `; at start: ${formatCount(pipe.queue_recovery_replayed_events)} replayed, ${formatCount(num(pipe, 'queue_recovery_lost_events'))} lost, ${formatCount(num(pipe, 'queue_recovery_damaged_unknown'))} damaged stretches` : ''),
  ];
  const of = (kind: string) => snapshot.plugins.filter((p) => p.kind === kind);
  const droppedBy = (p: StatusPlugin) => Object.entries(p).reduce((sum, [k, v]) => sum + (k.startsWith('events_dropped_total.') && typeof v === 'number' ? v : 0), 0);
  lines.push(
    ...table(
      'INPUTS',
      ['id', 'type', 'events in/s', 'in', 'bytes', 'conns', 'decode fail', 'dropped'],
      of('input').map((p) => [p.id, p.type, rateCell(history, p, 'events_in_total'), formatCount(num(p, 'events_in_total')), formatBytes(num(p, 'bytes_in_total')), formatCount(num(p, 'connections_open')), formatCount(num(p, 'decode_failures_total')), formatCount(droppedBy(p))]),
      paint,
    ),
    ...table(
      'FILTERS',
      ['id', 'type', 'events out/s', 'in', 'out', 'failures'],
      of('filter').map((p) => [p.id, p.type, rateCell(history, p, 'filter_events_out_total'), formatCount(num(p, 'filter_events_in_total')), formatCount(num(p, 'filter_events_out_total')), formatCount(num(p, 'filter_failures_total'))]),
      paint,
    ),
    ...table(
      'OUTPUTS',
      ['id', 'type', 'delivered/s', 'in', 'delivered', 'dead-lettered', 'dropped', 'retries', 'bulk fail', 'engine'],
      of('output').map((p) => {
        const engine = history.engineHealth(p, snapshot.logs, snapshot.time);
        return [
          p.id,
          p.type,
          rateCell(history, p, 'output_events_delivered_total'),
          formatCount(num(p, 'output_events_in_total')),
          formatCount(num(p, 'output_events_delivered_total')),
          formatCount(num(p, 'output_events_dead_lettered_total')),
          formatCount(num(p, 'output_events_dropped_total')),
          formatCount(num(p, 'events_retried_total')),
          formatCount(num(p, 'bulk_request_failures_total')),
          { text: engine.text, paint: (t: string) => paint.level(t, engine.level) },
        ];
      }),
      paint,
    ),
  );
  const drops = dropsOf(snapshot);
  lines.push(...(drops.length ? table('DROPS AND DEAD LETTERS', ['where', 'what', 'events', 'reason'], drops.map((d) => [d.where, d.what, formatCount(d.events), d.reason]), paint) : ['', `${paint.bold('DROPS AND DEAD LETTERS')}  none`]));
  lines.push('', paint.bold('LAST WARNINGS AND ERRORS'));
  const logs = groupLogs(snapshot.logs, logLines);
  if (logs.length === 0) lines.push(paint.dim('none'));
  for (const { line, times, first } of logs) {
    const level = line.level === 'warn' ? 'warn' : 'bad';
    const fields = Object.entries(line.fields).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    const repeated = times > 1 ? ` x${times} since ${first.slice(11, 19)}Z` : '';
    lines.push(`${line.time.slice(11, 19)}Z ${paint.level(line.level.toUpperCase().padEnd(5), level)} ${line.worker !== undefined ? `[worker ${line.worker}] ` : ''}${line.msg}${repeated}  ${paint.dim(fields)}`);
  }
  return lines.map((l) => cut(l, width));
}

/** Cuts a line to `width` visible characters, leaving colour codes whole. */
function cut(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '\x1b') {
      const end = line.indexOf('m', i);
      out += line.slice(i, end + 1);
      i = end;
      continue;
    }
    if (visible >= width) continue;
    out += line[i];
    visible++;
  }
  return out;
}
