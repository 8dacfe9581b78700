// The status page: polls /status.json every second and keeps the last minutes of counters here,
// in the page, to draw rates as sparklines (sluice keeps no history: nothing costs anything while
// nobody looks, and a cluster primary is not asked for its workers' metrics unless someone is).
'use strict';

const POLL_MS = 1000;
const HISTORY_POINTS = 300; // five minutes at one poll a second
const RECENT_WINDOW_MS = 10_000; // "now" for health: what changed over the last ten seconds
const MAX_LOG_GROUPS = 15;

/** One history per plugin: { t, values: { counter name: value } } points, oldest first. */
const history = new Map();

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) node.setAttribute(key, String(value));
  for (const child of children) node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  return node;
}

function svg(tag, attrs) {
  const node = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [key, value] of Object.entries(attrs)) node.setAttribute(key, String(value));
  return node;
}

const integer = new Intl.NumberFormat('en-US');
function count(value) {
  return integer.format(Math.round(value || 0));
}
function rate(value) {
  if (value >= 1000) return `${(value / 1000).toFixed(1)}k/s`;
  return `${value >= 10 ? value.toFixed(0) : value.toFixed(1)}/s`;
}
function bytes(value) {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let v = value || 0;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${i === 0 ? v : v.toFixed(1)} ${units[i]}`;
}

function remember(key, t, values) {
  const points = history.get(key) || [];
  points.push({ t, values });
  if (points.length > HISTORY_POINTS) points.splice(0, points.length - HISTORY_POINTS);
  history.set(key, points);
  return points;
}

/** Per-second rates of one counter between consecutive points (a restarted worker's reset counts as 0). */
function rates(points, name) {
  const out = [];
  for (let i = 1; i < points.length; i++) {
    const dt = (points[i].t - points[i - 1].t) / 1000;
    const dv = (points[i].values[name] || 0) - (points[i - 1].values[name] || 0);
    out.push(dt > 0 ? Math.max(0, dv) / dt : 0);
  }
  return out;
}

/** How much a counter grew over the recent window. */
function recentGrowth(points, name) {
  if (points.length < 2) return 0;
  const last = points[points.length - 1];
  let first = points[0];
  for (const p of points) if (last.t - p.t <= RECENT_WINDOW_MS) { first = p; break; }
  return Math.max(0, (last.values[name] || 0) - (first.values[name] || 0));
}

function sparkline(series) {
  const width = 140;
  const height = 26;
  const box = svg('svg', { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img' });
  // At least half a minute wide, growing to the whole history: a fresh page is not a dot at the edge.
  const slots = Math.max(30, series.length - 1);
  const max = Math.max(1, ...series);
  const coords = series.map((v, i) => [width - (series.length - 1 - i) * (width / slots), height - 1 - (v / max) * (height - 3)]);
  if (coords.length === 0) return box;
  const line = coords.map(([x, y]) => `${x.toFixed(1)},${y.toFixed(1)}`).join(' ');
  box.append(svg('polygon', { points: `${coords[0][0].toFixed(1)},${height} ${line} ${width},${height}` }));
  box.append(svg('polyline', { points: line }));
  const title = svg('title', {});
  title.textContent = `peak ${rate(max)} over the shown window`;
  box.append(title);
  return box;
}

function numberCell(value, field, format = count) {
  return el('td', { class: 'n', 'data-field': field, 'data-value': value || 0 }, format(value));
}

function rateCell(points, name) {
  const series = rates(points, name);
  const now = series.length ? series[series.length - 1] : 0;
  return el('td', { class: 'rate', 'data-field': `${name}.rate` }, sparkline(series), el('span', { class: 'now' }, rate(now)));
}

/**
 * An Elasticsearch/OpenSearch output's engine, judged by what its bulk requests did lately and by
 * what the output logged lately (an engine that refuses connections never gets a bulk request).
 */
function engineHealth(plugin, points, logs, now) {
  if (!('bulk_requests_total' in plugin)) return { text: '—', level: '', why: '' };
  const complaints = logs.filter((l) => l.fields && l.fields.output === plugin.id && now - Date.parse(l.time) <= RECENT_WINDOW_MS);
  const last = complaints[complaints.length - 1];
  const why = last ? `${last.msg}${last.fields.err ? `: ${last.fields.err}` : ''}` : '';
  const failures = recentGrowth(points, 'bulk_request_failures_total');
  const retries = recentGrowth(points, 'events_retried_total');
  const delivered = recentGrowth(points, 'output_events_delivered_total');
  if ((failures > 0 || (last && last.level !== 'warn') || complaints.length > 0) && delivered === 0) return { text: 'failing', level: 'bad', why };
  if (failures > 0 || retries > 0 || complaints.length > 0) return { text: 'degraded', level: 'warn', why };
  if (delivered > 0 || plugin.bulk_requests_in_flight > 0) return { text: 'ok', level: 'ok', why };
  return { text: plugin.bulk_requests_total > 0 ? 'ok, idle' : 'idle', level: plugin.bulk_requests_total > 0 ? 'ok' : '', why };
}

function clock(iso) {
  return iso.replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

/**
 * The same warning from a retry loop, once per attempt, would push everything else out of sight:
 * lines alike (level, message, plugin, code) show once, the latest, with how many and since when.
 * Newest first.
 */
function groupLogs(lines) {
  const groups = new Map();
  for (const line of lines) {
    const f = line.fields || {};
    const key = JSON.stringify([line.level, line.msg, f.input, f.filter, f.output, f.code]);
    const group = groups.get(key);
    if (group) {
      group.times += line.repeats || 1;
      group.line = line;
    } else groups.set(key, { line, times: line.repeats || 1, first: line.since || line.time });
  }
  return [...groups.values()].sort((a, b) => (a.line.time < b.line.time ? 1 : -1)).slice(0, MAX_LOG_GROUPS);
}

function row(plugin, cells) {
  return el('tr', { 'data-plugin': `${plugin.kind}:${plugin.id}` }, el('td', {}, plugin.id), el('td', { class: 'muted' }, plugin.type), ...cells);
}

function droppedBy(plugin) {
  let sum = 0;
  for (const [key, value] of Object.entries(plugin)) if (key.startsWith('events_dropped_total.')) sum += value;
  return sum;
}

function fill(tableId, rows) {
  const body = document.querySelector(`#${tableId} tbody`);
  body.replaceChildren(...rows);
  document.getElementById(tableId).hidden = rows.length === 0;
}

/** Every way an event was not delivered, with its reason, for the drops table. */
function dropRows(stats) {
  const rows = [];
  const add = (where, what, reason, value) => value > 0 && rows.push(el('tr', { 'data-drop': `${where}:${what}:${reason}` }, el('td', {}, where), el('td', {}, what), el('td', {}, reason), numberCell(value, 'events')));
  for (const [key, value] of Object.entries(stats.pipeline)) if (key.startsWith('events_dropped_total.')) add('pipeline', 'dropped', key.slice('events_dropped_total.'.length), value);
  for (const p of stats.plugins) {
    const where = `${p.kind} ${p.id}`;
    for (const [key, value] of Object.entries(p)) if (key.startsWith('events_dropped_total.')) add(where, 'dropped', key.slice('events_dropped_total.'.length), value);
    add(where, 'dropped', 'gave up (reason in the log)', p.output_events_dropped_total);
    add(where, 'dead-lettered', 'rejected by the engine', p.output_events_dead_lettered_total);
    add(where, 'dropped', 'drop filter (on purpose)', p.filter_events_dropped_total);
    add(where, 'dropped', 'line over the size limit', p.oversize_lines_total);
    add(where, 'dropped', 'write to stdout failed', p.write_failures_total);
  }
  return rows;
}

function card(label, value, field, extra) {
  return el('div', { class: `card ${extra || ''}` }, el('div', { class: 'label' }, label), el('div', { class: 'value', 'data-field': field, 'data-value': value || 0 }, field.endsWith('bytes') ? bytes(value) : count(value)));
}

function render(stats) {
  const t = stats.time;
  const pipe = stats.pipeline;
  const queue = [card('events held', pipe.queue_events, 'queue_events'), card('waiting for the worker', pipe.queue_depth, 'queue_depth'), card('bytes held', pipe.queue_bytes, 'queue_bytes')];
  if ('queue_recovery_replayed_events' in pipe) {
    queue.push(card('replayed at start', pipe.queue_recovery_replayed_events, 'queue_recovery_replayed_events'));
    queue.push(card('lost at start (damaged)', pipe.queue_recovery_lost_events, 'queue_recovery_lost_events', pipe.queue_recovery_lost_events > 0 ? 'bad' : ''));
    queue.push(card('damaged stretches', pipe.queue_recovery_damaged_unknown, 'queue_recovery_damaged_unknown', pipe.queue_recovery_damaged_unknown > 0 ? 'bad' : ''));
  }
  document.getElementById('queue').replaceChildren(...queue);

  const inputs = [];
  const filters = [];
  const outputs = [];
  let worst = 0; // 0 healthy, 1 degraded, 2 failing
  for (const p of stats.plugins) {
    const points = remember(`${p.kind}:${p.id}`, t, p);
    if (p.kind === 'input') {
      const dropped = droppedBy(p);
      if (recentGrowth(points, 'events_dropped_total') > 0) worst = Math.max(worst, 1);
      inputs.push(row(p, [rateCell(points, 'events_in_total'), numberCell(p.events_in_total, 'events_in_total'), numberCell(p.bytes_in_total, 'bytes_in_total', bytes), numberCell(p.connections_open, 'connections_open'), numberCell(p.decode_failures_total, 'decode_failures_total'), numberCell(dropped, 'events_dropped_total')]));
    } else if (p.kind === 'filter') {
      filters.push(row(p, [rateCell(points, 'filter_events_out_total'), numberCell(p.filter_events_in_total, 'filter_events_in_total'), numberCell(p.filter_events_out_total, 'filter_events_out_total'), numberCell(p.filter_failures_total, 'filter_failures_total')]));
    } else if (p.kind === 'output') {
      const health = engineHealth(p, points, stats.logs || [], t);
      if (health.level === 'bad') worst = 2;
      else if (health.level === 'warn' || recentGrowth(points, 'output_events_dropped_total') > 0) worst = Math.max(worst, 1);
      outputs.push(row(p, [rateCell(points, 'output_events_delivered_total'), numberCell(p.output_events_in_total, 'output_events_in_total'), numberCell(p.output_events_delivered_total, 'output_events_delivered_total'), numberCell(p.output_events_dead_lettered_total, 'output_events_dead_lettered_total'), numberCell(p.output_events_dropped_total, 'output_events_dropped_total'), numberCell(p.events_retried_total, 'events_retried_total'), numberCell(p.bulk_request_failures_total, 'bulk_request_failures_total'), el('td', { 'data-field': 'engine', title: health.why }, el('span', { class: `pill ${health.level}` }, health.text), health.why ? el('span', { class: 'muted why' }, ` ${health.why.length > 48 ? `${health.why.slice(0, 48)}…` : health.why}`) : '')]));
    }
  }
  fill('inputs', inputs);
  fill('filters', filters);
  fill('outputs', outputs);

  const drops = dropRows(stats);
  fill('drops', drops);
  document.getElementById('no-drops').hidden = drops.length > 0;

  const logs = groupLogs(stats.logs || []).map(({ line, times, first }) => {
    const fields = Object.entries(line.fields || {}).map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`).join(' ');
    const repeated = times > 1 ? el('span', { class: 'times' }, ` ×${times} since ${clock(first)}`) : '';
    return el('li', { class: line.level }, el('span', { class: 'muted' }, `${clock(line.time)} `), el('span', { class: 'level' }, line.level.toUpperCase()), line.worker !== undefined ? `[worker ${line.worker}] ` : '', line.msg, repeated, fields ? el('div', { class: 'muted fields' }, fields) : '');
  });
  document.getElementById('logs').replaceChildren(...logs);
  document.getElementById('no-logs').hidden = logs.length > 0;

  const health = document.getElementById('health');
  health.textContent = ['healthy', 'degraded', 'failing'][worst];
  health.className = `pill ${['ok', 'warn', 'bad'][worst]}`;
  document.getElementById('workers').textContent = pipe.workers ? `${pipe.workers} worker processes` : '1 process';
  document.getElementById('updated').textContent = `updated ${new Date(t).toLocaleTimeString()}`;
  document.body.dataset.polls = String(Number(document.body.dataset.polls || 0) + 1);
}

async function poll() {
  try {
    const response = await fetch('/status.json', { cache: 'no-store' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    render(await response.json());
  } catch (err) {
    const health = document.getElementById('health');
    health.textContent = `unreachable (${err.message})`;
    health.className = 'pill bad';
  } finally {
    setTimeout(poll, POLL_MS);
  }
}

poll();
