/** One process per queue folder: a second sluice on the same folder would interleave records. */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { QueueError } from '../../errors.js';

const LOCK_FILE = 'lock';

/** The holder still runs, and is a sluice (a pid reused by another program after a crash does not count). */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    const program = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0')[0];
    return program === process.execPath || basename(program) === basename(process.execPath) || program.includes('sluice');
  } catch {
    return true; // no /proc: trust the pid
  }
}

function tryLock(folder: string): (() => void) | { holder: number } {
  const path = join(folder, LOCK_FILE);
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) return { holder };
    // Left by a process that died (kill -9, power cut): ours now.
    writeFileSync(path, String(process.pid));
  }
  return () => {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  };
}

/** Takes the folder's lock; returns its release. Throws SLUICE_QUEUE_LOCKED while another live process holds it. */
export function lockFolder(folder: string): () => void {
  const result = tryLock(folder);
  if (typeof result === 'function') return result;
  throw new QueueError('SLUICE_QUEUE_LOCKED', `queue folder ${folder} is in use by process ${result.holder}`, { folder, pid: result.holder });
}

/** As lockFolder, but waits up to `waitMs` for a holder that is going away (a killed process still being reaped). */
export async function lockFolderWaiting(folder: string, waitMs: number): Promise<() => void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const result = tryLock(folder);
    if (typeof result === 'function') return result;
    if (Date.now() >= deadline) throw new QueueError('SLUICE_QUEUE_LOCKED', `queue folder ${folder} is in use by process ${result.holder}`, { folder, pid: result.holder });
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
