/** The statsd input on raw datagrams: DogStatsD tags, refusals, intervals and workers. */
import dgram from 'node:dgram';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseStatsdLine } from '../../../inputs/statsd/parse.js';
import { StatsdAggregator } from '../../../inputs/statsd/aggregator.js';
import { Metrics } from '../../../pipeline/metrics.js';
import { exposed, startStatsd } from './helpers.js';
import { statsdInput } from '../../../inputs/statsd/index.js';
import { parseConfigText } from '../../../config/load.js';
import { createLogger } from '../../../pipeline/logger.js';
import { Pipeline } from '../../../pipeline/runner.js';

async function send(port: number, ...datagrams: string[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  for (const datagram of datagrams) await new Promise<void>((resolve, reject) => socket.send(datagram, port, '127.0.0.1', (err) => (err ? reject(err) : resolve())));
  socket.close();
}

describe('statsd line parser', () => {
  it('reads the types, sample rates, deltas and tags', () => {
    expect(parseStatsdLine('a.b:3|c|@0.5|#env:prod,canary')).toEqual({ ok: true, line: { name: 'a.b', type: 'c', value: 3, delta: false, member: '', rate: 0.5, tags: { env: 'prod', canary: 'true' }, tagText: '#env:prod,canary' } });
    expect(parseStatsdLine('q:-4|g')).toMatchObject({ ok: true, line: { value: -4, delta: true } });
    expect(parseStatsdLine('q:4|g')).toMatchObject({ ok: true, line: { value: 4, delta: false } });
    expect(parseStatsdLine('u:ann|s')).toMatchObject({ ok: true, line: { type: 's', member: 'ann' } });
    expect(parseStatsdLine('t:1.5|h')).toMatchObject({ ok: true, line: { type: 'ms', value: 1.5 } });
  });

  it('refuses malformed lines with the reason', () => {
    expect(parseStatsdLine('nocolon')).toEqual({ ok: false, reason: 'expected name:value|type' });
    expect(parseStatsdLine('a:1')).toEqual({ ok: false, reason: 'expected name:value|type' });
    expect(parseStatsdLine('a:1|x')).toEqual({ ok: false, reason: 'unknown metric type "x" (expected c, ms, g or s)' });
    expect(parseStatsdLine('a:abc|c')).toEqual({ ok: false, reason: 'value "abc" is not a number' });
    expect(parseStatsdLine('a:1|c|@2')).toEqual({ ok: false, reason: 'sample rate "@2" is not in (0, 1]' });
    expect(parseStatsdLine('a:1|c|@0')).toEqual({ ok: false, reason: 'sample rate "@0" is not in (0, 1]' });
    expect(parseStatsdLine('a:1|c|zz')).toEqual({ ok: false, reason: 'unexpected field "zz" (expected @rate or #tags)' });
  });

  it('never throws, whatever the line', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', '1', '.', ':', '|', '@', '#', ',', '-', '+', 'c', 'g', 's', 'm', 'e', ' ', '\u00e9') }), (text) => {
        const result = parseStatsdLine(text);
        if (result.ok) expect(Number.isFinite(result.line.value) && result.line.rate > 0 && result.line.rate <= 1).toBe(true);
      }),
      { numRuns: 2000 },
    );
  });

  it('feeds the aggregator without a throw, whatever the lines, and flushes', () => {
    const aggregator = new StatsdAggregator(new Metrics(), { prefix: '', percentiles: [90, 99.9], timerBuckets: [1, 10], tags: true, maxSeries: 50 });
    const piece = fc.constantFrom('a', 'b.c', ':', '|', '1', '-2', '+3', '0.5', 'c', 'ms', 'g', 's', 'h', '@0.1', '#k:v', '#le:1', ',', '_mean', 'NaN', '1e400');
    fc.assert(
      fc.property(fc.array(fc.array(piece, { maxLength: 8 }).map((parts) => parts.join('')), { maxLength: 30 }), (lines) => {
        for (const text of lines) {
          const parsed = parseStatsdLine(text);
          if (parsed.ok) aggregator.add(parsed.line);
        }
        aggregator.flush();
      }),
      { numRuns: 500 },
    );
  });
});

describe('statsd input', () => {
  it('turns DogStatsD tags into labels, per series', async () => {
    const statsd = await startStatsd({ prefix: 'app_' });
    await send(statsd.port, 'http.5xx:1|c|#service:shop\nhttp.5xx:2|c|#service:cart\nhttp.5xx:1|c|#service:shop', 'lat:10|ms|#le:x,__n:y');
    await statsd.received(4);
    await statsd.input.stop();
    expect(exposed(statsd.metrics, 'app_http_5xx')).toEqual(['app_http_5xx{service="shop"} 2', 'app_http_5xx{service="cart"} 2']);
    expect(exposed(statsd.metrics, 'app_lat_mean{')).toEqual(['app_lat_mean{tag__n="y",tag_le="x"} 10']);
  });

  it('ignores tags with tags: false, and folds tag orders into one series', async () => {
    const plain = await startStatsd({ tags: false });
    await send(plain.port, 'hits:1|c|#service:shop\nhits:2|c|#service:cart');
    await plain.received(2);
    await plain.input.stop();
    expect(exposed(plain.metrics, 'hits')).toEqual(['hits 3']);
    const tagged = await startStatsd({});
    await send(tagged.port, 'lat:10|ms|#a:1,b:2\nlat:30|ms|#b:2,a:1');
    await tagged.received(2);
    await tagged.input.stop();
    expect(exposed(tagged.metrics, 'lat_mean{')).toEqual(['lat_mean{a="1",b="2"} 20']);
  });

  it('counts malformed lines and logs them with the sender and the line, rate-limited, and goes on', async () => {
    const statsd = await startStatsd({});
    await send(statsd.port, 'good:1|c\nbad line\nworse:1|zz', 'good:1|c\r\n\n', 'good:1|g', 'neg:-1|c');
    await statsd.received(6);
    await statsd.input.stop();
    expect(statsd.metrics.sum('statsd_lines_total')).toBe(2);
    // A second type for one name would make the exposition invalid; a counter cannot go down.
    expect(statsd.metrics.sum('statsd_lines_refused_total')).toBe(4);
    expect(exposed(statsd.metrics, 'good')).toEqual(['good 2']);
    const refusals = statsd.logs.filter((log) => log.code === 'SLUICE_STATSD_LINE_REFUSED');
    // One report per 10 s, then the count of the rest at stop.
    expect(refusals).toHaveLength(2);
    expect(refusals[0]).toMatchObject({ line: 'bad line', reason: 'expected name:value|type', remote: { ip: '127.0.0.1' } });
    expect(refusals[1]).toMatchObject({ refused: 3 });
  });

  it('counts set members per interval and keeps gauges across intervals', async () => {
    const statsd = await startStatsd({ flush_interval: 0.3 });
    const seen = async (line: string): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (!exposed(statsd.metrics, 'users').includes(line) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
      expect(exposed(statsd.metrics, 'users')).toEqual([line]);
    };
    try {
      await send(statsd.port, 'users:ann|s\nusers:bob|s\nusers:ann|s\nq:7|g');
      await seen('users 2');
      await send(statsd.port, 'users:cid|s');
      await seen('users 1');
      // An interval without members: the set is empty, as statsd reports it.
      await seen('users 0');
      expect(exposed(statsd.metrics, 'q')).toEqual(['q 7']);
    } finally {
      await statsd.input.stop();
    }
  });

  it('refuses new series beyond max_series', async () => {
    const statsd = await startStatsd({ max_series: 2 });
    await send(statsd.port, 'a:1|c\nb:1|c\nc:1|c\na:1|c');
    await statsd.received(4);
    await statsd.input.stop();
    expect(statsd.metrics.sum('statsd_lines_refused_total')).toBe(1);
    expect(statsd.logs.find((log) => log.code === 'SLUICE_STATSD_LINE_REFUSED')).toMatchObject({ line: 'c:1|c', reason: 'max_series (2) reached: a new series is refused' });
  });

  it('listens in worker 0 only', async () => {
    expect(statsdInput.oneProcess).toMatch(/cannot be added up across processes/);
    const yaml = "api: { enabled: false }\ninputs:\n  - { type: statsd, id: metrics, port: 0 }\n  - { type: udp, id: datagrams, port: 0 }\noutputs:\n  - { type: 'null' }\n";
    const addresses = async (index: number) => {
      const pipeline = new Pipeline(parseConfigText(yaml, 'test', {}), createLogger('silent'), { index, count: 2 });
      const { inputs } = await pipeline.start();
      await pipeline.stop();
      return inputs.map((input) => input.id);
    };
    expect(await addresses(0)).toEqual(['metrics', 'datagrams']);
    expect(await addresses(1)).toEqual(['datagrams']);
  });
});
