import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { connectTcp, sendTcp } from '../helpers/net.js';

afterAll(killAllSluices);

const PIPELINE = `
api: { port: 0 }
pipeline:
  queue: { max_events: 500 }
inputs:
  - { type: tcp, id: in, port: 0 }
outputs:
  - { type: stdout }
`;

describe('graceful shutdown', () => {
  it('on SIGTERM stops accepting, drains what was received, and exits 0', async () => {
    const sluice = await startSluice(PIPELINE);
    const port = sluice.port('in');
    const count = 5000;
    await sendTcp(port, Array.from({ length: count }, (_, i) => JSON.stringify({ message: `e${i}` })).join('\n') + '\n');
    expect(await sluice.stop('SIGTERM')).toBe(0);
    expect(sluice.stdoutLines.length).toBe(count);
    const stopped = sluice.logLines.find((l) => l.msg === 'stopped');
    expect(stopped).toMatchObject({ events_in: count, events_out: count, dropped: 0 });
    await expect(connectTcp(port)).rejects.toThrow(/ECONNREFUSED/);
  });

  it('on SIGINT drains an open connection that is still sending', async () => {
    const sluice = await startSluice(PIPELINE);
    const socket = await connectTcp(sluice.port('in'));
    socket.write('{"message":"first"}\n');
    await sluice.waitForStdoutEvents(1);
    const exited = sluice.stop('SIGINT');
    socket.end('{"message":"last"}\n');
    expect(await exited).toBe(0);
    expect(sluice.stdoutEvents().map((e) => e.message)).toEqual(['first', 'last']);
  });

  it('a second signal exits at once even when the output is stuck', async () => {
    const sluice = await startSluice(PIPELINE, { stdout: 'stall' });
    const socket = await connectTcp(sluice.port('in'));
    socket.write(`${JSON.stringify({ message: 'x'.repeat(500) })}\n`.repeat(3000));
    await sluice.waitForLog(() => true);
    // Wait until the queue holds events that cannot drain (stdout is never read).
    for (let i = 0; i < 200 && (await sluice.counter('queue_events')) === 0; i++) await new Promise((r) => setTimeout(r, 25));
    sluice.child.kill('SIGTERM');
    await sluice.waitForLog((l) => l.msg === 'stopping: inputs first');
    const started = Date.now();
    const code = await sluice.stop('SIGTERM', 5000);
    expect(code).toBe(143);
    expect(Date.now() - started).toBeLessThan(3000);
    socket.destroy();
  });
});
