/**
 * `npm run bench -- --only grok`: grok, dissect and kv, measured two ways.
 *  - In the pipeline: TCP `lines` -> the filter -> null output, one worker, against the same
 *    pipeline without the filter, so the filter's share of the whole is visible.
 *  - The filter alone: events/s of `process` over batches of decoded events, a per-pattern
 *    profile (ns per match and per miss for each library format), and hostile lines.
 */
import type { Event } from '../pipeline/event.js';
import { benchFilter, blastLines, formatRate, startSluice, type BenchResult } from './lib.js';
import { PATTERN_SAMPLES, combinedLines, fixedLayoutLines, lateMissLines, logfmtLines, nearMissLines, otherFormatLines } from './grok_lines.js';

const BATCH = 1024;

/** `serialize: false` leaves out the output's JSON encoding, which grows with the fields a filter adds. */
function pipelineYaml(filter: string | undefined, serialize: boolean): string {
  const filters = filter ? `filters:\n  - ${filter}\n` : '';
  return `api: { port: 0 }\npipeline:\n  workers: 1\n  queue: { max_events: 50000, max_bytes: 67108864 }\ninputs:\n  - { type: tcp, id: bench, port: 0, codec: lines }\n${filters}outputs:\n  - { type: "null", serialize: ${serialize} }\n`;
}

/** TCP lines into one sluice worker for `seconds`; events/s counted at the output. */
export async function runTcpLinesBench(name: string, lines: string[], filter: string | undefined, seconds: number, connections: number, serialize = true): Promise<BenchResult> {
  const sluice = await startSluice(pipelineYaml(filter, serialize));
  return blastLines(sluice, `tcp lines -> ${name} -> null${serialize ? '' : ' (not serialized)'} (workers: 1, ${connections} connections)`, lines, seconds, connections);
}

/** Events/s of process() on fresh batches of `{ message }` events built from `lines` (building them is not timed). */
export function filterAlone(type: string, settings: Record<string, unknown>, lines: string[], seconds: number): number {
  const filter = benchFilter(type, settings);
  let events = 0;
  let busy = 0;
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    const batches: Event[][] = [];
    for (let i = 0; i < lines.length; i += BATCH) batches.push(lines.slice(i, i + BATCH).map((message) => ({ message })));
    const started = performance.now();
    for (const batch of batches) filter.process(batch);
    busy += performance.now() - started;
    events += lines.length;
  }
  return events / (busy / 1000);
}

interface ProfileRow {
  pattern: string;
  matchNs: number;
  missNs: number;
  misses: number;
}

/** ns per event for one library pattern on its own format (varied) and on the lines of other formats it rejects. */
function profile(seconds: number): ProfileRow[] {
  const others = otherFormatLines(6000).concat(combinedLines(1000));
  return Object.entries(PATTERN_SAMPLES).map(([pattern, sample]) => {
    const settings = { match: { message: `%{${pattern}}` } };
    const own = Array.from({ length: 6000 }, (_, i) => sample.replace(/\d/, String(i % 10)));
    const probe = benchFilter('grok', settings);
    const rejected = others.filter((message) => probe.process([{ message }])[0].tags !== undefined);
    const perEvent = (lines: string[]) => (lines.length === 0 ? NaN : 1e9 / filterAlone('grok', settings, lines, seconds));
    return { pattern, matchNs: perEvent(own), missNs: perEvent(rejected), misses: rejected.length };
  });
}

/** ms for one event on lines built to backtrack: what the linear-engine fallback bounds (filters/grok/engine.ts). */
function hostile(): Array<{ name: string; ms: number }> {
  const cases: Array<[string, Record<string, unknown>, string]> = [
    ['(?<a>(?:a+)+)$ on 40 "a" and "!" (exponential)', { match: { message: '(?<a>(?:a+)+)$' } }, `${'a'.repeat(40)}!`],
    ['4 x %{DATA} and a missing "x" on 6,000 characters (polynomial)', { match: { message: '%{DATA:a} %{DATA:b} %{DATA:c} %{DATA:d}x' } }, 'ab '.repeat(2000)],
    ['COMBINEDAPACHELOG on 64 KiB of "- [" repeated', { match: { message: '%{COMBINEDAPACHELOG}' } }, '1.2.3.4 - - [] "'.repeat(4096)],
  ];
  return cases.map(([name, settings, line]) => {
    const filter = benchFilter('grok', settings);
    const started = performance.now();
    filter.process([{ message: line }]);
    return { name, ms: performance.now() - started };
  });
}

export async function runGrokBench(seconds: number, connections: number): Promise<BenchResult[]> {
  const n = 8192;
  const combined = combinedLines(n);
  const pipeline: BenchResult[] = [];
  const run = async (name: string, lines: string[], filter?: string, serialize = true) => {
    const result = await runTcpLinesBench(name, lines, filter, seconds, connections, serialize);
    pipeline.push(result);
    process.stdout.write(`${result.name}\n  ${formatRate(result.eventsPerSecond)} events/s  CPU ${result.cpuPercent.toFixed(0)}%  ${((result.cpuPercent / 100 / result.eventsPerSecond) * 1e6).toFixed(2)} us CPU/event  (${result.events} events)\n`);
  };
  await run('no filter (combined lines)', combined);
  await run('grok COMBINEDAPACHELOG, matching', combined, '{ type: grok, match: { message: "%{COMBINEDAPACHELOG}" } }');
  await run('no filter (other-format lines)', otherFormatLines(n));
  await run('grok COMBINEDAPACHELOG, other formats (no match)', otherFormatLines(n), '{ type: grok, match: { message: "%{COMBINEDAPACHELOG}" } }');
  await run('grok COMBINEDAPACHELOG, near misses (no match)', nearMissLines(n), '{ type: grok, match: { message: "%{COMBINEDAPACHELOG}" } }');
  await run('grok ^%{COMBINEDAPACHELOG} (anchored), near misses (no match)', nearMissLines(n), '{ type: grok, match: { message: "^%{COMBINEDAPACHELOG}" } }');
  await run('no filter (fixed layout)', fixedLayoutLines(n));
  await run('dissect %{hash} %{content_length} %{content_type}', fixedLayoutLines(n), '{ type: dissect, mapping: { message: "%{hash} %{content_length} %{content_type}" } }');
  await run('no filter (fixed layout)', fixedLayoutLines(n), undefined, false);
  await run('dissect %{hash} %{content_length} %{content_type}', fixedLayoutLines(n), '{ type: dissect, mapping: { message: "%{hash} %{content_length} %{content_type}" } }', false);

  const alone = Math.max(1, Math.min(3, seconds / 3));
  const rows: Array<[string, number]> = [
    ['grok COMBINEDAPACHELOG, matching', filterAlone('grok', { match: { message: '%{COMBINEDAPACHELOG}' } }, combined, alone)],
    ['grok COMBINEDAPACHELOG, other formats', filterAlone('grok', { match: { message: '%{COMBINEDAPACHELOG}' } }, otherFormatLines(n), alone)],
    ['grok COMBINEDAPACHELOG, near misses', filterAlone('grok', { match: { message: '%{COMBINEDAPACHELOG}' } }, nearMissLines(n), alone)],
    ['grok ^%{COMBINEDAPACHELOG}, near misses (anchored)', filterAlone('grok', { match: { message: '^%{COMBINEDAPACHELOG}' } }, nearMissLines(n), alone)],
    ['grok COMBINEDAPACHELOG, late misses (bytes)', filterAlone('grok', { match: { message: '%{COMBINEDAPACHELOG}' } }, lateMissLines(n), alone)],
    ['grok ^%{COMBINEDAPACHELOG}, late misses (anchored)', filterAlone('grok', { match: { message: '^%{COMBINEDAPACHELOG}' } }, lateMissLines(n), alone)],
    ['dissect fixed layout', filterAlone('dissect', { mapping: { message: '%{hash} %{content_length} %{content_type}' } }, fixedLayoutLines(n), alone)],
    ['dissect combined line (10 keys)', filterAlone('dissect', { mapping: { message: '%{[source][address]} %{} %{[user][name]} [%{timestamp}] "%{[http][request][method]} %{[url][original]} HTTP/%{[http][version]}" %{status} %{bytes} "%{referrer}" "%{agent}"' } }, combined, alone)],
    ['kv logfmt (9 pairs)', filterAlone('kv', {}, logfmtLines(n), alone)],
  ];
  process.stdout.write('\nfilter alone (process() on batches of 1024 decoded events, one thread)\n');
  for (const [name, rate] of rows) process.stdout.write(`  ${name.padEnd(52)} ${formatRate(rate).padStart(7)} events/s  ${(1e9 / rate).toFixed(0).padStart(6)} ns/event\n`);

  process.stdout.write('\nper-pattern profile (grok with one library pattern; ns per event)\n');
  for (const row of profile(0.5)) {
    process.stdout.write(`  ${row.pattern.padEnd(20)} match ${row.matchNs.toFixed(0).padStart(6)}  miss ${Number.isNaN(row.missNs) ? '   n/a' : row.missNs.toFixed(0).padStart(6)} (on ${row.misses} other-format lines)\n`);
  }
  process.stdout.write('\nhostile lines (one event, ms)\n');
  for (const row of hostile()) process.stdout.write(`  ${row.name.padEnd(66)} ${row.ms.toFixed(1)} ms\n`);
  return pipeline;
}
