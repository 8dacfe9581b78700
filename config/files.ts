/**
 * Files a pipeline names (certificates, keys, templates, dead letter files), checked while the
 * config is validated, so that `sluice check` refuses what `sluice run` could not open. Each
 * problem is one sentence that starts with the file's name.
 */
import { accessSync, constants, readFileSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

export type FileRead = { ok: true; data: Buffer } | { ok: false; problem: string };

function errnoProblem(path: string, err: unknown, doing: string): string {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return `${path}: no such file`;
  if (code === 'EACCES' || code === 'EPERM') return `${path}: permission denied (sluice runs as uid ${process.getuid?.() ?? '?'}; make the file readable to it)`;
  if (code === 'ENOTDIR') return `${path}: a part of the path is not a directory`;
  return `${path}: cannot ${doing}: ${(err as Error).message}`;
}

/** Reads a file the config names, or says in one sentence why it cannot be read. */
export function readNamedFile(path: string): FileRead {
  try {
    if (statSync(path).isDirectory()) return { ok: false, problem: `${path}: is a directory, expected a file` };
    return { ok: true, data: readFileSync(path) };
  } catch (err) {
    return { ok: false, problem: errnoProblem(path, err, 'read it') };
  }
}

/** Why sluice could not create or append to `path`, or undefined when it can. */
export function writableFileProblem(path: string): string | undefined {
  try {
    const stat = statSync(path);
    if (stat.isDirectory()) return `${path}: is a directory, expected a file`;
    accessSync(path, constants.W_OK);
    return undefined;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return errnoProblem(path, err, 'write it');
  }
  // Missing directories are created at the first write: the nearest existing one must be writable.
  let dir = dirname(resolve(path));
  for (;;) {
    try {
      if (!statSync(dir).isDirectory()) return `${path}: ${dir} is not a directory`;
      accessSync(dir, constants.W_OK);
      return undefined;
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EACCES' || code === 'EPERM') return `${path}: cannot be created: ${dir} is not writable by uid ${process.getuid?.() ?? '?'}`;
      if (code !== 'ENOENT') return errnoProblem(path, err, `create it in ${dir}`);
      const parent = dirname(dir);
      if (parent === dir) return undefined;
      dir = parent;
    }
  }
}
