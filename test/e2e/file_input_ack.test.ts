/**
 * The file input's checkpoint follows the pipeline's acks, with the real engine behind
 * `pipeline.ack: end_to_end`: while the engine rejects the lines (a mapping they do not fit,
 * no dead letter queue) the checkpoint stays and the file is read again, after a pause that
 * grows; once the engine takes them they arrive once and the checkpoint moves past them.
 */
import { afterAll, describe, expect, it, inject } from 'vitest';
import { appendFileSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { count, engineJson, uniqueName, waitForCount } from '../helpers/engine_client.js';

afterAll(killAllSluices);

const ENGINE = inject('engineUrl');

function checkpointOffsets(dir: string): number[] {
  try {
    const parsed = JSON.parse(readFileSync(join(dir, 'checkpoint', 'checkpoints.json'), 'utf8')) as { files: Record<string, { offset: number }> };
    return Object.values(parsed.files).map((entry) => entry.offset);
  } catch {
    return [];
  }
}

describe('file input acks', () => {
  it('reads a file again from its checkpoint while the engine refuses its lines, then delivers them once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-file-ack-'));
    const index = uniqueName('sluice-file-ack');
    // `message` as an integer: every text line is rejected with a 400.
    await engineJson(ENGINE, `/${index}`, { method: 'PUT', body: { mappings: { properties: { message: { type: 'integer' } } } } });
    writeFileSync(join(dir, 'app.log'), '');
    const proc = await startSluice(`
api: { port: 0 }
pipeline: { ack: end_to_end }
inputs:
  - { type: file, id: acked, paths: ["${dir}/*.log"], checkpoint_path: "${dir}/checkpoint", checkpoint_interval: 0.1, stat_interval: 0.05 }
outputs:
  - { type: elasticsearch, hosts: ["${ENGINE}"], index: "${index}", dead_letter_queue: { enabled: false }, batch: { timeout: 0.1 } }
`);
    const text = 'first line\nsecond line\nthird line\n';
    appendFileSync(join(dir, 'app.log'), text);
    const refusals = () => proc.logLines.filter((l) => typeof l.msg === 'string' && l.msg.includes('was not accepted'));
    await proc.waitForLog(() => refusals().length >= 2, 20_000);
    expect(refusals()[0]).toMatchObject({ path: join(dir, 'app.log'), offset: 0 });
    expect(await proc.counter('file_ack_failures_total', 'acked')).toBeGreaterThanOrEqual(2);
    expect(checkpointOffsets(dir)).toEqual([0]);

    // The mapping goes; the next read of the file is taken.
    await engineJson(ENGINE, `/${index}`, { method: 'DELETE' });
    expect(await waitForCount(ENGINE, index, 3, 30_000)).toBe(3);
    // Written every checkpoint_interval once the acks moved it: looked at until then.
    for (const deadline = Date.now() + 10_000; checkpointOffsets(dir)[0] !== Buffer.byteLength(text) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, 50));
    expect(checkpointOffsets(dir)).toEqual([Buffer.byteLength(text)]);
    await proc.stop();
    expect(await count(ENGINE, index)).toBe(3);
  });
});
