/**
 * The beats input holds clients to the protocol: sequence numbers run 1..n inside a window (v1:
 * on by one from wherever the forwarder's running count is), and a stream that stops inside a
 * frame is reported. Raw sockets with hand-made frames, a real `sluice run`.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { killAllSluices, startSluice, type SluiceProcess } from '../../helpers/sluice.js';
import { connectTcp } from '../../helpers/net.js';
import { compressedFrame, dataFrame, jsonFrame, parseAcks, windowFrame } from './frames.js';

afterAll(killAllSluices);

function start(): Promise<SluiceProcess> {
  return startSluice(`
api: { port: 0 }
inputs:
  - { type: beats, id: beats, port: 0 }
outputs:
  - { type: stdout }
`);
}

/** Sends `payload` on a new connection and waits for the server to close it; returns what it sent back. */
async function sendUntilClosed(port: number, payload: Buffer): Promise<Buffer> {
  const socket = await connectTcp(port);
  const received: Buffer[] = [];
  socket.on('data', (d: Buffer) => received.push(d));
  socket.on('error', () => undefined);
  const closed = once(socket, 'close');
  socket.write(payload);
  await closed;
  return Buffer.concat(received);
}

describe('beats input: sequence numbers', () => {
  it.each([
    ['a window sent as 3, 1, 2', Buffer.concat([windowFrame(3), jsonFrame(3, { m: 'c' }), jsonFrame(1, { m: 'a' }), jsonFrame(2, { m: 'b' })]), 6, 'sequence number 3 out of order: expected 1'],
    ['a window of 2 with seq 1000', Buffer.concat([windowFrame(2), jsonFrame(1000, { m: 'a' }), jsonFrame(1001, { m: 'b' })]), 6, 'sequence number 1000 beyond the window of 2 events'],
    ['a repeated seq, inside a compressed frame', Buffer.concat([windowFrame(2), compressedFrame(Buffer.concat([jsonFrame(1, { m: 'a' }), jsonFrame(1, { m: 'a' })]))]), 6, 'sequence number 1 out of order: expected 2'],
    ['a v1 window with a gap', Buffer.concat([windowFrame(2, '1'), dataFrame(41, { line: 'x' }), dataFrame(43, { line: 'y' })]), 6 + dataFrame(41, { line: 'x' }).length, 'sequence number 43 out of order: expected 42'],
  ])('closes %s, never ACKs it, and counts a protocol error', async (_name, payload, offset, message) => {
    const sluice = await start();
    const sent = await sendUntilClosed(sluice.port('beats'), payload);
    expect(parseAcks(sent).filter((a) => a.seq > 0)).toEqual([]);
    const line = await sluice.waitForLog((l) => l.code === 'SLUICE_SEQUENCE');
    expect(String(line.msg)).toContain(message);
    expect(String(line.remote)).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(line.offset).toBe(offset);
    expect(await sluice.counter('protocol_errors_total', 'beats')).toBe(1);
    expect(await sluice.counter('sequence_errors_total', 'beats')).toBe(1);
    expect(await sluice.stop()).toBe(0);
  });

  it('still ACKs well-numbered windows on the same port, v2 and v1', async () => {
    const sluice = await start();
    const socket = await connectTcp(sluice.port('beats'));
    const received: Buffer[] = [];
    socket.on('data', (d: Buffer) => received.push(d));
    socket.write(Buffer.concat([windowFrame(2), jsonFrame(1, { message: 'a' }), jsonFrame(2, { message: 'b' }), windowFrame(1), jsonFrame(1, { message: 'c' })]));
    socket.write(Buffer.concat([windowFrame(2, '1'), dataFrame(7, { line: 'd' }), dataFrame(8, { line: 'e' })]));
    await sluice.waitForStdoutEvents(5);
    while (parseAcks(Buffer.concat(received)).length < 3) await once(socket, 'data');
    expect(parseAcks(Buffer.concat(received))).toEqual([
      { version: '2A', seq: 2 },
      { version: '2A', seq: 1 },
      { version: '1A', seq: 8 },
    ]);
    expect(await sluice.counter('protocol_errors_total', 'beats')).toBe(0);
    socket.end();
    expect(await sluice.stop()).toBe(0);
  });
});

describe('beats input: a stream that stops inside a frame', () => {
  it('logs where the frame started and how much of it came, and counts it', async () => {
    const sluice = await start();
    const socket = await connectTcp(sluice.port('beats'));
    socket.on('data', () => undefined);
    const head = Buffer.concat([windowFrame(2), jsonFrame(1, { message: 'whole' })]);
    const cut = jsonFrame(2, { message: 'cut short' }).subarray(0, 13);
    socket.write(head);
    await sluice.waitForStdoutEvents(1);
    const closed = once(socket, 'close');
    socket.end(cut);
    await closed;
    const line = await sluice.waitForLog((l) => l.code === 'SLUICE_TRUNCATED');
    expect(line).toMatchObject({ offset: head.length, bytes: 13 });
    expect(String(line.msg)).toContain(`inside a frame at byte ${head.length}`);
    expect(String(line.msg)).toContain("after 1 of the window's 2 events");
    expect(await sluice.counter('truncated_frames_total', 'beats')).toBe(1);
    expect(await sluice.counter('protocol_errors_total', 'beats')).toBe(0);
    expect(await sluice.stop()).toBe(0);
  });

  it('counts a reset inside a frame too, and nothing for a client that leaves between windows', async () => {
    const sluice = await start();
    const port = sluice.port('beats');
    const reset = await connectTcp(port);
    reset.on('error', () => undefined);
    reset.write(Buffer.concat([windowFrame(1), Buffer.from('2J')]));
    // Wait until the server has read the partial frame: its byte counter says so.
    while ((await sluice.counter('bytes_in_total', 'beats')) < 8) await new Promise((r) => setTimeout(r, 20));
    reset.resetAndDestroy();
    await sluice.waitForLog((l) => l.code === 'SLUICE_TRUNCATED');

    const polite = await connectTcp(port);
    const acked = new Promise<void>((resolve) => polite.once('data', () => resolve()));
    polite.write(Buffer.concat([windowFrame(1), jsonFrame(1, { message: 'one' })]));
    await acked;
    const closed = once(polite, 'close');
    polite.end();
    await closed;
    expect(await sluice.settledCounter('connections_open', 'beats', 0)).toBe(0);
    expect(await sluice.counter('truncated_frames_total', 'beats')).toBe(1);
    expect(await sluice.stop()).toBe(0);
  });
});
