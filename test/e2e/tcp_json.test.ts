import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, startSluice, type JsonObject } from '../helpers/sluice.js';
import { connectTcp, sendAndClose, sendTcp } from '../helpers/net.js';

afterAll(killAllSluices);

const PIPELINE = `
api: { port: 0 }
inputs:
  - type: tcp
    id: json_in
    port: 0
    max_line_bytes: 1000
outputs:
  - type: stdout
    metadata: true
`;

describe('tcp json_lines -> stdout', () => {
  it('turns JSON lines into events with ids, timestamps and connection facts', async () => {
    const sluice = await startSluice(PIPELINE);
    const port = sluice.port('json_in');
    const lines = [
      JSON.stringify({ message: 'hello', '@timestamp': '2026-01-02T03:04:05.678Z', log: { level: 'info' } }),
      'this is not json',
      JSON.stringify([{ message: 'a' }, { message: 'b' }]),
      JSON.stringify({ message: 'bad time', '@timestamp': 'not a time' }),
    ];
    // Split mid-line across writes so framing is exercised over the wire.
    const socket = await connectTcp(port);
    const text = `${lines.join('\n')}\n`;
    socket.write(text.slice(0, 7));
    await new Promise((r) => setTimeout(r, 20));
    await sendAndClose(socket, text.slice(7));
    const events = await sluice.waitForStdoutEvents(5);
    const byMessage = new Map(events.map((e) => [e.message, e]));
    expect(byMessage.get('hello')).toMatchObject({ '@timestamp': '2026-01-02T03:04:05.678Z', log: { level: 'info' } });
    expect(byMessage.get('this is not json')).toMatchObject({ tags: ['_jsonparsefailure'] });
    expect(byMessage.has('a') && byMessage.has('b')).toBe(true);
    expect(byMessage.get('bad time')).toMatchObject({ '_@timestamp': 'not a time', tags: ['_timestampparsefailure'] });
    for (const event of events) {
      const meta = event['@metadata'] as { _id: string; input: JsonObject };
      expect(meta._id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
      expect(meta.input).toMatchObject({ type: 'tcp', id: 'json_in', remote: { ip: '127.0.0.1' } });
      expect(Date.parse(event['@timestamp'] as string)).not.toBeNaN();
    }
    expect(new Set(events.map((e) => (e['@metadata'] as { _id: string })._id)).size).toBe(5);
    expect(await sluice.stop()).toBe(0);
  });

  it('leaves @metadata out of the default json_lines output', async () => {
    const sluice = await startSluice(PIPELINE.replace('    metadata: true\n', ''));
    await sendTcp(sluice.port('json_in'), '{"message":"x"}\n');
    const [event] = await sluice.waitForStdoutEvents(1);
    expect(event).not.toHaveProperty('@metadata');
    expect(Object.keys(event).sort()).toEqual(['@timestamp', 'message']);
    await sluice.stop();
  });

  it('drops an oversize line with a logged error naming the connection, and keeps everything else', async () => {
    const sluice = await startSluice(PIPELINE);
    const port = sluice.port('json_in');
    const other = await connectTcp(port);
    other.write('{"message":"other-1"}\n');
    const socket = await connectTcp(port);
    const local = `${socket.localAddress}:${socket.localPort}`;
    await sendAndClose(socket, `{"message":"before"}\n{"message":"${'x'.repeat(5000)}"}\n{"message":"after"}\n`);
    await sendAndClose(other, '{"message":"other-2"}\n');
    const events = await sluice.waitForStdoutEvents(4);
    expect(events.map((e) => e.message).sort()).toEqual(['after', 'before', 'other-1', 'other-2']);
    const error = await sluice.waitForLog((l) => l.code === 'SLUICE_LINE_TOO_LONG');
    expect(error).toMatchObject({ remote: local.replace('::ffff:', ''), line: 2, max_line_bytes: 1000 });
    expect(String(error.msg)).toContain(`line 2 from`);
    expect(await sluice.counter('oversize_lines_total', 'json_in')).toBe(1);
    expect(await sluice.counter('events_in_total', 'json_in')).toBe(4);
    await sluice.stop();
  });

  it('handles many connections sending at once', async () => {
    const sluice = await startSluice(PIPELINE.replace('    metadata: true\n', ''));
    const port = sluice.port('json_in');
    const perConnection = 500;
    await Promise.all(
      Array.from({ length: 8 }, (_, c) =>
        sendTcp(port, Array.from({ length: perConnection }, (_, i) => JSON.stringify({ message: `c${c}-${i}` })).join('\n') + '\n'),
      ),
    );
    const events = await sluice.waitForStdoutEvents(8 * perConnection);
    expect(new Set(events.map((e) => e.message)).size).toBe(8 * perConnection);
    await sluice.stop();
  });
});
