/**
 * The one-core Node ceiling that issue 18 measures the one-worker pipeline against: in this
 * process, no sockets, the bench's lines split at their newlines, each decoded, parsed with
 * JSON.parse and written again with JSON.stringify. That is the work no JSON pipeline on Node
 * avoids; what a worker takes beyond it is sluice's own (framing, batches, queue, filters).
 *
 * Beside it, in alternating passes so that both see the same host (this machine's speed swings
 * by a third within a minute, and a ratio of runs a minute apart is mostly that swing): a
 * worker's own per-event work on the same lines, as the tcp input, the default filters and the
 * null output do it (framing on 64 KiB reads, the json_lines decode, finishEvents, json +
 * trace_id, the shipped JSON). What a socket run takes beyond that is sockets, batches, the
 * queue and the event loop.
 */
import { jsonLinesCodec } from '../inputs/codecs/json_lines.js';
import { finishEvents } from '../inputs/finish.js';
import { LineSplitter } from '../inputs/framing/line_splitter.js';
import type { Event, InputMetadata } from '../pipeline/event.js';
import type { Filter } from '../pipeline/plugin.js';
import { serializeEvent } from '../pipeline/serialize.js';
import { benchFilter, pythonLogstashLines, type BenchResult } from './lib.js';

const NEWLINE = 0x0a;
const READ_BYTES = 64 * 1024;
const INPUT: InputMetadata = { type: 'tcp', id: 'bench', remote: { ip: '127.0.0.1', port: 40000 } };

export const NODE_CEILING_NAME = 'one Node core: split, JSON.parse, JSON.stringify (in the bench process, no sockets)';
export const WORKER_WORK_NAME = "one Node core: a worker's per-event work, json + trace_id (in the bench process, no sockets)";

/** One pass over `chunk`: each line parsed and written again; the characters written. */
export function ceilingPass(chunk: Buffer): number {
  let written = 0;
  for (let at = 0, end = chunk.indexOf(NEWLINE); end !== -1; at = end + 1, end = chunk.indexOf(NEWLINE, at)) {
    written += JSON.stringify(JSON.parse(chunk.toString('utf8', at, end)) as unknown).length;
  }
  return written;
}

/** The default filters, as the pipeline makes them: made once, outside the timed passes. */
export function defaultFilters(): Filter[] {
  return [benchFilter('json', { skip_on_invalid_json: true }), benchFilter('trace_id', {})];
}

/** One pass over `chunk` as a worker does it, through `filters`; the characters shipped. */
export function workerPass(chunk: Buffer, filters: readonly Filter[]): number {
  const splitter = new LineSplitter(1024 * 1024, () => {
    throw new Error('a bench line is over the limit');
  });
  let written = 0;
  for (let at = 0; at < chunk.length; at += READ_BYTES) {
    let events: Event[] = [];
    splitter.push(chunk.subarray(at, at + READ_BYTES), (line) => jsonLinesCodec.decode(line, events));
    finishEvents(events, 0, INPUT);
    for (const filter of filters) events = filter.process(events);
    for (const event of events) written += serializeEvent(event).length;
  }
  return written;
}

interface Side {
  nanoseconds: number;
  cpuMicroseconds: number;
}

function result(name: string, events: number, side: Side, bytes: number, bytesPerEvent: number): BenchResult {
  const seconds = side.nanoseconds / 1e9;
  return { name, events, seconds, eventsPerSecond: events / seconds, mibPerSecond: bytes / 1048576 / seconds, cpuPercent: (side.cpuMicroseconds / 1e6 / seconds) * 100, peakRssMiB: NaN, peakTreeRssMiB: NaN, bytesPerEvent };
}

/** About `seconds` of each, in alternating passes over the bench's lines: the ceiling, then the worker's work. */
export function nodeCeiling(seconds: number): [BenchResult, BenchResult] {
  const lines = pythonLogstashLines(8192);
  const chunk = Buffer.from(`${lines.join('\n')}\n`);
  const filters = defaultFilters();
  const passes: Array<(chunk: Buffer) => number> = [ceilingPass, (text) => workerPass(text, filters)];
  const sides: Side[] = passes.map(() => ({ nanoseconds: 0, cpuMicroseconds: 0 }));
  let rounds = 0;
  let written = 0;
  while (sides[0].nanoseconds + sides[1].nanoseconds < 2 * seconds * 1e9) {
    passes.forEach((pass, i) => {
      const cpuBefore = process.cpuUsage();
      const started = process.hrtime.bigint();
      written += pass(chunk);
      sides[i].nanoseconds += Number(process.hrtime.bigint() - started);
      const cpu = process.cpuUsage(cpuBefore);
      sides[i].cpuMicroseconds += cpu.user + cpu.system;
    });
    rounds++;
  }
  // Read, so that the serializing cannot be left out as unused.
  if (written === 0) throw new Error('nothing was serialized');
  const [events, bytes, bytesPerEvent] = [rounds * lines.length, rounds * chunk.length, chunk.length / lines.length];
  return [result(NODE_CEILING_NAME, events, sides[0], bytes, bytesPerEvent), result(WORKER_WORK_NAME, events, sides[1], bytes, bytesPerEvent)];
}
