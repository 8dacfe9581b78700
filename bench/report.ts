/**
 * `npm run bench -- --report`: draws bench/history.jsonl as a hand-written SVG, one chart per
 * target family (tcp, filters, beats, ...), events/s and peak RSS side by side, one line per
 * target over the runs in history order, each point labelled with its value.
 */
import { writeFileSync } from 'node:fs';
import { formatRate, type BenchResult } from './lib.js';
import { readHistory, type HistoryEntry } from './history.js';

const WIDTH = 960;
const MARGIN = 24;
const PANEL_GAP = 40;
const PANEL_WIDTH = (WIDTH - 2 * MARGIN - PANEL_GAP) / 2;
const PANEL_HEIGHT = 230;
const PLOT = { left: 62, right: 44, top: 22, bottom: 38 };
const LEGEND_ROW = 16;
const HEADER_HEIGHT = 64;
/** Tableau 10: distinguishable, and still readable when printed in grey. */
const COLOURS = ['#4e79a7', '#f28e2b', '#e15759', '#76b7b2', '#59a14f', '#edc948', '#b07aa1', '#ff9da7', '#9c755f', '#bab0ac'];
/** Above this many runs only the newest point of a line carries its value, or labels would pile up. */
const LABEL_EVERY_POINT_UP_TO = 8;
const LABEL_SPACING = 11;
/** Room one commit hash needs on the x axis. */
const TICK_LABEL_WIDTH = 56;
/** Average width of an 11px sans-serif character, to wrap the legend without measuring text. */
const CHAR_WIDTH = 6.3;

/** A rate on the axis without trailing zeros: 750k, 1M, 1.5M (removing the first ".0" made 1.00M read 10M). */
export function tickRate(v: number): string {
  return formatRate(v).replace(/(\.\d*?)0+(?=[kM]?$)/, '$1').replace(/\.(?=[kM]?$)/, '');
}

/** Which chart a target goes in: the kind of traffic, and the persisted queue apart since it is disk-bound. */
export function familyOf(name: string): string {
  const persisted = /queue: persisted/.test(name);
  // Before tcp: the null output at an engine run's rate belongs beside that run.
  if (/engine/.test(name)) return 'elasticsearch (engine on the same machine)';
  if (/^one Node core: a worker's/.test(name)) return 'filters (json, trace_id): tcp json_lines -> null';
  if (/^one Node core/.test(name)) return 'tcp json_lines -> null';
  if (/^tcp json_lines/.test(name)) {
    if (persisted) return 'persisted queue: tcp json_lines -> null';
    if (/filters: none/.test(name)) return 'tcp json_lines -> null';
    if (/filters: default/.test(name)) return 'filters (json, trace_id): tcp json_lines -> null';
    return 'tcp json_lines -> filters -> null';
  }
  if (/^beats/.test(name)) {
    if (/ack: end_to_end/.test(name)) return 'beats, end-to-end acknowledgements';
    return persisted ? 'beats, persisted queue' : 'beats -> null';
  }
  if (/^tcp lines, one line/.test(name)) return 'long line';
  if (/^tcp lines/.test(name)) return 'grok and dissect';
  const paren = name.indexOf(' (');
  return paren > 0 ? name.slice(0, paren) : name;
}

/** The same target across runs: names carry per-run remarks after ';' (the long-line target does). */
export function targetOf(name: string): string {
  const semicolon = name.indexOf(';');
  return (semicolon >= 0 ? name.slice(0, semicolon) : name).replace(/ \(unfinished after[^)]*\)/, '').trim();
}

function tokens(target: string): string[] {
  return target
    .split(/\s*[(),]\s*/)
    .map((t) => t.trim())
    .filter((t) => t !== '');
}

/** Legend text: what tells a target apart from the others in its chart. */
function legendLabels(targets: string[]): Map<string, string> {
  const split = targets.map(tokens);
  const common = split[0].filter((t) => split.every((s) => s.includes(t)));
  return new Map(
    targets.map((target, i) => {
      const own = split[i].filter((t) => !common.includes(t));
      const fallback = split[i].slice(1);
      return [target, (own.length > 0 ? own : fallback.length > 0 ? fallback : split[i]).join(', ')];
    }),
  );
}

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c);
}

function niceStep(max: number, ticks: number): number {
  const raw = max / ticks;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * magnitude >= raw) return m * magnitude;
  return 10 * magnitude;
}

interface Series {
  target: string;
  label: string;
  colour: string;
  /** One value per run, NaN where the run did not measure this target. */
  values: number[];
  /** A second figure of the same target in the same panel (the tree's RSS beside the summed one). */
  dashed?: boolean;
}

interface Panel {
  title: string;
  format: (v: number) => string;
  formatTick: (v: number) => string;
  series: Series[];
}

function num(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function text(x: number, y: number, content: string, attributes = ''): string {
  return `<text x="${num(x)}" y="${num(y)}"${attributes ? ` ${attributes}` : ''}>${escapeXml(content)}</text>`;
}

/** Moves labels at one x apart so none covers another, the higher ones upwards; `ys` are the wanted positions. */
function spreadLabels(ys: number[]): number[] {
  const order = ys.map((y, i) => ({ y, i })).sort((a, b) => b.y - a.y);
  for (let k = 1; k < order.length; k++) if (order[k - 1].y - order[k].y < LABEL_SPACING) order[k].y = order[k - 1].y - LABEL_SPACING;
  const placed = new Array<number>(ys.length);
  for (const o of order) placed[o.i] = o.y;
  return placed;
}

function drawPanel(panel: Panel, runs: HistoryEntry[], x0: number, y0: number): string {
  const w = PANEL_WIDTH - PLOT.left - PLOT.right;
  const h = PANEL_HEIGHT - PLOT.top - PLOT.bottom;
  const left = x0 + PLOT.left;
  const top = y0 + PLOT.top;
  const all = panel.series.flatMap((s) => s.values).filter((v) => Number.isFinite(v));
  const out: string[] = [text(x0 + PLOT.left, y0 + 14, panel.title, 'class="panel"')];
  if (all.length === 0) {
    out.push(text(left + w / 2, top + h / 2, 'not measured', 'text-anchor="middle" class="muted"'));
    return out.join('\n');
  }
  const step = niceStep(Math.max(...all) * 1.1 || 1, 4);
  const yMax = Math.ceil((Math.max(...all) * 1.1 || 1) / step) * step;
  const yOf = (v: number) => top + h - (v / yMax) * h;
  const inset = 24;
  const xOf = (i: number) => (runs.length === 1 ? left + w / 2 : left + inset + (i * (w - 2 * inset)) / (runs.length - 1));
  for (let v = 0; v <= yMax + step / 2; v += step) {
    out.push(`<line x1="${num(left)}" y1="${num(yOf(v))}" x2="${num(left + w)}" y2="${num(yOf(v))}" class="grid"/>`);
    out.push(text(left - 6, yOf(v) + 4, panel.formatTick(v), 'text-anchor="end" class="tick"'));
  }
  out.push(`<line x1="${num(left)}" y1="${num(top)}" x2="${num(left)}" y2="${num(top + h)}" class="axis"/>`);
  out.push(`<line x1="${num(left)}" y1="${num(top + h)}" x2="${num(left + w)}" y2="${num(top + h)}" class="axis"/>`);
  const every = Math.max(1, Math.ceil(runs.length / Math.floor((w - 2 * inset) / TICK_LABEL_WIDTH)));
  runs.forEach((run, i) => {
    if ((runs.length - 1 - i) % every !== 0) return; // counted back from the newest run, which is always labelled
    out.push(`<line x1="${num(xOf(i))}" y1="${num(top + h)}" x2="${num(xOf(i))}" y2="${num(top + h + 4)}" class="axis"/>`);
    out.push(text(xOf(i), top + h + 16, `${run.commit}${run.dirty ? '*' : ''}`, 'text-anchor="middle" class="tick"'));
    out.push(text(xOf(i), top + h + 28, run.date.slice(5, 10), 'text-anchor="middle" class="tick muted"'));
  });
  for (const s of panel.series) {
    let segment: string[] = [];
    const flush = () => {
      if (segment.length > 1) out.push(`<polyline points="${segment.join(' ')}" fill="none" stroke="${s.colour}" stroke-width="2"${s.dashed ? ' stroke-dasharray="6 4"' : ''}/>`);
      segment = [];
    };
    s.values.forEach((v, i) => {
      if (!Number.isFinite(v)) return flush();
      segment.push(`${num(xOf(i))},${num(yOf(v))}`);
      const fill = s.dashed ? `fill="#fff" stroke="${s.colour}"` : `fill="${s.colour}"`;
      out.push(`<circle cx="${num(xOf(i))}" cy="${num(yOf(v))}" r="3" ${fill}><title>${escapeXml(`${s.target} @ ${runs[i].commit}${s.dashed ? ' (tree)' : ''}: ${panel.format(v)}`)}</title></circle>`);
    });
    flush();
  }
  runs.forEach((_, i) => {
    if (runs.length > LABEL_EVERY_POINT_UP_TO && i !== runs.length - 1) return;
    const labelled = panel.series.filter((s) => Number.isFinite(s.values[i]));
    const ys = spreadLabels(labelled.map((s) => yOf(s.values[i]) - 7));
    labelled.forEach((s, k) => out.push(text(xOf(i), ys[k], panel.format(s.values[i]), `text-anchor="middle" class="value" fill="${s.colour}"`)));
  });
  return out.join('\n');
}

/** One row of legend entries under both panels, wrapped by an estimate of the text's width. */
function drawLegend(series: Series[], y0: number): { svg: string; rows: number } {
  const out: string[] = [];
  const start = MARGIN + PLOT.left;
  let x = start;
  let row = 0;
  for (const s of series) {
    const width = 24 + s.label.length * CHAR_WIDTH + 22;
    if (x > start && x + width > WIDTH - MARGIN) {
      x = start;
      row++;
    }
    const y = y0 + row * LEGEND_ROW;
    out.push(`<line x1="${num(x)}" y1="${num(y - 4)}" x2="${num(x + 18)}" y2="${num(y - 4)}" stroke="${s.colour}" stroke-width="3"/>`);
    out.push(text(x + 24, y, s.label, 'class="legend"'));
    x += width;
  }
  return { svg: out.join('\n'), rows: row + 1 };
}

function machineLine(entry: HistoryEntry): string {
  const m = entry.machine;
  return `${m.cores} cores, ${(m.memoryMiB / 1024).toFixed(1)} GiB, ${m.cpuModel}, node ${m.node}`;
}

export function renderReport(runs: HistoryEntry[]): string {
  const byFamily = new Map<string, string[]>();
  for (const run of runs) {
    for (const r of run.results) {
      const target = targetOf(r.name);
      const family = byFamily.get(familyOf(target)) ?? [];
      if (!family.includes(target)) family.push(target);
      byFamily.set(familyOf(target), family);
    }
  }
  const valueOf = (target: string, pick: (r: BenchResult) => number) =>
    runs.map((run) => {
      const found = run.results.filter((r) => targetOf(r.name) === target);
      return found.length > 0 ? pick(found[found.length - 1]) : NaN;
    });
  const body: string[] = [];
  let y = HEADER_HEIGHT;
  for (const [family, targets] of byFamily) {
    const labels = legendLabels(targets);
    const series = (pick: (r: BenchResult) => number): Series[] =>
      targets.map((target, i) => ({ target, label: labels.get(target) ?? target, colour: COLOURS[i % COLOURS.length], values: valueOf(target, pick) }));
    body.push(text(MARGIN, y + 18, family, 'class="family"'));
    body.push(drawPanel({ title: 'events/s', format: formatRate, formatTick: tickRate, series: series((r) => r.eventsPerSecond) }, runs, MARGIN, y + 26));
    const tree = series((r) => r.peakTreeRssMiB).map((s) => ({ ...s, dashed: true }));
    body.push(drawPanel({ title: 'peak RSS, MiB (dashed: the tree, shared code once)', format: (v) => v.toFixed(0), formatTick: (v) => v.toFixed(0), series: [...series((r) => r.peakRssMiB), ...tree] }, runs, MARGIN + PANEL_WIDTH + PANEL_GAP, y + 26));
    const legend = drawLegend(series(() => NaN), y + 26 + PANEL_HEIGHT + 10);
    body.push(legend.svg);
    y += 26 + PANEL_HEIGHT + 10 + legend.rows * LEGEND_ROW + 18;
  }
  const latest = runs[runs.length - 1];
  const subtitle = latest
    ? `${runs.length} run${runs.length === 1 ? '' : 's'}; newest ${latest.commit} on ${latest.date.slice(0, 16).replace('T', ' ')} UTC: ${machineLine(latest)}`
    : 'no runs yet: npm run bench appends to bench/history.jsonl';
  if (runs.some((run) => run.dirty)) body.push(text(MARGIN, y, '* measured with uncommitted changes on top of that commit', 'class="tick muted"'));
  const height = Math.max(y + 10, HEADER_HEIGHT + 20);
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${num(height)}" viewBox="0 0 ${WIDTH} ${num(height)}" font-family="DejaVu Sans, Helvetica, Arial, sans-serif">`,
    '<style>.title{font-size:18px;font-weight:bold}.family{font-size:15px;font-weight:bold}.panel{font-size:12px;font-weight:bold;fill:#333}.tick{font-size:10px;fill:#444}.muted{fill:#888}.legend{font-size:11px;fill:#222}.value{font-size:10px;font-weight:bold;paint-order:stroke;stroke:#fff;stroke-width:3px}.grid{stroke:#e4e4e4}.axis{stroke:#555}</style>',
    `<rect width="${WIDTH}" height="${num(height)}" fill="#fff"/>`,
    text(MARGIN, 28, 'sluice: npm run bench over commits', 'class="title"'),
    text(MARGIN, 48, subtitle, 'class="tick"'),
    ...body,
    '</svg>',
    '',
  ].join('\n');
}

/** The newest run as a Markdown table, for the README's performance section. */
export function latestFigures(runs: HistoryEntry[]): string {
  const latest = runs[runs.length - 1];
  if (!latest) return '';
  const rows = latest.results.map((r) => {
    const cpu = Number.isFinite(r.cpuPercent) ? `${r.cpuPercent.toFixed(0)}%` : 'n/a';
    const mib = (value: number) => (Number.isFinite(value) ? `${value.toFixed(0)} MiB` : 'n/a');
    return `| ${targetOf(r.name)} | ${formatRate(r.eventsPerSecond)} | ${r.mibPerSecond.toFixed(1)} | ${cpu} | ${mib(r.peakRssMiB)} | ${mib(r.peakTreeRssMiB)} |`;
  });
  return [`Commit ${latest.commit}, ${latest.date.slice(0, 10)}, ${machineLine(latest)}:`, '', '| target | events/s | MiB/s | CPU | peak RSS | tree RSS |', '| --- | ---: | ---: | ---: | ---: | ---: |', ...rows, ''].join('\n');
}

/** Reads the history, writes the SVG, and returns what to print: where it went and the newest figures. */
export function writeReport(historyPath: string, svgPath: string): string {
  const runs = readHistory(historyPath);
  writeFileSync(svgPath, renderReport(runs));
  return `wrote ${svgPath} from ${runs.length} run(s) in ${historyPath}\n\n${latestFigures(runs)}`;
}
