/**
 * The file input against Debian's real logrotate, in both of its modes, while the test appends
 * numbered lines: sluice (pipeline.ack: end_to_end, into the real engine) is restarted
 * gracefully in the middle and later killed with SIGKILL and started again. Every line arrives
 * and none twice: the engine's count equals its distinct lines equals the lines written (with
 * copytruncate: the lines on disk, since logrotate itself loses what the writer appends between
 * its copy and its truncate; the test says how many that was).
 */
import { afterAll, beforeAll, describe, expect, it, inject } from 'vitest';
import { execFile } from 'node:child_process';
import { appendFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { killAllSluices, startSluice, type SluiceProcess } from '../../helpers/sluice.js';
import { count, engineJson, refresh, uniqueName } from '../../helpers/engine_client.js';

const run = promisify(execFile);
const ENGINE = inject('engineUrl');
const LINES = Number(process.env.LOGROTATE_TEST_LINES ?? 20_000);

afterAll(killAllSluices);

beforeAll(async () => {
  await run('logrotate', ['--version']).catch(() => {
    throw new Error('logrotate is not installed: run test/interop/logrotate/setup.sh (or test/setup.sh)');
  });
});

function pipeline(dir: string, index: string): string {
  return `
api: { port: 0 }
pipeline: { ack: end_to_end }
inputs:
  - type: file
    id: rotated
    paths: ["${dir}/app.log*"]
    exclude: ["${dir}/*.gz"]
    checkpoint_path: "${dir}/checkpoint"
    checkpoint_interval: 0.2
    discover_interval: 0.5
    stat_interval: 0.05
    rotate_wait: 1
outputs:
  - { type: elasticsearch, hosts: ["${ENGINE}"], index: "${index}", batch: { max_events: 2000, timeout: 0.2 } }
`;
}

/** Every `message` in the index (a scroll: `message` is text, there is no keyword to page on). */
async function allMessages(index: string): Promise<string[]> {
  await refresh(ENGINE, index);
  const out: string[] = [];
  type Page = { _scroll_id: string; hits: { hits: Array<{ _source: { message: string } }> } };
  let page = await engineJson<Page>(ENGINE, `/${index}/_search?scroll=1m`, { method: 'POST', body: { size: 10_000, _source: ['message'] } });
  while (page.hits.hits.length > 0) {
    for (const hit of page.hits.hits) out.push(hit._source.message);
    page = await engineJson<Page>(ENGINE, '/_search/scroll', { method: 'POST', body: { scroll: '1m', scroll_id: page._scroll_id } });
  }
  await engineJson(ENGINE, '/_search/scroll', { method: 'DELETE', body: { scroll_id: page._scroll_id } });
  return out;
}

/** Lines in every file the glob matches now: what logrotate kept of what was written. */
function linesOnDisk(dir: string): Set<string> {
  const lines = new Set<string>();
  for (const name of readdirSync(dir)) {
    if (!name.startsWith('app.log')) continue;
    for (const line of readFileSync(join(dir, name), 'utf8').split('\n')) if (line.length > 0) lines.add(line);
  }
  return lines;
}

async function waitForEngineCount(index: string, expected: number, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let last = 0;
  while (Date.now() < deadline) {
    last = await count(ENGINE, index).catch(() => 0);
    if (last >= expected) return last;
    await new Promise((r) => setTimeout(r, 250));
  }
  return last;
}

async function rotateWhileWriting(mode: 'create' | 'copytruncate'): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), `sluice-logrotate-${mode}-`));
  const log = join(dir, 'app.log');
  const conf = join(dir, 'logrotate.conf');
  const state = join(dir, 'logrotate.state');
  writeFileSync(conf, `${log} {\n  rotate 1000\n  missingok\n  nocompress\n  ${mode === 'create' ? 'create 0644' : 'copytruncate'}\n}\n`, { mode: 0o644 });
  writeFileSync(log, '');
  const index = uniqueName(`sluice-logrotate-${mode}`);
  const yaml = pipeline(dir, index);
  let sluice: SluiceProcess = await startSluice(yaml);

  const step = Math.max(1, Math.floor(LINES / 40));
  for (let written = 0, round = 0; written < LINES; round++) {
    const until = Math.min(LINES, written + step);
    // One appending open per burst (O_APPEND), as a logger that reopens its file would: a
    // rename sends the next burst to the new file, a truncate to the start of the old one.
    let burst = '';
    for (; written < until; written++) burst += `${mode} line ${String(written).padStart(7, '0')}\n`;
    appendFileSync(log, burst);
    if (round % 6 === 3) await run('logrotate', ['-f', '-s', state, conf]);
    if (round === 13) {
      expect(await sluice.stop()).toBe(0);
      sluice = await startSluice(yaml);
    }
    if (round === 26) {
      sluice.kill();
      await sluice.waitForExit(10_000);
      sluice = await startSluice(yaml);
    }
    await new Promise((r) => setImmediate(r));
  }

  const onDisk = linesOnDisk(dir);
  const got = await waitForEngineCount(index, onDisk.size, 90_000);
  // Whatever else is still coming (a duplicate would arrive now): the input has nothing more to read once its files are idle.
  await sluice.stop();
  const messages = await allMessages(index);
  const distinct = new Set(messages);
  const rotatedFiles = readdirSync(dir).filter((n) => n.startsWith('app.log.')).length;
  console.log(`logrotate ${mode}: ${LINES} written, ${onDisk.size} on disk (${LINES - onDisk.size} lost by logrotate between copy and truncate), ${rotatedFiles} rotated files, engine count ${got}, distinct ${distinct.size}`);
  expect(rotatedFiles).toBeGreaterThanOrEqual(5);
  expect(messages.length).toBe(distinct.size);
  expect([...onDisk].filter((line) => !distinct.has(line))).toEqual([]);
  expect(distinct.size).toBe(onDisk.size);
  if (mode === 'create') expect(onDisk.size).toBe(LINES);
}

describe('file input with logrotate', () => {
  it('create mode (rename): every line once across a restart and a SIGKILL', async () => {
    await rotateWhileWriting('create');
  }, 180_000);

  it('copytruncate: every line on disk once across a restart and a SIGKILL', async () => {
    await rotateWhileWriting('copytruncate');
  }, 180_000);
});
