/**
 * `max_connections` is the input's limit whatever `pipeline.workers` is: the primary hands out
 * connection slots to its workers. Real connections, a real `sluice run` with two workers.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type net from 'node:net';
import { killAllSluices, startSluice, type SluiceProcess } from '../helpers/sluice.js';
import { connectTcp } from '../helpers/net.js';

afterAll(killAllSluices);

interface Client {
  socket: net.Socket;
  closed: boolean;
  whenClosed: Promise<void>;
}

async function open(port: number): Promise<Client> {
  const socket = await connectTcp(port);
  socket.on('error', () => undefined);
  socket.on('data', () => undefined);
  const client: Client = { socket, closed: false, whenClosed: Promise.resolve() };
  client.whenClosed = new Promise((resolve) =>
    socket.once('close', () => {
      client.closed = true;
      resolve();
    }),
  );
  return client;
}

/** Opens `count` connections one after the other, each sending one line naming it. */
async function openAndSend(port: number, count: number, prefix = 'c'): Promise<Client[]> {
  const clients: Client[] = [];
  for (let i = 0; i < count; i++) {
    const client = await open(port);
    client.socket.write(`{"message":"${prefix}${i}"}\n`);
    clients.push(client);
  }
  return clients;
}

/** Resolves once `count` of `clients` were closed by the server. */
async function closedCount(clients: Client[], count: number): Promise<void> {
  let closed = 0;
  await new Promise<void>((resolve) => {
    for (const c of clients) void c.whenClosed.then(() => ++closed === count && resolve());
  });
}

async function served(sluice: SluiceProcess, count: number): Promise<string[]> {
  return (await sluice.waitForStdoutEvents(count)).map((e) => e.message as string);
}

describe('max_connections with pipeline.workers: 2', () => {
  it('accepts exactly max_connections for the input as a whole, refuses and counts the rest, and frees slots on close', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
pipeline: { workers: 2 }
inputs:
  - { type: tcp, id: in, port: 0, max_connections: 10 }
outputs:
  - { type: stdout }
`);
    const port = sluice.port('in');
    const clients = await openAndSend(port, 15);
    await closedCount(clients, 5);
    // Which five is the workers' race for the last slots; that ten are served is not.
    const open = clients.flatMap((c, i) => (c.closed ? [] : [`c${i}`]));
    expect((await served(sluice, 10)).sort()).toEqual(open.sort());
    expect(await sluice.counter('connections_refused_total', 'in')).toBe(5);
    expect(clients.filter((c) => c.closed)).toHaveLength(5);
    expect(await sluice.counter('connections_accepted_total', 'in')).toBe(10);
    expect(await sluice.counter('connections_open', 'in')).toBe(10);
    // Both workers served: the limit is not one worker's.
    const workers = new Set(sluice.logLines.filter((l) => l.msg === 'listening').map((l) => l.worker));
    expect(workers).toEqual(new Set([0, 1]));
    // Refusals are reported, not one warning each: the first at once, the rest with a count.
    const refusals = sluice.logLines.filter((l) => l.code === 'SLUICE_TOO_MANY_CONNECTIONS');
    expect(refusals.length).toBeGreaterThan(0);
    expect(refusals.length).toBeLessThanOrEqual(2); // one per worker until the interval ends

    // Three close; three new ones take their slots, whichever worker gets them.
    const served10 = clients.filter((c) => !c.closed);
    await Promise.all(
      served10.slice(0, 3).map((c) => {
        c.socket.end();
        return c.whenClosed;
      }),
    );
    expect(await sluice.settledCounter('connections_open', 'in', 7)).toBe(7);
    const more = await openAndSend(port, 4, 'n');
    await closedCount(more, 1);
    expect(more.filter((c) => c.closed)).toHaveLength(1);
    const newlyServed = more.flatMap((c, i) => (c.closed ? [] : [`n${i}`]));
    expect((await served(sluice, 13)).filter((m) => m.startsWith('n')).sort()).toEqual(newlyServed.sort());
    expect(await sluice.counter('connections_refused_total', 'in')).toBe(6);

    for (const c of [...clients, ...more]) c.socket.end();
    expect(await sluice.stop()).toBe(0);
    // What was refused and not yet reported is reported on stop.
    const reported = sluice.logLines.filter((l) => l.code === 'SLUICE_TOO_MANY_CONNECTIONS').reduce((n, l) => n + (l.refused as number), 0);
    expect(reported).toBe(6);
  }, 60_000);

  it('with one process, refusals are rate-limited too', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
pipeline: { workers: 1 }
inputs:
  - { type: tcp, id: in, port: 0, max_connections: 2 }
outputs:
  - { type: stdout }
`);
    const clients = await openAndSend(sluice.port('in'), 12);
    await Promise.all(clients.slice(2).map((c) => c.whenClosed));
    expect(await sluice.counter('connections_refused_total', 'in')).toBe(10);
    const lines = sluice.logLines.filter((l) => l.code === 'SLUICE_TOO_MANY_CONNECTIONS');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ refused: 1, max_connections: 2 });
    for (const c of clients) c.socket.end();
    expect(await sluice.stop()).toBe(0);
    const all = sluice.logLines.filter((l) => l.code === 'SLUICE_TOO_MANY_CONNECTIONS');
    expect(all).toHaveLength(2);
    expect(all[1]).toMatchObject({ refused: 9 });
  }, 60_000);
});
