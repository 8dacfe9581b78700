/**
 * Replaces a small file so that a crash leaves either its old or its new content, never a torn
 * one: written whole to `<name>.tmp`, synced, renamed over the old file, and the folder synced
 * (the rename is durable only then). A torn `.tmp` from a crash is simply written over.
 */
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { fsyncDirectoryAsync } from './queue/persisted/fsync.js';

export async function writeFileAtomically(folder: string, name: string, text: string): Promise<void> {
  const temporary = join(folder, `${name}.tmp`);
  const handle = await open(temporary, 'w');
  try {
    await handle.writeFile(text);
    await handle.datasync();
  } finally {
    await handle.close();
  }
  await rename(temporary, join(folder, name));
  await fsyncDirectoryAsync(folder);
}
