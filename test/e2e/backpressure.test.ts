import { afterAll, describe, expect, it } from 'vitest';
import { once } from 'node:events';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { connectTcp, rssBytes } from '../helpers/net.js';

afterAll(killAllSluices);

const QUEUE_EVENTS = 2000;

describe('backpressure', () => {
  it('a slow output makes a fast TCP sender block while sluice memory stays bounded; nothing is lost', async () => {
    // Nobody reads sluice's stdout: the pipe fills, the stdout output waits, the queue fills, the input pauses.
    const sluice = await startSluice(
      `
api: { port: 0 }
pipeline:
  queue: { max_events: ${QUEUE_EVENTS}, max_bytes: 4194304 }
inputs:
  - { type: tcp, id: in, port: 0 }
outputs:
  - { type: stdout }
`,
      { stdout: 'stall' },
    );
    const socket = await connectTcp(sluice.port('in'));
    const line = `${JSON.stringify({ message: 'm'.repeat(200), service: { name: 'bp' } })}\n`;
    const chunk = Buffer.from(line.repeat(1000));
    const target = 400 * 1024 * 1024; // far more than queue + socket buffers can hold
    let written = 0;
    let blocked = false;
    // Write until the socket refuses more: the kernel buffers are full because sluice stopped reading.
    while (written < target) {
      written += chunk.length;
      if (!socket.write(chunk)) {
        const drained = once(socket, 'drain').then(() => 'drained' as const);
        const stalled = new Promise<'stalled'>((resolve) => setTimeout(resolve, 1500, 'stalled'));
        if ((await Promise.race([drained, stalled])) === 'stalled') {
          blocked = true;
          break;
        }
      }
    }
    expect(blocked, 'the sender should be blocked by sluice').toBe(true);
    expect(written).toBeLessThan(target);

    const queueEvents = await sluice.counter('queue_events');
    // One read past the bound is allowed per connection (a 64 KiB chunk is ~250 events here).
    expect(queueEvents).toBeLessThanOrEqual(QUEUE_EVENTS + 1000);
    const rss = await rssBytes(sluice.pid);
    expect(rss, `sluice RSS ${Math.round(rss / 1048576)} MiB`).toBeLessThan(250 * 1024 * 1024);

    // Unblock the reader: everything the sender managed to write arrives.
    const sentEvents = written / line.length;
    sluice.readStdout();
    socket.end();
    const events = await sluice.waitForStdoutEvents(sentEvents, 60_000);
    expect(events.length).toBe(sentEvents);
    expect(await sluice.stop()).toBe(0);
  });
});
