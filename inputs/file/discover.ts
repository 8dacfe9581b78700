/**
 * One search for the files the globs name: each glob's base folder is walked no deeper than the
 * glob can match, and every regular file that matches an include and no exclude is stat'ed.
 * A folder or file that cannot be read is reported (the caller logs it once) and skipped.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { matchesAny, type CompiledGlob } from './glob.js';

export interface FoundFile {
  path: string;
  dev: number;
  ino: number;
  size: number;
  mtimeMs: number;
}

export async function discoverFiles(include: readonly CompiledGlob[], exclude: readonly CompiledGlob[], onProblem: (path: string, err: NodeJS.ErrnoException) => void): Promise<FoundFile[]> {
  const found = new Map<string, FoundFile>();
  const walked = new Set<string>();
  const visit = async (folder: string, depthLeft: number): Promise<void> => {
    const key = `${folder}\0${depthLeft}`;
    if (walked.has(key)) return;
    walked.add(key);
    let entries;
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'ENOTDIR') onProblem(folder, err as NodeJS.ErrnoException);
      return;
    }
    for (const entry of entries) {
      const path = folder === '/' ? `/${entry.name}` : join(folder, entry.name);
      if (entry.isDirectory()) {
        if (depthLeft > 1) await visit(path, depthLeft - 1);
        continue;
      }
      if (!(entry.isFile() || entry.isSymbolicLink()) || found.has(path)) continue;
      if (!matchesAny(path, include) || matchesAny(path, exclude)) continue;
      try {
        const info = await stat(path);
        if (info.isFile()) found.set(path, { path, dev: info.dev, ino: info.ino, size: info.size, mtimeMs: info.mtimeMs });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') onProblem(path, err as NodeJS.ErrnoException);
      }
    }
  };
  for (const glob of include) await visit(glob.base, glob.depth);
  return [...found.values()];
}
