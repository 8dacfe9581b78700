/** The bench's memory figures read from /proc: summed RSS counts the code a parent and its child share twice, the tree's RSS once. */
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { PeakTreeRss, sampleTree } from '../../bench/lib.js';

const MiB = 1048576;

/** A node that holds `mib` of its own memory, and with `child` forks one more holding as much; resolves once all hold it. */
async function startTree(mib: number, child: boolean): Promise<ChildProcess> {
  const hold = `const b = Buffer.alloc(${mib} * 1048576, 1); setInterval(() => b[0]++, 1000);`;
  const forkChild = `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(`${hold} process.stdout.write('held\\n');`)}], { stdio: ['ignore', 'pipe', 'inherit'] }); c.stdout.once('data', () => process.stdout.write('ready\\n')); process.on('SIGTERM', () => { c.kill(); process.exit(0); });`;
  const script = `${hold} ${child ? forkChild : "process.stdout.write('ready\\n');"}`;
  const parent = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  await once(parent.stdout!, 'data');
  return parent;
}

function currentRss(pid: number): number {
  return Number(/VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]) * 1024;
}

let tree: ChildProcess | undefined;
afterEach(async () => {
  if (tree && tree.exitCode === null) {
    tree.kill('SIGTERM');
    await once(tree, 'exit');
  }
});

describe('bench memory figures', () => {
  it('the RSS of a parent and its child holds their own memory and their shared code once, where summed RSS holds the code twice', async () => {
    tree = await startTree(64, true);
    const watch = new PeakTreeRss(tree.pid ?? 0, 20);
    try {
      const summed = sampleTree(tree.pid ?? 0).peakRssBytes;
      const whole = watch.sample();
      expect(whole).toBeGreaterThan(2 * 64 * MiB);
      // Node's code is mapped by both processes, tens of MiB.
      expect(summed - whole).toBeGreaterThan(10 * MiB);
    } finally {
      watch.stop();
    }
  });

  it('of one process is its RSS', async () => {
    tree = await startTree(32, false);
    const watch = new PeakTreeRss(tree.pid ?? 0, 1000);
    try {
      const rss = currentRss(tree.pid ?? 0);
      expect(Math.abs(watch.sample() - rss)).toBeLessThan(4 * MiB);
    } finally {
      watch.stop();
    }
  });

  it('keeps the peak after the tree is gone', async () => {
    tree = await startTree(32, true);
    const watch = new PeakTreeRss(tree.pid ?? 0, 20);
    const peak = watch.sample();
    tree.kill('SIGTERM');
    await once(tree, 'exit');
    expect(watch.sample()).toBe(peak);
    watch.stop();
  });
});
