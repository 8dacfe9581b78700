import { describe, expect, it } from 'vitest';
import { graphiteOutput } from '../../../outputs/graphite/index.js';
import { carbonLines } from '../../../outputs/graphite/lines.js';
import { Metrics } from '../../../pipeline/metrics.js';
import { standaloneContext } from '../../../pipeline/plugin_context.js';
import { freePort } from '../../interop/lib/programs.js';

describe('graphite output', () => {
  it('writes cumulative values as path nodes or Graphite tags, a worker node per process', () => {
    const metrics = new Metrics();
    metrics.derivedCounter('http_5xx_total', 'h', { service: 'shop.eu', code: '502' }).inc(4);
    metrics.derivedHistogram('d', 'd', {}, [0.5, 1]).observe(0.7);
    expect(carbonLines(metrics.derived(), { prefix: 's.', tags: 'path' }, 100)).toEqual([
      's.http_5xx_total.shop_eu.502 4 100',
      's.d.count 1 100',
      's.d.sum 0.7 100',
      's.d.bucket.le_0_5 0 100',
      's.d.bucket.le_1 1 100',
    ]);
    expect(carbonLines(metrics.derived(), { prefix: '', tags: 'graphite', worker: 1 }, 100)[0]).toBe('http_5xx_total;service=shop.eu;code=502;worker=1 4 100');
    expect(carbonLines(metrics.derived(), { prefix: '', tags: 'path', worker: 0 }, 100)[0]).toBe('http_5xx_total.shop_eu.502.worker_0 4 100');
  });

  it('holds at most max_buffered_lines while carbon is down and counts what it drops', async () => {
    const metrics = new Metrics();
    for (let i = 0; i < 30; i++) metrics.derivedCounter('c_total', 'c', { n: String(i) }).inc();
    const port = await freePort(); // nothing listens there
    const output = graphiteOutput.create(graphiteOutput.schema.parse({ port, max_buffered_lines: 10, flush_interval: 60 }), standaloneContext('graphite', metrics));
    await output.start();
    await output.stop(1000);
    // 30 lines at stop: 20 beyond the buffer, then the 10 held, with carbon still unreachable.
    expect(metrics.sum('graphite_lines_dropped_total')).toBe(30);
    expect(metrics.sum('graphite_lines_sent_total')).toBe(0);
  });
});
