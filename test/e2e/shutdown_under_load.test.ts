/**
 * SIGTERM while TCP senders write as fast as they can: what the kernel already holds for each
 * connection is still read and delivered, and whatever is given up is counted and logged.
 */
import { afterAll, describe, expect, it } from 'vitest';
import net from 'node:net';
import { once } from 'node:events';
import { killAllSluices, startSluice, type LogLine, type SluiceProcess } from '../helpers/sluice.js';

afterAll(killAllSluices);

interface SenderRecord {
  /** Lines whose write had completed (callback called) before the server's FIN arrived. */
  completedBeforeFin: number;
  /** Lines handed to write() at all. */
  written: number;
  sawFin: boolean;
  /** How the server names this connection in its logs. */
  remote: string;
}

const LINES_PER_WRITE = 40;

/**
 * A sender writing numbered lines continuously, as a logging library with a socket handler
 * does. It stops writing when the server's FIN arrives; with `ignoreFin` it goes on (half-open)
 * until the server cuts the connection.
 */
async function sender(port: number, id: number, options: { ignoreFin?: boolean; pad?: number } = {}): Promise<{ record: SenderRecord; done: Promise<void> }> {
  const socket = net.connect({ port, host: '127.0.0.1', allowHalfOpen: options.ignoreFin === true });
  await once(socket, 'connect');
  const record: SenderRecord = { completedBeforeFin: 0, written: 0, sawFin: false, remote: `127.0.0.1:${socket.localPort}` };
  let gone = false;
  socket.on('error', () => (gone = true));
  socket.on('close', () => (gone = true));
  socket.on('end', () => (record.sawFin = true));
  socket.on('data', () => undefined);
  const pad = 'p'.repeat(options.pad ?? 100);
  const done = (async () => {
    let next = 0;
    while (!gone && (options.ignoreFin || !record.sawFin)) {
      let text = '';
      for (let i = 0; i < LINES_PER_WRITE; i++) text += `{"s":${id},"n":${next + i},"pad":"${pad}"}\n`;
      const upTo = next + LINES_PER_WRITE;
      next = upTo;
      record.written = upTo;
      const flushed = socket.write(text, (err) => {
        if (!err && !record.sawFin) record.completedBeforeFin = Math.max(record.completedBeforeFin, upTo);
      });
      // Not events.once: it rejects on the EPIPE a cut connection raises, and the loop must just stop.
      if (!flushed) await new Promise<void>((resolve) => (socket.once('drain', resolve), socket.once('close', resolve)));
    }
    if (!socket.destroyed) socket.end();
    if (!socket.destroyed) await new Promise((resolve) => socket.once('close', resolve));
  })();
  return { record, done };
}

function delivered(sluice: SluiceProcess): Map<number, number[]> {
  const bySender = new Map<number, number[]>();
  for (const event of sluice.stdoutEvents()) {
    const s = event.s as number;
    const list = bySender.get(s) ?? [];
    list.push(event.n as number);
    bySender.set(s, list);
  }
  return bySender;
}

function pipeline(workers: number, closeGrace: number): string {
  return `
api: { port: 0 }
pipeline:
  workers: ${workers}
  queue: { max_events: 2000 }
inputs:
  - { type: tcp, id: in, port: 0, close_grace: ${closeGrace} }
outputs:
  - { type: stdout }
`;
}

/** Each sender's numbers arrived in order, each once; returns how many lines it got through. */
function expectOrderedOnce(sluice: SluiceProcess, count: number): number[] {
  const got = delivered(sluice);
  return Array.from({ length: count }, (_, id) => {
    const numbers = got.get(id) ?? [];
    // Exactly once, and in order: one connection is one ordered stream.
    expect(numbers).toEqual(Array.from({ length: numbers.length }, (_, i) => i));
    return numbers.length;
  });
}

describe('SIGTERM under TCP load', () => {
  it.each([1, 2])('workers: %i: every line the senders completed before the server FIN is delivered exactly once, and the summary agrees', async (workers) => {
    const sluice = await startSluice(pipeline(workers, 10));
    const senders = await Promise.all(Array.from({ length: 6 }, (_, id) => sender(sluice.port('in'), id)));
    // Under way: the queue is full and the senders are pushed back.
    await sluice.waitForStdoutEvents(20_000, 30_000);
    expect(await sluice.stop('SIGTERM', 60_000)).toBe(0);
    await Promise.all(senders.map((s) => s.done));

    const counts = expectOrderedOnce(sluice, senders.length);
    for (const [id, { record }] of senders.entries()) {
      expect(record.sawFin).toBe(true);
      expect(counts[id]).toBeGreaterThanOrEqual(record.completedBeforeFin);
    }
    const total = sluice.stdoutLines.length;
    expect(sluice.logLines.find((l) => l.msg === 'stopped')).toMatchObject({ events_in: total, events_out: total, dropped: 0 });
    expect(discardLogs(sluice)).toEqual([]);
  }, 90_000);

  it('reads what the kernel holds past a full queue: an output stalled during the stop loses nothing', async () => {
    const sluice = await startSluice(pipeline(1, 5), { stdout: 'stall' });
    const senders = await Promise.all(Array.from({ length: 6 }, (_, id) => sender(sluice.port('in'), id)));
    // The output is stuck, so the queue fills, the sockets pause and the kernel buffers fill.
    while ((await sluice.counter('queue_events')) < 2000) await new Promise((r) => setTimeout(r, 25));
    sluice.child.kill('SIGTERM');
    // The connections end before any event leaves: what they held was read despite the full queue.
    await Promise.all(senders.map((s) => s.done));
    sluice.readStdout();
    expect(await sluice.waitForExit(60_000)).toBe(0);

    const counts = expectOrderedOnce(sluice, senders.length);
    // Delivered, or counted as discarded (only if a loaded machine could not read it all within
    // close_grace): nothing written before the FIN vanishes.
    for (const [id, { record }] of senders.entries()) expect(counts[id] + discardedFrom(sluice, record)).toBeGreaterThanOrEqual(record.completedBeforeFin);
    const total = sluice.stdoutLines.length;
    const discarded = senders.reduce((n, { record }) => n + discardedFrom(sluice, record), 0);
    expect(sluice.logLines.find((l) => l.msg === 'stopped')).toMatchObject({ events_in: total, events_out: total, dropped: discarded });
  }, 90_000);

  it('counts and logs what a sender that ignores the FIN still sends after close_grace, in the summary too', async () => {
    const sluice = await startSluice(pipeline(1, 0.5));
    const polite = await sender(sluice.port('in'), 0);
    const stubborn = await sender(sluice.port('in'), 1, { ignoreFin: true });
    await sluice.waitForStdoutEvents(5000, 30_000);
    expect(await sluice.stop('SIGTERM', 60_000)).toBe(0);
    await Promise.all([polite.done, stubborn.done]);

    const [politeCount, stubbornCount] = expectOrderedOnce(sluice, 2);
    // The polite sender's last lines may be given up too (counted) if the stubborn one used up
    // the read-ahead past the full queue; nothing of either vanishes uncounted.
    expect(politeCount + discardedFrom(sluice, polite.record)).toBeGreaterThanOrEqual(polite.record.completedBeforeFin);
    const stubbornDiscards = discardLogs(sluice).filter((l) => l.remote === stubborn.record.remote);
    expect(stubbornDiscards).toHaveLength(1);
    const [discard] = stubbornDiscards;
    expect(discard).toMatchObject({ close_grace: 0.5 });
    expect(discard.bytes).toBeGreaterThan(0);
    const lines = discard.lines as number;
    expect(lines).toBeGreaterThan(0);
    // What was delivered and what was counted never exceed what the sender wrote.
    expect(stubbornCount + lines).toBeLessThanOrEqual(stubborn.record.written);
    const total = sluice.stdoutLines.length;
    const discarded = discardedFrom(sluice, polite.record) + lines;
    expect(sluice.logLines.find((l) => l.msg === 'stopped')).toMatchObject({ events_in: total, events_out: total, dropped: discarded });
  }, 90_000);
});

function discardLogs(sluice: SluiceProcess): LogLine[] {
  return sluice.logLines.filter((l) => l.code === 'SLUICE_SHUTDOWN_DISCARD');
}

/** Lines the server said it discarded from this sender's connection. */
function discardedFrom(sluice: SluiceProcess, record: SenderRecord): number {
  return discardLogs(sluice)
    .filter((l) => l.remote === record.remote)
    .reduce((n, l) => n + (l.lines as number), 0);
}
