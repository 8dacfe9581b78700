/**
 * `sluice queue status|check|repair -c FILE`: the persisted queue's folders as an operator sees
 * them (an fsck for the queue). `status` says what is pending; `check` also exits 1 when
 * something is damaged; `repair` does what a start would do (cut torn tails, set damaged
 * segments aside) without starting, and refuses while a sluice holds the folder.
 */
import { join } from 'node:path';
import type { ValidConfig } from '../../config/validate.js';
import { queuePath } from './index.js';
import { workerFolders } from './persisted/index.js';
import { repairFolder, scanFolder, type FolderScan } from './persisted/scan.js';
import { lockFolder } from './persisted/lock.js';
import { errorMessage, SluiceError } from '../errors.js';

export const QUEUE_ACTIONS = ['status', 'check', 'repair'] as const;
export type QueueAction = (typeof QUEUE_ACTIONS)[number];

function describe(scan: FolderScan): string[] {
  const lines: string[] = [];
  const bytes = scan.segments.reduce((sum, s) => sum + s.size, 0);
  const acked = scan.checkpoint ? `acknowledged up to seq ${scan.checkpoint.ackedSeq}` : 'no checkpoint (everything on disk is pending)';
  lines.push(`${scan.path}: ${scan.pendingEvents} events pending in ${scan.segments.length} segment(s), ${bytes} bytes; ${acked}`);
  if (scan.checkpointProblem) lines.push(`  checkpoint: ${scan.checkpointProblem}`);
  for (const segment of scan.segments) {
    for (const damage of segment.damage) {
      const lost = damage.lostEvents === undefined ? 'an unknown number of events' : `${damage.lostEvents} events`;
      const kind = segment.tornTail && damage === segment.damage[segment.damage.length - 1] ? 'tail to cut' : 'damaged stretch';
      lines.push(`  ${segment.path}: ${kind} at byte ${damage.offset} (${damage.bytes} bytes, ${damage.why}): ${lost}`);
    }
  }
  for (const segment of scan.segments) {
    for (const gap of segment.gaps) lines.push(`  ${segment.path}: events ${gap.from}..${gap.to - 1} are not here (set aside by an earlier repair)`);
  }
  for (const aside of scan.setAside) lines.push(`  set aside: ${aside}`);
  return lines;
}

function damaged(scan: FolderScan): boolean {
  return scan.checkpointProblem !== undefined || scan.segments.some((s) => s.damage.length > 0);
}

/** Runs the action, writing to `out`; returns the exit code. */
export function queueCommand(action: QueueAction, config: ValidConfig, out: (line: string) => void): number {
  const settings = config.pipeline;
  const path = queuePath(settings);
  if (settings.queue.type !== 'persisted') out(`note: pipeline.queue.type is ${settings.queue.type}; looking at ${path} anyway`);
  const folders = workerFolders(path);
  if (folders.length === 0) {
    out(`${path}: no queue folders (nothing pending)`);
    return 0;
  }
  let anyDamage = false;
  for (const index of folders) {
    const folder = join(path, String(index));
    try {
      if (action === 'repair') {
        const unlock = lockFolder(folder);
        try {
          const before = scanFolder(folder);
          const after = repairFolder(folder, before);
          for (const line of describe(after)) out(line);
          out(damaged(before) ? `  repaired: ${after.lostEvents} events lost, ${after.setAside.length} segment(s) set aside` : '  nothing to repair');
        } finally {
          unlock();
        }
      } else {
        const scan = scanFolder(folder);
        anyDamage ||= damaged(scan);
        for (const line of describe(scan)) out(line);
      }
    } catch (err) {
      out(`${folder}: ${err instanceof SluiceError ? `${err.code}: ` : ''}${errorMessage(err)}`);
      return 1;
    }
  }
  if (action === 'check' && anyDamage) {
    out('damage found: `sluice queue repair` (or the next start) cuts it; damaged segments are kept beside, renamed');
    return 1;
  }
  return 0;
}
