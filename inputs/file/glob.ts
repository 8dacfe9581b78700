/**
 * Path globs: `*` and `?` within one name, `**` for any number of folders, `[...]` classes and
 * `{a,b}` alternatives. Node 20's node:fs has no glob, so a pattern is compiled to one regular
 * expression over the whole path plus the folder it can be searched from (its part before the
 * first wildcard) and how deep below it a match can be.
 */
import { GlobError } from './errors.js';

export interface CompiledGlob {
  readonly source: string;
  readonly regex: RegExp;
  /** The folder every match is inside. */
  readonly base: string;
  /** Names below `base` a match has (Infinity with `**`). */
  readonly depth: number;
}

const MAGIC = /[*?[{]/;

export function compileGlob(source: string): CompiledGlob {
  const segments = source.split('/');
  let baseLength = 0;
  while (baseLength < segments.length - 1 && !MAGIC.test(segments[baseLength])) baseLength++;
  const base = segments.slice(0, baseLength).join('/') || '/';
  const rest = segments.slice(baseLength);
  const depth = rest.includes('**') ? Infinity : rest.length;
  return { source, regex: new RegExp(`^${translate(source)}$`), base, depth };
}

function translate(glob: string): string {
  let out = '';
  let braces = 0;
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `/**/` matches one folder or none; a trailing `/**` anything below.
        i++;
        if (glob[i + 1] === '/') {
          i++;
          out += '(?:[^/]*/)*';
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close === -1) throw new GlobError(`unclosed [ at character ${i + 1} of ${glob}`);
      let body = glob.slice(i + 1, close);
      if (body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/\\/g, '\\\\')}]`;
      i = close;
    } else if (c === '{') {
      braces++;
      out += '(?:';
    } else if (c === '}' && braces > 0) {
      braces--;
      out += ')';
    } else if (c === ',' && braces > 0) out += '|';
    else out += c.replace(/[.+^$()|\\\]}]/g, '\\$&');
  }
  if (braces > 0) throw new GlobError(`unclosed { in ${glob}`);
  return out;
}

export function matchesAny(path: string, globs: readonly CompiledGlob[]): boolean {
  for (const glob of globs) if (glob.regex.test(path)) return true;
  return false;
}
