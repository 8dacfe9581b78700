/** The bench's one-core ceiling and the worker's work beside it do the work they are named for. */
import { describe, expect, it } from 'vitest';
import { ceilingPass, defaultFilters, nodeCeiling, workerPass } from '../../bench/node_ceiling.js';
import { pythonLogstashLines } from '../../bench/lib.js';

describe('nodeCeiling', () => {
  it("ships more than the ceiling writes: the worker's pass normalizes and adds trace.id and the tag", () => {
    const lines = pythonLogstashLines(512);
    const chunk = Buffer.from(`${lines.join('\n')}\n`);
    const rewritten = ceilingPass(chunk);
    expect(rewritten).toBe(lines.reduce((sum, line) => sum + line.length, 0));
    // Per line: `host` becomes {"name":...} (+9), `"trace":{"id":"..."}` (+~47), the "traced" tag (+9), the ingest fields.
    expect(workerPass(chunk, defaultFilters())).toBeGreaterThan(rewritten + lines.length * 60);
  });

  it('times both over the same passes', () => {
    const [ceiling, work] = nodeCeiling(0.05);
    expect(work.events).toBe(ceiling.events);
    expect(ceiling.events).toBeGreaterThan(0);
    expect(work.eventsPerSecond).toBeGreaterThan(0);
  });
});
