/**
 * The beats input with hand-made frames and the stdout output: ACK order and sequence numbers,
 * fields, and the connection rules (idle clients, broken windows) no real client exercises.
 */
import { afterAll, describe, expect, inject, it } from 'vitest';
import { once } from 'node:events';
import net from 'node:net';
import { killAllSluices, startSluice, type SluiceProcess } from '../../helpers/sluice.js';
import { connectTcp } from '../../helpers/net.js';
import { engineJson, uniqueName } from '../../helpers/engine_client.js';

const engineUrl = inject('engineUrl');
import { compressedFrame, dataFrame, jsonFrame, parseAcks, windowFrame } from './frames.js';

afterAll(killAllSluices);

function start(inputOptions = '', filters = ''): Promise<SluiceProcess> {
  return startSluice(`
api: { port: 0 }
inputs:
  - { type: beats, id: beats, port: 0${inputOptions} }
${filters}outputs:
  - { type: stdout }
`);
}

type Acks = ReturnType<typeof parseAcks>;

/** Everything the server sends on `socket`, as ACK frames, and ways to wait for more. */
function ackReader(socket: net.Socket): { acks(): Acks; until(done: (acks: Acks) => boolean): Promise<Acks>; waitFor(n: number): Promise<Acks> } {
  const received: Buffer[] = [];
  const waiters: Array<() => void> = [];
  socket.on('data', (d: Buffer) => {
    received.push(d);
    for (const wake of waiters.splice(0)) wake();
  });
  const acks = () => parseAcks(Buffer.concat(received));
  const until = async (done: (acks: Acks) => boolean) => {
    while (!done(acks())) await new Promise<void>((resolve) => waiters.push(resolve));
    return acks();
  };
  return { acks, until, waitFor: (n) => until((a) => a.length >= n) };
}

const windowAcks = (acks: Acks) => acks.filter((a) => a.seq > 0);

/** A window of `n` events of ~300 bytes: more than the stdout pipe holds while nobody reads it. */
function bigWindow(n: number): Buffer {
  const frames = [windowFrame(n)];
  for (let i = 1; i <= n; i++) frames.push(jsonFrame(i, { message: `event ${i} ${'x'.repeat(300)}` }));
  return Buffer.concat(frames);
}

const endToEnd = `
api: { port: 0 }
pipeline: { ack: end_to_end }
inputs:
  - { type: beats, id: beats, port: 0, keepalive_interval: 0.1, close_grace: 30 }
outputs:
  - { type: stdout }
`;

describe('beats input: ACKs', () => {
  it('ACKs pipelined windows in order, each with its last sequence number; an empty window gets A 0', async () => {
    const sluice = await start();
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    // Filebeat's pipelining: the next window is sent before the first is ACKed.
    socket.write(
      Buffer.concat([
        windowFrame(2),
        jsonFrame(1, { message: 'a1' }),
        jsonFrame(2, { message: 'a2' }),
        windowFrame(0),
        windowFrame(3),
        compressedFrame(Buffer.concat([jsonFrame(1, { message: 'b1' }), jsonFrame(2, { message: 'b2' }), jsonFrame(3, { message: 'b3' })])),
      ]),
    );
    expect(await reader.waitFor(3)).toEqual([
      { version: '2A', seq: 2 },
      { version: '2A', seq: 0 },
      { version: '2A', seq: 3 },
    ]);
    const events = await sluice.waitForStdoutEvents(5);
    expect(events.map((e) => e.message)).toEqual(['a1', 'a2', 'b1', 'b2', 'b3']);
    socket.end();
    expect(await sluice.stop()).toBe(0);
  });

  it('ACKs a v1 window with the forwarder\'s running sequence number, as a v1 ACK', async () => {
    const sluice = await start();
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    socket.write(Buffer.concat([windowFrame(2, '1'), compressedFrame(Buffer.concat([dataFrame(41, { line: 'x' }), dataFrame(42, { line: 'y' })]), '1')]));
    expect(await reader.waitFor(1)).toEqual([{ version: '1A', seq: 42 }]);
    socket.write(Buffer.concat([windowFrame(1, '1'), dataFrame(43, { line: 'z' })]));
    expect(await reader.waitFor(2)).toEqual([
      { version: '1A', seq: 42 },
      { version: '1A', seq: 43 },
    ]);
    socket.end();
    expect(await sluice.stop()).toBe(0);
  });
});

describe('beats input: ACKs follow the ack mode', () => {
  it('end_to_end: a window is ACKed only once the output has delivered it, with keepalives until then', async () => {
    const sluice = await startSluice(endToEnd, { stdout: 'stall' });
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    socket.write(bigWindow(1000));
    const early = await reader.waitFor(3);
    expect(early.every((a) => a.version === '2A' && a.seq === 0)).toBe(true);
    sluice.readStdout();
    await sluice.waitForStdoutEvents(1000);
    expect(windowAcks(await reader.until((a) => windowAcks(a).length > 0))).toEqual([{ version: '2A', seq: 1000 }]);
    socket.end();
    expect(await sluice.stop()).toBe(0);
  });

  it('end_to_end: on shutdown, a window already read is delivered and ACKed before the connection ends', async () => {
    const sluice = await startSluice(endToEnd, { stdout: 'stall' });
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    socket.write(bigWindow(1000));
    // A keepalive is sent only once the whole window is read and waits on the output.
    await reader.waitFor(1);
    const ended = once(socket, 'end');
    const stopped = sluice.stop();
    await sluice.waitForLog((l) => l.msg === 'stopping: inputs first');
    sluice.readStdout();
    await ended;
    expect(windowAcks(reader.acks())).toEqual([{ version: '2A', seq: 1000 }]);
    expect(await stopped).toBe(0);
    expect(sluice.stdoutLines).toHaveLength(1000);
  });
});

describe('beats input: a failed outcome', () => {
  it('end_to_end: a window an output gave up on is never ACKed; the connection ends so the client resends', async () => {
    // The engine rejects every event of the window for good (a mapping conflict) and there is no
    // dead letter file: the output gives up on them.
    const index = uniqueName('beats-failed');
    await engineJson(engineUrl, `/${index}`, { method: 'PUT', body: { mappings: { properties: { message: { type: 'long' } } } } });
    const sluice = await startSluice(`
api: { port: 0 }
pipeline: { ack: end_to_end }
inputs:
  - { type: beats, id: beats, port: 0, keepalive_interval: 0.1 }
outputs:
  - type: elasticsearch
    id: es
    hosts: ['${engineUrl}']
    index: ${index}
    template: { install: false }
    batch: { timeout: 0.05 }
    dead_letter_queue: { enabled: false }
`);
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    const ended = once(socket, 'end');
    socket.write(bigWindow(5));
    await ended;
    expect(windowAcks(reader.acks())).toEqual([]);
    expect(await sluice.settledCounter('output_events_dropped_total', 'es', 5)).toBe(5);
    expect(await sluice.stop()).toBe(0);
  });
});

describe('beats input: fields', () => {
  it("keeps the Beat's document and @metadata, turns v1 pairs into fields with line as message, and adds the connection facts", async () => {
    // @metadata is never shipped: copy it into a field to see it.
    const sluice = await start('', "filters:\n  - { type: mutate, copy: { '[@metadata]': meta } }\n");
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    const beat = {
      '@timestamp': '2026-11-23T01:02:03.456Z',
      '@metadata': { beat: 'filebeat', type: '_doc', version: '8.15.0', _id: 'beat-chosen-id' },
      message: 'GET /health 200',
      log: { file: { path: '/var/log/app.log' }, offset: 128 },
      agent: { type: 'filebeat' },
    };
    socket.write(Buffer.concat([windowFrame(1), jsonFrame(1, beat)]));
    await reader.waitFor(1);
    socket.write(Buffer.concat([windowFrame(1, '1'), dataFrame(7, { line: 'from lsf', file: '/var/log/old.log', host: 'lsf-host', offset: '99' })]));
    await reader.waitFor(2);
    const [v2, v1] = await sluice.waitForStdoutEvents(2);
    expect(v2).toMatchObject({ '@timestamp': '2026-11-23T01:02:03.456Z', message: 'GET /health 200', log: { file: { path: '/var/log/app.log' }, offset: 128 } });
    expect(v2.meta).toMatchObject({ beat: 'filebeat', type: '_doc', version: '8.15.0', _id: 'beat-chosen-id', input: { type: 'beats', id: 'beats', remote: { ip: '127.0.0.1' } } });
    expect(v1).toMatchObject({ message: 'from lsf', offset: '99', host: { name: 'lsf-host' }, file: { path: '/var/log/old.log' } });
    expect(v1).not.toHaveProperty('line');
    expect(v1.meta).toMatchObject({ input: { type: 'beats' } });
    // No id sent: sluice gives one (a UUIDv7), as for every input.
    expect((v1.meta as { _id: string })._id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    socket.end();
    expect(await sluice.stop()).toBe(0);
  });

  it('keeps an event whose JSON is not an object, tagged, and counts it', async () => {
    const sluice = await start();
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    const broken = Buffer.from('{"message": "cut');
    const frame = Buffer.concat([Buffer.from('2J'), Buffer.from([0, 0, 0, 1]), Buffer.alloc(4), broken]);
    frame.writeUInt32BE(broken.length, 6);
    socket.write(Buffer.concat([windowFrame(1), frame]));
    expect(await reader.waitFor(1)).toEqual([{ version: '2A', seq: 1 }]);
    const [event] = await sluice.waitForStdoutEvents(1);
    expect(event).toMatchObject({ message: '{"message": "cut', tags: ['_jsonparsefailure'] });
    expect(await sluice.counter('decode_failures_total', 'beats')).toBe(1);
    socket.end();
    expect(await sluice.stop()).toBe(0);
  });
});

describe('beats input: connection rules', () => {
  it('closes a client that goes quiet mid-window at idle_timeout, without keepalives to hold it open', async () => {
    const sluice = await start(', idle_timeout: 0.5, keepalive_interval: 0.1');
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    socket.write(Buffer.concat([windowFrame(3), jsonFrame(1, { message: 'one of three' })]));
    await once(socket, 'close');
    expect(reader.acks()).toEqual([]);
    await sluice.waitForLog((l) => l.msg === 'closing idle connection');
    expect(await sluice.counter('keepalives_sent_total', 'beats')).toBe(0);
    expect(await sluice.stop()).toBe(0);
  });

  it('closes a connection whose next window starts before the previous one is complete, naming the byte', async () => {
    const sluice = await start();
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    const first = Buffer.concat([windowFrame(2), jsonFrame(1, { message: 'one of two' })]);
    socket.write(Buffer.concat([first, windowFrame(1), jsonFrame(1, { message: 'other' })]));
    await once(socket, 'close');
    const line = await sluice.waitForLog((l) => l.code === 'SLUICE_PROTOCOL');
    expect(line).toMatchObject({ offset: first.length });
    expect(String(line.msg)).toContain("window frame after 1 of the previous window's 2 events");
    expect(reader.acks()).toEqual([]);
    expect(await sluice.counter('protocol_errors_total', 'beats')).toBe(1);
    expect(await sluice.stop()).toBe(0);
  });

  it('lets go of a client that ignores the FIN sent at idle_timeout, a few seconds later', async () => {
    const sluice = await start(', idle_timeout: 0.3');
    const socket = net.connect({ port: sluice.port('beats'), host: '127.0.0.1', allowHalfOpen: true });
    socket.on('data', () => undefined);
    await once(socket, 'end');
    // The client never ends its side, and a closed peer tells it nothing: watch the server's gauge.
    expect(await sluice.counter('connections_open', 'beats')).toBe(1);
    const deadline = Date.now() + 20_000;
    while ((await sluice.counter('connections_open', 'beats')) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await sluice.counter('connections_open', 'beats')).toBe(0);
    socket.destroy();
    expect(await sluice.stop()).toBe(0);
  }, 30_000);

  it('on shutdown, ends a connection that is between windows at once and exits 0', async () => {
    const sluice = await start(', close_grace: 30');
    const socket = await connectTcp(sluice.port('beats'));
    const reader = ackReader(socket);
    socket.write(Buffer.concat([windowFrame(1), jsonFrame(1, { message: 'last' })]));
    await reader.waitFor(1);
    const closed = once(socket, 'end');
    const started = Date.now();
    expect(await sluice.stop()).toBe(0);
    await closed;
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});
