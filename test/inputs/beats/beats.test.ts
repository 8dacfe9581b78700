/**
 * The beats input driven by a real client (Elastic's go-lumber, built by test/interop/go_lumber)
 * into a real engine, plus hand-made frames for what real clients never send.
 */
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { once } from 'node:events';
import { deflateSync } from 'node:zlib';
import { killAllSluices, startSluice, REPO_ROOT } from '../../helpers/sluice.js';
import { connectTcp } from '../../helpers/net.js';
import { makeCertificates, type TestCertificates } from '../../helpers/certs.js';
import { count, search, uniqueName, waitForCount } from '../../helpers/engine_client.js';
import { jsonFrame, parseAcks, windowFrame } from './frames.js';

const url = inject('engineUrl');
const client = join(REPO_ROOT, 'test', 'interop', 'go_lumber', 'bin', 'lumber-send');
const run = promisify(execFile);
let certs: TestCertificates;

beforeAll(() => {
  certs = makeCertificates();
});
afterAll(killAllSluices);

interface Summary {
  sent: number;
  acked: number;
  windows: number;
  resends: number;
}

async function send(port: number, args: string[]): Promise<Summary> {
  const { stdout } = await run(client, ['-addr', `127.0.0.1:${port}`, ...args], { timeout: 120_000 });
  return JSON.parse(stdout) as Summary;
}

function pipeline(index: string, options: { tls?: boolean; queue?: number } = {}): string {
  const tls = options.tls ? `\n    tls: { cert: ${certs.serverCert}, key: ${certs.serverKey}, ca: ${certs.ca}, client_auth: required }` : '';
  const queue = options.queue ? `pipeline:\n  queue: { max_events: ${options.queue} }\n  batch_size: ${Math.max(1, Math.floor(options.queue / 2))}\n` : '';
  return `
api: { port: 0 }
${queue}inputs:
  - type: beats
    id: beats
    port: 0${tls}
outputs:
  - type: elasticsearch
    id: es
    hosts: ${url}
    index: ${index}-%{[@metadata][beat]}-%{[@metadata][version]}
    template: { name: ${index} }
    batch: { timeout: 0.2 }
`;
}

describe('beats input with the go-lumber client, into the engine', () => {
  it.each([
    ['v2', ['-proto', '2', '-compression', '0'], false],
    ['v2 compressed', ['-proto', '2', '-compression', '3'], false],
    ['v1', ['-proto', '1', '-compression', '0'], false],
    ['v1 compressed over mTLS', ['-proto', '1', '-compression', '3'], true],
    ['v2 compressed over mTLS', ['-proto', '2', '-compression', '3'], true],
  ] as const)('%s: every event is ACKed once and indexed once', async (_name, flags, tls) => {
    const index = uniqueName('beats');
    const sluice = await startSluice(pipeline(index, { tls }));
    const n = 3000;
    const tlsFlags = tls ? ['-ca', certs.ca, '-cert', certs.clientCert, '-key', certs.clientKey] : [];
    const summary = await send(sluice.port('beats'), [...flags, ...tlsFlags, '-n', String(n), '-window', '256', '-marker', index]);
    expect(summary).toMatchObject({ sent: n, acked: n, windows: 12, resends: 0 });
    expect(await waitForCount(url, `${index}-*`, n)).toBe(n);
    expect(await count(url, `${index}-*`)).toBe(n);
    expect(await sluice.counter('acks_sent_total', 'beats')).toBe(12);
    const [hit] = await search(url, `${index}-*`, { term: { marker: index } }, 1);
    if (flags[1] === '2') {
      // The Beat's @metadata names the index; its fields are the document.
      expect(hit._index).toBe(`${index}-filebeat-8.15.0`);
      expect(hit._source).toMatchObject({ agent: { type: 'filebeat' }, log: { file: { path: '/var/log/app/orders.log' } }, host: { name: 'go-lumber-client' } });
    } else {
      // v1 key/values: `line` is the message, `host` and `file` are normalized to ECS objects.
      expect(hit._source).toMatchObject({ message: expect.stringContaining(`${index} event`), host: { name: 'lsf-client' }, file: { path: '/var/log/app/orders.log' } });
    }
    expect(await sluice.stop()).toBe(0);
  }, 120_000);

  it('a window larger than the whole queue still completes', async () => {
    const index = uniqueName('beats-bigwindow');
    const sluice = await startSluice(pipeline(index, { queue: 200 }));
    const summary = await send(sluice.port('beats'), ['-n', '6000', '-window', '3000', '-compression', '3', '-marker', index]);
    expect(summary).toMatchObject({ sent: 6000, acked: 6000, resends: 0 });
    expect(await waitForCount(url, `${index}-*`, 6000)).toBe(6000);
    expect(await sluice.stop()).toBe(0);
  }, 120_000);

  it('a connection cut mid-window is resent; with the Beat\'s own ids nothing is duplicated', async () => {
    const withIds = uniqueName('beats-cut-ids');
    const sluice = await startSluice(pipeline(withIds));
    const n = 2000;
    // 40 KB into the first connection: part of the first window is read and queued, none of it ACKed.
    const summary = await send(sluice.port('beats'), ['-n', String(n), '-window', '500', '-cut-after', '40000', '-ids', '-marker', withIds]);
    expect(summary.resends).toBe(1);
    expect(summary.acked).toBe(n);
    expect(await waitForCount(url, `${withIds}-*`, n)).toBe(n);
    const received = await sluice.counter('events_in_total', 'beats');
    expect(received).toBeGreaterThan(n); // the cut window's first part arrived twice...
    expect(await count(url, `${withIds}-*`, { term: { marker: withIds } })).toBe(n); // ...and was written once, under the Beat's id
    const [hit] = await search(url, `${withIds}-*`, { term: { seq: 3 } }, 1);
    expect(hit._id).toBe(`${withIds}-3`);

    const withoutIds = uniqueName('beats-cut-noids');
    const again = await send(sluice.port('beats'), ['-n', String(n), '-window', '500', '-cut-after', '40000', '-marker', withoutIds]);
    expect(again.acked).toBe(n);
    // At least once: every event is there, the resent part possibly twice.
    // Same pipeline, so the same index; the marker tells the two runs apart.
    const marked = { term: { marker: withoutIds } };
    expect(await waitForCount(url, `${withIds}-*`, n, 60_000, marked)).toBeGreaterThanOrEqual(n);
    const seqs = new Set((await search(url, `${withIds}-*`, marked)).map((h) => h._source.seq));
    expect(seqs.size).toBe(n);
    expect(await sluice.stop()).toBe(0);
  }, 120_000);
});

describe('beats input limits and bad input', () => {
  it('closes a zip bomb, an unknown version and an unknown frame type, each with an error naming the byte, and serves the others', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: beats, id: beats, port: 0, max_decompressed_bytes: 1048576 }
outputs:
  - { type: stdout }
`);
    const port = sluice.port('beats');
    const good = await connectTcp(port);
    const goodAcks: Buffer[] = [];
    good.on('data', (d: Buffer) => goodAcks.push(d));
    good.write(Buffer.concat([windowFrame(1), jsonFrame(1, { message: 'before' })]));

    const bomb = deflateSync(Buffer.alloc(32 << 20));
    const bombFrame = Buffer.concat([Buffer.from('2C'), Buffer.alloc(4), bomb]);
    bombFrame.writeUInt32BE(bomb.length, 2);
    for (const [payload, code, text] of [
      [Buffer.concat([windowFrame(1), bombFrame]), 'SLUICE_DECOMPRESSED_TOO_LARGE', 'at byte 6'],
      [Buffer.from('9W\0\0\0\1'), 'SLUICE_PROTOCOL', "unknown protocol version byte '9'"],
      [Buffer.concat([windowFrame(1), Buffer.from('2X')]), 'SLUICE_PROTOCOL', "unknown frame type 'X'"],
    ] as const) {
      const bad = await connectTcp(port);
      bad.on('data', () => undefined);
      bad.write(payload);
      await once(bad, 'close');
      const line = await sluice.waitForLog((l) => l.code === code && String(l.msg).includes(text));
      expect(String(line.remote)).toMatch(/^127\.0\.0\.1:\d+$/);
    }
    good.write(Buffer.concat([windowFrame(1), jsonFrame(1, { message: 'after' })]));
    const events = await sluice.waitForStdoutEvents(2);
    expect(events.map((e) => e.message)).toEqual(['before', 'after']);
    expect(parseAcks(Buffer.concat(goodAcks)).filter((a) => a.seq > 0)).toHaveLength(2);
    expect(await sluice.counter('protocol_errors_total', 'beats')).toBe(3);
    good.end();
    expect(await sluice.stop()).toBe(0);
  }, 60_000);

  it('while the pipeline holds a window back, sends keepalives and never ACKs it', async () => {
    const sluice = await startSluice(
      `
api: { port: 0 }
pipeline:
  queue: { max_events: 50 }
  batch_size: 10
inputs:
  - { type: beats, id: beats, port: 0, keepalive_interval: 0.2 }
outputs:
  - { type: stdout }
`,
      { stdout: 'stall' },
    );
    const socket = await connectTcp(sluice.port('beats'));
    const received: Buffer[] = [];
    const threeAcks = new Promise<void>((resolve) =>
      socket.on('data', (d: Buffer) => {
        received.push(d);
        if (Buffer.concat(received).length >= 18) resolve();
      }),
    );
    const frames = [windowFrame(5000)];
    for (let i = 1; i <= 5000; i++) frames.push(jsonFrame(i, { message: `event ${i} ${'x'.repeat(200)}` }));
    socket.write(Buffer.concat(frames));
    await threeAcks;
    const acks = parseAcks(Buffer.concat(received));
    expect(acks.length).toBeGreaterThanOrEqual(3);
    expect(acks.every((a) => a.version === '2A' && a.seq === 0)).toBe(true);
    expect(await sluice.counter('keepalives_sent_total', 'beats')).toBeGreaterThanOrEqual(3);
    socket.destroy();
    await sluice.stop('SIGKILL');
  }, 30_000);

  it('closes a connection idle for longer than idle_timeout', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: beats, id: beats, port: 0, idle_timeout: 0.3 }
outputs:
  - { type: stdout }
`);
    const socket = await connectTcp(sluice.port('beats'));
    socket.on('data', () => undefined);
    const started = Date.now();
    await once(socket, 'close');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    await sluice.waitForLog((l) => l.msg === 'closing idle connection');
    await sluice.stop();
  });

  it('refuses connections beyond max_connections', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: beats, id: beats, port: 0, max_connections: 1 }
outputs:
  - { type: stdout }
`);
    const first = await connectTcp(sluice.port('beats'));
    const second = await connectTcp(sluice.port('beats'));
    second.on('data', () => undefined);
    await once(second, 'close');
    expect(await sluice.counter('connections_refused_total', 'beats')).toBe(1);
    first.end();
    await sluice.stop();
  });
});
