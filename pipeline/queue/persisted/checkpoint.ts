/**
 * The acknowledged position of a queue folder: every event with a lower seq has a final fate.
 * Written whole to a temporary file, synced, renamed over the old one and the folder synced,
 * so a crash leaves either the old or the new checkpoint, never a torn one; a checkpoint that
 * still fails its checksum is reported and the folder is replayed from its first record.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { crc32c } from './crc32c.js';
import { writeFileAtomically } from '../../atomic_write.js';

export const CHECKPOINT_FILE = 'checkpoint.json';

export interface Checkpoint {
  ackedSeq: number;
}

function body(checkpoint: Checkpoint): string {
  return JSON.stringify({ version: 1, acked_seq: checkpoint.ackedSeq });
}

export function readCheckpoint(folder: string): { checkpoint: Checkpoint | undefined; problem: string | undefined } {
  let text: string;
  try {
    text = readFileSync(join(folder, CHECKPOINT_FILE), 'utf8');
  } catch (err) {
    const missing = (err as NodeJS.ErrnoException).code === 'ENOENT';
    return { checkpoint: undefined, problem: missing ? undefined : `checkpoint unreadable: ${(err as Error).message}` };
  }
  try {
    const parsed = JSON.parse(text) as { body?: unknown; crc?: unknown };
    if (typeof parsed.body !== 'string' || parsed.crc !== crc32c(Buffer.from(parsed.body))) return { checkpoint: undefined, problem: 'checkpoint checksum mismatch' };
    const inner = JSON.parse(parsed.body) as { acked_seq?: unknown };
    if (typeof inner.acked_seq !== 'number' || !Number.isSafeInteger(inner.acked_seq) || inner.acked_seq < 0) return { checkpoint: undefined, problem: 'checkpoint without a valid acked_seq' };
    return { checkpoint: { ackedSeq: inner.acked_seq }, problem: undefined };
  } catch {
    return { checkpoint: undefined, problem: 'checkpoint is not valid JSON' };
  }
}

export async function writeCheckpoint(folder: string, checkpoint: Checkpoint): Promise<void> {
  const inner = body(checkpoint);
  const text = `${JSON.stringify({ body: inner, crc: crc32c(Buffer.from(inner)) })}\n`;
  await writeFileAtomically(folder, CHECKPOINT_FILE, text);
}
