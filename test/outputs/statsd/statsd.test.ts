import { afterEach, describe, expect, it } from 'vitest';
import dgram from 'node:dgram';
import { once } from 'node:events';
import fc from 'fast-check';
import { statsdOutput } from '../../../outputs/statsd/index.js';
import { packLines, Flusher } from '../../../outputs/statsd/lines.js';
import { Metrics } from '../../../pipeline/metrics.js';
import { standaloneContext } from '../../../pipeline/plugin_context.js';

const sockets: dgram.Socket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.close();
});

async function udpListener(): Promise<{ port: number; packets: Buffer[] }> {
  const socket = dgram.createSocket('udp4');
  sockets.push(socket);
  const packets: Buffer[] = [];
  socket.on('message', (packet) => packets.push(packet));
  socket.bind(0, '127.0.0.1');
  await once(socket, 'listening');
  return { port: socket.address().port, packets };
}

describe('statsd output', () => {
  it('sends counters as increases per flush, several lines per packet, none over max_packet_bytes', async () => {
    const listener = await udpListener();
    const metrics = new Metrics();
    const output = statsdOutput.create(statsdOutput.schema.parse({ port: listener.port, prefix: 'app.', max_packet_bytes: 120, flush_interval: 60 }), standaloneContext('statsd', metrics));
    await output.start();
    const counters = Array.from({ length: 20 }, (_, i) => metrics.derivedCounter('hits_total', 'h', { service: `svc.${i}` }));
    counters.forEach((c, i) => c.inc(i + 1));
    await output.stop(1000);
    // Datagrams on loopback arrive after send's callback: wait for all 20 lines (bounded).
    const received = () => listener.packets.reduce((n, p) => n + p.toString().split('\n').length, 0);
    for (const deadline = Date.now() + 5000; received() < counters.length && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 10));
    const text = listener.packets.map((p) => p.toString());
    expect(listener.packets.every((p) => p.length <= 120)).toBe(true);
    expect(listener.packets.length).toBeGreaterThan(1);
    expect(text.some((t) => t.includes('\n'))).toBe(true);
    const lines = text.flatMap((t) => t.split('\n')).sort();
    expect(lines).toEqual(counters.map((_, i) => `app.hits_total.svc_${i}:${i + 1}|c`).sort());
  });

  it('says only what changed since the previous flush; DogStatsD tags; negative gauges from 0', () => {
    const metrics = new Metrics();
    metrics.keepObservations(2);
    const flusher = new Flusher({ prefix: '', tags: 'dogstatsd', timerMultiplier: 1000 });
    const counter = metrics.derivedCounter('c_total', 'c', { service: 'shop' });
    const gauge = metrics.derivedGauge('temp', 'g', {}, 'latest');
    const histogram = metrics.derivedHistogram('d', 'd', { service: 'shop' }, [1]);
    counter.inc(3);
    gauge.set(-4, 1);
    histogram.observe(0.25);
    expect(flusher.lines(metrics.derived())).toEqual([['c_total:3|c|#service:shop'], ['temp:0|g', 'temp:-4|g'], ['d:250|ms|#service:shop']]);
    expect(flusher.lines(metrics.derived())).toEqual([]);
    counter.inc(2);
    for (const v of [0.1, 0.2, 0.3, 0.4]) histogram.observe(v);
    const lines = flusher.lines(metrics.derived()).flat();
    expect(lines[0]).toBe('c_total:2|c|#service:shop');
    expect(lines.slice(1).every((l) => /^d:\d+\|ms\|@0\.5\|#service:shop$/.test(l))).toBe(true);
    expect(lines).toHaveLength(3);
  });

  it('packs every line once, in order, never over the limit (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string({ minLength: 1, maxLength: 40 }).map((s) => s.replace(/\n/g, '_')), { minLength: 1, maxLength: 2 })), fc.integer({ min: 30, max: 200 }), (groups, max) => {
        const { packets, tooLong } = packLines(groups, max);
        for (const packet of packets) expect(packet.length).toBeLessThanOrEqual(max);
        const sent = packets.flatMap((p) => p.toString().split('\n'));
        const fitting = groups.filter((g) => Buffer.byteLength(g.join('\n')) <= max);
        expect(sent).toEqual(fitting.flat());
        expect(tooLong).toHaveLength(groups.length - fitting.length);
      }),
    );
  });
});
