import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'node:net';
import { killAllSluices, startSluice, type SluiceProcess } from '../../helpers/sluice.js';
import { connectTcp, sendAndClose } from '../../helpers/net.js';
import { allIds, count, engineJson, uniqueName, waitForCount } from '../../helpers/engine_client.js';
import { engineCommand, engineLogTail, externalEngine, startEngine, stopEngine, type EngineHandle } from '../../../test/engine/engine.js';

const engines: EngineHandle[] = [];
afterAll(async () => {
  killAllSluices();
  for (const engine of engines) await stopEngine(engine).catch(() => undefined);
});

function pipeline(hosts: string[], prefix: string): string {
  return `
api: { port: 0 }
inputs:
  - { type: tcp, id: in, port: 0 }
outputs:
  - type: elasticsearch
    id: es
    hosts: [${hosts.join(', ')}]
    index: ${prefix}
    template: { name: ${prefix} }
    batch: { max_events: 500, timeout: 0.2 }
    retry: { initial_backoff: 0.1, max_backoff: 1 }
    healthcheck_interval: 0.5
`;
}

/** Sends events seq 0..total-1 in slices, calling `midway` once half are written. */
async function stream(socket: Socket, total: number, midway: () => Promise<void>): Promise<void> {
  const slice = 500;
  for (let start = 0; start < total; start += slice) {
    let text = '';
    for (let i = start; i < Math.min(total, start + slice); i++) text += `${JSON.stringify({ message: `event ${i}`, seq: i })}\n`;
    socket.write(text);
    if (start === total / 2) await midway();
    await new Promise((r) => setTimeout(r, 10));
  }
  await sendAndClose(socket, '');
}

/** What a failed count needs to be understood: sluice's last logs and the engine's view of the index. */
async function deliveryReport(url: string, index: string, sluice: SluiceProcess): Promise<string> {
  const text = (path: string) => fetch(`${url}${path}`).then((r) => r.text(), (err: Error) => `(${err.message})`);
  return [
    `sluice stderr tail:\n${sluice.rawStderr.slice(-25).join('\n')}`,
    `health: ${await text('/_cluster/health')}`,
    `shards:\n${await text(`/_cat/shards/${index}?v`)}`,
  ].join('\n');
}

async function expectExactlyOnce(url: string, index: string, total: number, sluice: SluiceProcess): Promise<void> {
  const landed = await waitForCount(url, index, total, 120_000);
  expect(landed, landed === total ? '' : await deliveryReport(url, index, sluice)).toBe(total);
  const ids = await allIds(url, index);
  expect(ids).toHaveLength(total);
  expect(new Set(ids).size).toBe(total);
  expect(await sluice.settledCounter('output_events_delivered_total', 'es', total)).toBe(total);
  expect(await sluice.counter('output_events_dropped_total', 'es')).toBe(0);
}

describe.skipIf(externalEngine())('delivery when the engine fails', () => {
  it('engine stopped mid-stream and started again: every event arrives exactly once', async () => {
    const engine = await startEngine({ state: mkdtempSync(join(tmpdir(), 'sluice-engine-restart-')) });
    engines.push(engine);
    const port = Number(new URL(engine.url).port);
    const index = uniqueName('restart');
    const sluice = await startSluice(pipeline([engine.url], index));
    // Stop the engine only once sluice is past its start-up (detection, then the template), so the
    // stop lands on bulk traffic: a stop during start-up leaves sluice retrying the start-up, with
    // no bulk request to fail.
    await sluice.waitForLog((l) => l.msg === 'index template installed', 60_000).catch((err: Error) => {
      throw new Error(`${err.message}\nengine log tail:\n${engineLogTail(engine)}`);
    });
    const socket = await connectTcp(sluice.port('in'));
    const total = 20_000;
    await stream(socket, total, async () => {
      await stopEngine(engine);
      await sluice.waitForLog((l) => l.msg === 'bulk delivery failed; retrying with backoff', 60_000);
      const restarted = await startEngine({ state: engine.env.SLUICE_ENGINE_STATE, port, keepData: true });
      expect(restarted.url).toBe(engine.url);
    });
    await expectExactlyOnce(engine.url, index, total, sluice);
    expect(await sluice.counter('bulk_request_failures_total', 'es')).toBeGreaterThan(0);
    expect(await sluice.stop()).toBe(0);
  }, 300_000);

  it('three-node cluster with one node stopped mid-stream loses nothing', async () => {
    const engine = await startEngine({ state: mkdtempSync(join(tmpdir(), 'sluice-engine-cluster-')), nodes: 3 });
    engines.push(engine);
    expect(engine.urls).toHaveLength(3);
    const index = uniqueName('cluster');
    // One replica, so a stopped node's shards have a copy elsewhere.
    await fetch(`${engine.url}/${index}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ settings: { number_of_shards: 3, number_of_replicas: 1 } }) });
    // Green: every replica is allocated and in sync. A replica still initializing cannot be
    // promoted, and a primary lost with it would leave its shard unavailable until the node returns.
    const health = await engineJson<{ status?: string }>(engine.url, `/_cluster/health/${index}?wait_for_status=green&timeout=120s`);
    expect(health.status).toBe('green');
    const sluice = await startSluice(pipeline(engine.urls, index));
    const socket = await connectTcp(sluice.port('in'));
    const total = 20_000;
    await stream(socket, total, async () => {
      expect(await engineCommand(engine, 'stop-node', '2')).toBe('ok');
    });
    await expectExactlyOnce(engine.url, index, total, sluice);
    expect(await count(engine.url, index)).toBe(total);
    expect(await sluice.stop()).toBe(0);
  }, 300_000);
});
