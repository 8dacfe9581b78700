import { afterAll, describe, expect, inject, it } from 'vitest';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, runSluiceCommand, startSluice, writeConfig } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';
import { allIds, uniqueName, waitForCount } from '../helpers/engine_client.js';

afterAll(() => killAllSluices());

const engineUrl = inject('engineUrl');

function pipeline(queuePath: string, hosts: string, index: string): string {
  return `
api: { port: 0 }
pipeline:
  queue: { type: persisted, path: ${queuePath}, sync_interval: 0.01 }
  shutdown_timeout: 30
inputs:
  - { type: tcp, id: in, port: 0 }
outputs:
  - type: elasticsearch
    id: es
    hosts: [${hosts}]
    index: ${index}
    template: { install: false }
    batch: { max_events: 100, timeout: 0.2 }
    retry: { initial_backoff: 0.1, max_backoff: 0.5 }
`;
}

const lines = (n: number) => Array.from({ length: n }, (_, i) => `${JSON.stringify({ message: `event ${i}`, seq: i })}\n`).join('');

describe('persisted queue, end to end', () => {
  it('SIGTERM with the engine down: exits promptly, keeps the events on disk, and the next start delivers them once', async () => {
    const queuePath = mkdtempSync(join(tmpdir(), 'sluice-pq-e2e-'));
    const index = uniqueName('pq-sigterm');
    const down = await startSluice(pipeline(queuePath, 'http://127.0.0.1:1', index));
    await sendTcp(down.port('in'), lines(300));
    expect(await down.settledCounter('events_in_total', 'in', 300)).toBe(300);
    const stopping = Date.now();
    expect(await down.stop('SIGTERM', 15_000)).toBe(0);
    expect(Date.now() - stopping).toBeLessThan(10_000);
    const kept = down.logLines.find((l) => l.msg === 'events kept in the persisted queue for the next start');
    expect(kept?.events).toBe(300);
    // The lines are on disk as the TCP input received them (a recording), not as events serialized again.
    const segments = readdirSync(queuePath).flatMap((worker) =>
      readdirSync(join(queuePath, worker))
        .filter((name) => name.endsWith('.seg'))
        .map((name) => readFileSync(join(queuePath, worker, name))),
    );
    const onDisk = Buffer.concat(segments);
    for (let i = 0; i < 300; i += 37) expect(onDisk.includes(`${JSON.stringify({ message: `event ${i}`, seq: i })}\n`)).toBe(true);

    const status = await runSluiceCommand(['queue', 'status', '-c', down.configPath]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/300 events pending/);

    const up = await startSluice(pipeline(queuePath, engineUrl, index));
    expect(await waitForCount(engineUrl, index, 300)).toBe(300);
    const ids = await allIds(engineUrl, index);
    expect(new Set(ids).size).toBe(300);
    expect(await up.stop()).toBe(0);
    const after = await runSluiceCommand(['queue', 'status', '-c', up.configPath]);
    expect(after.stdout).toMatch(/ 0 events pending/);
  });

  it('queue check finds a damaged segment and exits 1; repair sets it aside and a start delivers the rest', async () => {
    const queuePath = mkdtempSync(join(tmpdir(), 'sluice-pq-e2e-'));
    const index = uniqueName('pq-damage');
    const config = pipeline(queuePath, 'http://127.0.0.1:1', index);
    const first = await startSluice(config);
    for (let i = 0; i < 10; i++) {
      await sendTcp(first.port('in'), lines(10));
      await first.settledCounter('events_in_total', 'in', (i + 1) * 10);
    }
    expect(await first.stop('SIGTERM', 15_000)).toBe(0);
    const folder = join(queuePath, '0');
    const segment = join(folder, readdirSync(folder).find((n) => n.endsWith('.seg')) as string);
    const bytes = readFileSync(segment);
    bytes[Math.floor(bytes.length / 2)] ^= 0x01;
    writeFileSync(segment, bytes);

    const configPath = writeConfig(config);
    const check = await runSluiceCommand(['queue', 'check', '-c', configPath]);
    expect(check.code).toBe(1);
    expect(check.stdout).toMatch(/damaged stretch at byte \d+ .*checksum mismatch\): \d+ events/);
    const repair = await runSluiceCommand(['queue', 'repair', '-c', configPath]);
    expect(repair.code).toBe(0);
    const lost = Number(/repaired: (\d+) events lost/.exec(repair.stdout)?.[1]);
    expect(lost).toBeGreaterThan(0);
    expect(readdirSync(folder).some((n) => n.includes('.damaged-'))).toBe(true);
    expect((await runSluiceCommand(['queue', 'check', '-c', configPath])).code).toBe(0);

    const up = await startSluice(pipeline(queuePath, engineUrl, index));
    expect(await waitForCount(engineUrl, index, 100 - lost)).toBe(100 - lost);
    expect(await up.stop()).toBe(0);
  });
});
