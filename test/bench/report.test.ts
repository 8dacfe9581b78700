import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { appendHistory, historyEntry, readHistory, type HistoryEntry } from '../../bench/history.js';
import { familyOf, renderReport, targetOf, tickRate, writeReport } from '../../bench/report.js';
import type { BenchResult } from '../../bench/lib.js';

function result(name: string, eventsPerSecond: number, peakRssMiB: number): BenchResult {
  return { name, events: eventsPerSecond * 3, seconds: 3, eventsPerSecond, mibPerSecond: eventsPerSecond * 259 / 1048576, cpuPercent: 150, peakRssMiB, peakTreeRssMiB: peakRssMiB * 0.7, bytesPerEvent: 259 };
}

const MACHINE = { cores: 2, memoryMiB: 7936, cpuModel: 'Test CPU <fast> & "cheap"', node: 'v20.0.0' };

/** Three runs over three commits with the targets' real names, a missing figure and an engine ceiling without RSS. */
function fixture(): HistoryEntry[] {
  const tcp = (w: number, queue = 'memory', filters = 'none') => `tcp json_lines -> null (filters: ${filters}, queue: ${queue}, workers: ${w}, 4 connections)`;
  return ['a1b2c3d', 'e4f5a6b', 'c7d8e9f'].map((commit, i) => ({
    commit,
    date: `2026-12-0${i + 1}T21:00:00.000Z`,
    machine: MACHINE,
    results: [
      result(tcp(1), 240_000 + i * 10_000, 103),
      result(tcp(2), 400_000 + i * 5_000, 284),
      result(tcp(1, 'memory', 'default'), 230_000, 105),
      result(tcp(1, 'persisted'), 90_000, 140),
      ...(i === 1 ? [] : [result('sluice -> engine (tcp json_lines, elasticsearch output, workers: 1)', 49_700, 274)]),
      { ...result('engine ceiling: pre-built _bulk bodies (5000/request, 4 in flight)', 64_900, NaN), cpuPercent: NaN },
      result(`tcp lines, one line of 200 MiB -> null; slowest /stats ${50 + i} ms while it streamed, 3 ms after its newline`, 0.7, 600),
    ],
  }));
}

/** Enough of XML to catch what breaks an SVG: unbalanced or crossed tags, unquoted attributes, raw & or <. */
function wellFormedProblems(xml: string): string[] {
  const problems: string[] = [];
  const stack: string[] = [];
  const tag = /<(\/?)([A-Za-z][\w:-]*)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>/y;
  let i = 0;
  while (i < xml.length) {
    const lt = xml.indexOf('<', i);
    const textPart = xml.slice(i, lt < 0 ? xml.length : lt);
    if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(textPart)) problems.push(`bare & near ${i}`);
    if (lt < 0) break;
    tag.lastIndex = lt;
    const m = tag.exec(xml);
    if (!m) {
      problems.push(`bad tag at ${lt}: ${xml.slice(lt, lt + 40)}`);
      break;
    }
    if (/&(?!(amp|lt|gt|quot|apos|#\d+);)/.test(m[3])) problems.push(`bare & in attributes at ${lt}`);
    if (m[1]) {
      if (stack.pop() !== m[2]) problems.push(`</${m[2]}> closes the wrong element at ${lt}`);
    } else if (!m[4]) stack.push(m[2]);
    i = tag.lastIndex;
  }
  if (stack.length > 0) problems.push(`unclosed: ${stack.join(', ')}`);
  return problems;
}

describe('bench report', () => {
  it('renders a well-formed SVG with a chart per target family, a line per target and labelled values', () => {
    const svg = renderReport(fixture());
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    for (const family of ['tcp json_lines -&gt; null', 'filters (json, trace_id)', 'persisted queue', 'elasticsearch', 'long line']) expect(svg).toContain(family);
    // Two panels (events/s, RSS) per family, a line per target that has two or more points in a row.
    expect(svg.match(/class="panel"/g)).toHaveLength(2 * 5);
    expect(svg).toContain('250.0k'); // tcp, workers 1, second run, labelled
    expect(svg).toContain('>284<'); // its RSS
    for (const commit of ['a1b2c3d', 'e4f5a6b', 'c7d8e9f']) expect(svg).toContain(`>${commit}<`);
    expect(svg).toContain('Test CPU &lt;fast&gt; &amp; &quot;cheap&quot;');
    expect(svg).not.toMatch(/NaN|undefined/);
    // The long-line target keeps one line although its name carries per-run remarks: a point per run for events/s, RSS and tree RSS.
    expect(svg.match(/tcp lines, one line of 200 MiB -&gt; null @/g)).toHaveLength(3 * 3);
  });

  it('draws the tree RSS dashed beside the summed RSS, and nothing for runs that did not measure it', () => {
    const runs = fixture();
    const withTree = renderReport(runs);
    expect(withTree).toContain('stroke-dasharray');
    expect(withTree).toContain('(tree): 199'); // tcp, workers 2: 0.7 x 284
    const older = runs.map((run) => ({ ...run, results: run.results.map((r) => ({ ...r, peakTreeRssMiB: NaN })) }));
    const without = renderReport(older);
    expect(wellFormedProblems(without)).toEqual([]);
    expect(without).not.toContain('stroke-dasharray');
    expect(without).not.toContain('(tree)');
  });

  it('legends name only what tells the targets of a chart apart', () => {
    const svg = renderReport(fixture());
    expect(svg).toContain('>workers: 1<');
    expect(svg).toContain('>workers: 2<');
  });

  it('puts targets in families by their names', () => {
    expect(familyOf('tcp json_lines -> null (filters: none, queue: memory, workers: 1, 4 connections)')).toBe('tcp json_lines -> null');
    expect(familyOf('tcp json_lines -> null (filters: default, queue: persisted, workers: 2, 4 connections)')).toBe('persisted queue: tcp json_lines -> null');
    expect(familyOf("tcp json_lines -> null at the engine run's rate (4 connections, workers: 1)")).toBe('elasticsearch (engine on the same machine)');
    expect(familyOf('one Node core: split, JSON.parse, JSON.stringify (in the bench process, no sockets)')).toBe('tcp json_lines -> null');
    expect(familyOf("one Node core: a worker's per-event work, json + trace_id (in the bench process, no sockets)")).toBe('filters (json, trace_id): tcp json_lines -> null');
    expect(familyOf('beats v2 (go-lumber, window 2048, compression 3) -> null (queue: memory, ack: queue, workers: 1, 4 connections)')).toBe('beats -> null');
    expect(familyOf('tcp lines -> grok -> null (workers: 1, 4 connections)')).toBe('grok and dissect');
    expect(targetOf('tcp lines, one line of 200 MiB -> null (unfinished after 30 s: 10 MiB read); slowest /stats 60 ms')).toBe('tcp lines, one line of 200 MiB -> null');
  });

  it('marks a run made with uncommitted changes', () => {
    const runs = fixture();
    runs[2].dirty = true;
    const svg = renderReport(runs);
    expect(svg).toContain('>c7d8e9f*<');
    expect(svg).toContain('uncommitted changes');
    expect(renderReport(fixture())).not.toContain('uncommitted');
  });

  it('renders an empty history as a valid SVG that says how to fill it', () => {
    const svg = renderReport([]);
    expect(wellFormedProblems(svg)).toEqual([]);
    expect(svg).toContain('no runs yet');
  });

  it('the checker catches broken XML', () => {
    expect(wellFormedProblems('<svg><g></svg>')).not.toEqual([]);
    expect(wellFormedProblems('<svg><text>a & b</text></svg>')).not.toEqual([]);
    expect(wellFormedProblems('<svg width=3></svg>')).not.toEqual([]);
  });
});

describe('bench history', () => {
  it('appending keeps earlier lines byte for byte, and NaN figures read back as NaN', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-history-'));
    try {
      const path = join(dir, 'history.jsonl');
      const [first, second] = fixture();
      appendHistory(path, first);
      const before = readFileSync(path, 'utf8');
      appendHistory(path, second);
      const after = readFileSync(path, 'utf8');
      expect(after.startsWith(before)).toBe(true);
      expect(after.split('\n')).toHaveLength(3);
      const read = readHistory(path);
      expect(read.map((e) => e.commit)).toEqual(['a1b2c3d', 'e4f5a6b']);
      const ceiling = read[0].results.find((r) => r.name.startsWith('engine ceiling'));
      expect(ceiling?.peakRssMiB).toBeNaN();
      expect(read[1].results[0]).toEqual(second.results[0]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a line written before the tree RSS was measured reads back with NaN for it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-history-'));
    try {
      const path = join(dir, 'history.jsonl');
      const { peakTreeRssMiB: _gone, ...older } = result('tcp json_lines -> null (filters: none, queue: memory, workers: 1, 4 connections)', 250_000, 103);
      writeFileSync(path, `${JSON.stringify({ ...fixture()[0], results: [older] })}\n`);
      const [entry] = readHistory(path);
      expect(entry.results[0].peakRssMiB).toBe(103);
      expect(entry.results[0].peakTreeRssMiB).toBeNaN();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a new entry records the commit, the date and the machine', () => {
    const entry = historyEntry(process.cwd(), [result('x', 1, 1)], new Date('2026-12-01T00:00:00Z'));
    expect(entry.commit).toMatch(/^[0-9a-f]{7,}$|^unknown$/);
    expect(entry.date).toBe('2026-12-01T00:00:00.000Z');
    expect(entry.machine.cores).toBeGreaterThan(0);
    expect(entry.machine.memoryMiB).toBeGreaterThan(0);
    expect(entry.machine.cpuModel).not.toBe('');
    expect(entry.machine.node).toBe(process.version);
  });

  it('a line that is not an entry is an error naming the file and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-bench-history-'));
    try {
      const path = join(dir, 'history.jsonl');
      writeFileSync(path, `${JSON.stringify(fixture()[0])}\n{"commit": 1}\nnot json\n`);
      expect(() => readHistory(path)).toThrow(`${path}:2: not a bench history entry`);
      expect(() => writeReport(path, join(dir, 'report.svg'))).toThrow(/history\.jsonl:2/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('labels the rate axis without trailing zeros: a million reads 1M', () => {
    expect([0, 250_000, 750_000, 1_000_000, 1_500_000, 2_000_000, 12_500].map(tickRate)).toEqual(['0', '250k', '750k', '1M', '1.5M', '2M', '12.5k']);
  });
});
