import { afterAll, describe, expect, it } from 'vitest';
import { createSocket } from 'node:dgram';
import { readFileSync } from 'node:fs';
import { killAllSluices, startSluice } from '../helpers/sluice.js';

afterAll(killAllSluices);

function sender() {
  const socket = createSocket('udp4');
  return {
    send: (port: number, text: string | Buffer) => new Promise<void>((resolve, reject) => socket.send(text, port, '127.0.0.1', (err) => (err ? reject(err) : resolve()))),
    close: () => socket.close(),
  };
}

describe('udp input', () => {
  it('decodes one message per datagram, up to 64 KiB, with the sender in @metadata', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: udp, id: udp_in, port: 0 }
  - { type: udp, id: syslog_udp, port: 0, codec: syslog }
outputs:
  - { type: stdout, metadata: true }
`);
    const client = sender();
    const big = 'x'.repeat(65_000);
    await client.send(sluice.port('udp_in'), JSON.stringify({ message: 'small' }));
    await client.send(sluice.port('udp_in'), JSON.stringify({ message: big }));
    await client.send(sluice.port('syslog_udp'), '<13>Nov 22 10:01:02 host app: first line\nsecond line of one datagram');
    const events = await sluice.waitForStdoutEvents(3);
    client.close();
    const byMessage = new Map(events.map((e) => [String(e.message).slice(0, 20), e]));
    expect(byMessage.get('small')?.['@metadata']).toMatchObject({ input: { type: 'udp', id: 'udp_in', remote: { ip: '127.0.0.1' } } });
    expect(events.some((e) => e.message === big)).toBe(true);
    expect(events.find((e) => e.message === 'first line\nsecond line of one datagram')).toMatchObject({ log: { syslog: { appname: 'app' } } });
    expect(await sluice.stop()).toBe(0);
  });

  it('json: a datagram is one document, pretty-printed or not; batched JSON lines and plain text still decode', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: udp, id: json_in, port: 0 }
  - { type: udp, id: lines_in, port: 0, codec: json_lines }
outputs:
  - { type: stdout, metadata: true }
`);
    const client = sender();
    await client.send(sluice.port('json_in'), JSON.stringify({ message: 'pretty', nested: { a: 1 } }, null, 2));
    await client.send(sluice.port('json_in'), '{"message":"batched-1"}\n{"message":"batched-2"}\n');
    await client.send(sluice.port('json_in'), '[{"message":"array-1"},{"message":"array-2"}]');
    await client.send(sluice.port('json_in'), 'plain text\nsecond plain line');
    await client.send(sluice.port('lines_in'), JSON.stringify({ message: 'split' }, null, 2));
    const events = await sluice.waitForStdoutEvents(10);
    client.close();
    const from = (id: string) => events.filter((e) => (e['@metadata'] as { input: { id: string } }).input.id === id);
    const fromJson = from('json_in');
    expect(fromJson.find((e) => e.message === 'pretty')).toMatchObject({ nested: { a: 1 } });
    expect(fromJson.map((e) => e.message).sort()).toEqual(['array-1', 'array-2', 'batched-1', 'batched-2', 'plain text', 'pretty', 'second plain line']);
    expect(fromJson.filter((e) => String(e.message).includes('plain')).every((e) => (e.tags as string[]).includes('_jsonparsefailure'))).toBe(true);
    // json_lines reads every line on its own: a pretty-printed document falls apart, as it would on TCP.
    const fromLines = from('lines_in');
    expect(fromLines).toHaveLength(3);
    expect(fromLines.every((e) => (e.tags as string[]).includes('_jsonparsefailure'))).toBe(true);
    expect(await sluice.counter('decode_failures_total', 'json_in')).toBe(2);
    expect(await sluice.stop()).toBe(0);
  });

  it('says so when the kernel grants a smaller receive buffer than asked, and not otherwise', async () => {
    // Linux grants twice min(asked, rmem_max): asking for more than twice the cap is always cut.
    const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: udp, id: capped, port: 0, receive_buffer_bytes: ${2 * rmemMax + 65536} }
  - { type: udp, id: modest, port: 0, receive_buffer_bytes: 65536 }
outputs:
  - { type: stdout }
`);
    const warning = await sluice.waitForLog((l) => l.code === 'SLUICE_UDP_BUFFER_CAPPED');
    expect(warning).toMatchObject({ port: sluice.port('capped'), asked: 2 * rmemMax + 65536, granted: 2 * rmemMax });
    expect(String(warning.msg)).toContain('net.core.rmem_max');
    expect(await sluice.stop()).toBe(0);
    expect(sluice.logLines.filter((l) => l.code === 'SLUICE_UDP_BUFFER_CAPPED')).toHaveLength(1);
  });

  it('counts and reports datagrams dropped while the queue is full, and keeps running', async () => {
    const sluice = await startSluice(
      `
api: { port: 0 }
pipeline:
  queue: { max_events: 100, max_bytes: 1048576 }
inputs:
  - { type: udp, id: udp_in, port: 0, batch_max_events: 10 }
outputs:
  - { type: stdout }
`,
      { stdout: 'stall' },
    );
    const client = sender();
    const line = JSON.stringify({ message: 'm'.repeat(2000) });
    for (let i = 0; i < 3000; i++) await client.send(sluice.port('udp_in'), line);
    client.close();
    const report = await sluice.waitForLog((l) => l.code === 'SLUICE_QUEUE_FULL', 20_000);
    expect(Number(report.dropped)).toBeGreaterThan(0);
    const dropped = await sluice.counter('events_dropped_total.queue_full', 'udp_in');
    const decoded = await sluice.counter('events_in_total', 'udp_in');
    expect(dropped).toBeGreaterThan(0);
    expect(dropped).toBeLessThanOrEqual(decoded);
    expect((await sluice.stats()).pipeline).toBeDefined();
    await sluice.stop('SIGKILL'); // stdout is stalled on purpose: no drain to wait for
  });
});
