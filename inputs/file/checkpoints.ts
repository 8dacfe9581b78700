/**
 * The input's checkpoint file: per file identity, the offset up to which every line was
 * accepted, with the path, device and inode it was last seen at. Replaced atomically
 * (pipeline/atomic_write.ts), so a crash leaves the previous version or the new one; a
 * leftover `.tmp` is never read.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { writeFileAtomically } from '../../pipeline/atomic_write.js';
import type { Identity } from './identity.js';

export const CHECKPOINT_FILE = 'checkpoints.json';

export interface FileCheckpoint {
  offset: number;
  path: string;
  dev: number;
  inode: number;
  /** ISO time of the last change. */
  updated: string;
  /** Bytes of the file's head hashed into `prefix_hash` (all of the fingerprint for a full one). */
  prefix_bytes: number;
  prefix_hash: string;
}

export interface LoadedCheckpoints {
  entries: Map<string, FileCheckpoint>;
  /** A checkpoint file was there: this is not the input's first start. */
  existed: boolean;
  /** Why it could not be used, if it could not. */
  problem?: string;
}

function validEntry(value: unknown): value is FileCheckpoint {
  if (typeof value !== 'object' || value === null) return false;
  const entry = value as Record<string, unknown>;
  return Number.isSafeInteger(entry.offset) && (entry.offset as number) >= 0 && typeof entry.path === 'string' && typeof entry.dev === 'number' && typeof entry.inode === 'number' && Number.isSafeInteger(entry.prefix_bytes) && typeof entry.prefix_hash === 'string';
}

export function loadCheckpoints(folder: string): LoadedCheckpoints {
  let text: string;
  try {
    text = readFileSync(`${folder}/${CHECKPOINT_FILE}`, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { entries: new Map(), existed: false };
    return { entries: new Map(), existed: true, problem: `cannot read ${folder}/${CHECKPOINT_FILE}: ${(err as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as { version?: unknown; files?: unknown };
    if (parsed.version !== 1 || typeof parsed.files !== 'object' || parsed.files === null) throw new Error('not a version 1 checkpoint');
    const entries = new Map<string, FileCheckpoint>();
    for (const [key, value] of Object.entries(parsed.files)) if (validEntry(value)) entries.set(key, value);
    return { entries, existed: true };
  } catch (err) {
    // Existed, so unknown files are read from their start: lines twice rather than lost.
    return { entries: new Map(), existed: true, problem: `${folder}/${CHECKPOINT_FILE} is not a valid checkpoint (${(err as Error).message})` };
  }
}

export function checkpointOf(identity: Identity, offset: number, path: string, dev: number, inode: number, updated: Date): FileCheckpoint {
  return { offset, path, dev, inode, updated: updated.toISOString(), prefix_bytes: identity.prefixBytes, prefix_hash: identity.prefixHash };
}

export async function saveCheckpoints(folder: string, entries: ReadonlyMap<string, FileCheckpoint>): Promise<void> {
  mkdirSync(folder, { recursive: true });
  const files: Record<string, FileCheckpoint> = {};
  for (const [key, entry] of entries) files[key] = entry;
  await writeFileAtomically(folder, CHECKPOINT_FILE, `${JSON.stringify({ version: 1, files }, null, 1)}\n`);
}
