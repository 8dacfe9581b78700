import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';
import { PIPELINE_NODE_FLAGS } from '../../pipeline/cluster/node_flags.js';

afterAll(killAllSluices);

const PIPELINE = `
api: { port: 0 }
pipeline:
  workers: 2
inputs:
  - { type: tcp, id: in, port: 0 }
outputs:
  - { type: stdout }
`;

function childPids(pid: number): number[] {
  const text = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').trim();
  return text ? text.split(' ').map(Number) : [];
}

describe('pipeline.workers: several processes', () => {
  it('spreads connections over worker processes, keeps stdout lines whole, sums /stats, and stops cleanly', async () => {
    const sluice = await startSluice(PIPELINE);
    expect(childPids(sluice.pid)).toHaveLength(2);
    // The primary was started without them: each worker runs with the pipeline's V8 settings.
    for (const child of childPids(sluice.pid)) expect(readFileSync(`/proc/${child}/cmdline`, 'utf8').split('\0')).toEqual(expect.arrayContaining([...PIPELINE_NODE_FLAGS]));
    const port = sluice.port('in');
    const connections = 8;
    const perConnection = 3000;
    const body = (c: number) => Array.from({ length: perConnection }, (_, i) => JSON.stringify({ message: `c${c}-${i}`, pad: 'p'.repeat(200) })).join('\n') + '\n';
    await Promise.all(Array.from({ length: connections }, (_, c) => sendTcp(port, body(c))));
    const events = await sluice.waitForStdoutEvents(connections * perConnection);
    // Every line parsed (waitForStdoutEvents parses them all): no line was cut by another worker's write.
    expect(new Set(events.map((e) => e.message)).size).toBe(connections * perConnection);
    expect(await sluice.counter('events_in_total', 'in')).toBe(connections * perConnection);
    expect(await sluice.counter('workers')).toBe(2);
    const workerLogs = new Set(sluice.logLines.filter((l) => l.msg === 'listening').map((l) => l.worker));
    expect(workerLogs).toEqual(new Set([0, 1]));
    expect(await sluice.stop()).toBe(0);
    expect(sluice.logLines.find((l) => l.msg === 'stopped' && l.workers === 2)).toMatchObject({ events_in: connections * perConnection, events_out: connections * perConnection });
  });

  it('replaces a worker that dies, and keeps serving', async () => {
    const sluice = await startSluice(PIPELINE);
    const [first] = childPids(sluice.pid);
    process.kill(first, 'SIGKILL');
    await sluice.waitForLog((l) => l.msg === 'worker process died; starting a new one');
    await sluice.waitForLog((l) => l.msg === 'listening' && sluice.logLines.filter((x) => x.msg === 'listening').length >= 3);
    await sendTcp(sluice.port('in'), '{"message":"after the crash"}\n');
    await sendTcp(sluice.port('in'), '{"message":"and again"}\n');
    const events = await sluice.waitForStdoutEvents(2);
    expect(events.map((e) => e.message).sort()).toEqual(['after the crash', 'and again']);
    expect(await sluice.stop()).toBe(0);
  });
});
