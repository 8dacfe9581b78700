/**
 * The one-core Node ceiling that issue 18 measures the one-worker pipeline against: in this
 * process, no sockets, the bench's lines split at their newlines, each decoded, parsed with
 * JSON.parse and written again with JSON.stringify. That is the work no JSON pipeline on Node
 * avoids; what a worker takes beyond it is sluice's own (framing, batches, queue, filters).
 */
import { pythonLogstashLines, type BenchResult } from './lib.js';

const NEWLINE = 0x0a;

export function nodeCeiling(seconds: number): BenchResult {
  const lines = pythonLogstashLines(8192);
  const chunk = Buffer.from(`${lines.join('\n')}\n`);
  let events = 0;
  let passes = 0;
  let written = 0;
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const until = started + BigInt(Math.round(seconds * 1e9));
  while (process.hrtime.bigint() < until) {
    for (let at = 0, end = chunk.indexOf(NEWLINE); end !== -1; at = end + 1, end = chunk.indexOf(NEWLINE, at)) {
      written += JSON.stringify(JSON.parse(chunk.toString('utf8', at, end)) as unknown).length;
      events++;
    }
    passes++;
  }
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  // Read, so that the serializing cannot be left out as unused.
  if (written === 0) throw new Error('nothing was serialized');
  return {
    name: 'one Node core: split, JSON.parse, JSON.stringify (in the bench process, no sockets)',
    events,
    seconds: elapsed,
    eventsPerSecond: events / elapsed,
    mibPerSecond: (passes * chunk.length) / 1048576 / elapsed,
    cpuPercent: ((cpu.user + cpu.system) / 1e6 / elapsed) * 100,
    peakRssMiB: NaN,
    peakTreeRssMiB: NaN,
    bytesPerEvent: chunk.length / lines.length,
  };
}
