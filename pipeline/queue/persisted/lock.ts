/** One process per queue folder: a second sluice on the same folder would interleave records. */
import { readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { QueueError } from '../../errors.js';

const LOCK_FILE = 'lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFolder(folder: string): () => void {
  const path = join(folder, LOCK_FILE);
  try {
    writeFileSync(path, String(process.pid), { flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const holder = Number(readFileSync(path, 'utf8').trim());
    if (Number.isInteger(holder) && holder > 0 && holder !== process.pid && alive(holder)) {
      throw new QueueError('SLUICE_QUEUE_LOCKED', `queue folder ${folder} is in use by process ${holder}`, { folder, pid: holder });
    }
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
