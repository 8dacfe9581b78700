/**
 * Pattern files: one `NAME regex` definition a line, `#` comments, the format Logstash users
 * already keep in their `patterns_dir`. Our own library (patterns/) is written in the same
 * format, so both are read by the one parser here.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LIBRARY } from './patterns/index.js';
import type { Definition } from './translate.js';

const LINE = /^(\w+)\s+(.*?)\s*$/;

/** Adds the definitions of `text` to `into`; a later definition of a name replaces an earlier one. Throws on a malformed line. */
export function parseDefinitions(text: string, origin: string, into: Map<string, Definition>): void {
  const lines = text.split('\n');
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n].replace(/\r$/, '');
    if (line.trim() === '' || line.trimStart().startsWith('#')) continue;
    const match = LINE.exec(line);
    if (!match || match[2] === '') throw new Error(`${origin}:${n + 1}: expected "NAME regex", got ${JSON.stringify(line.slice(0, 80))}`);
    into.set(match[1], { source: match[2], origin: `${origin}:${n + 1}` });
  }
}

let library: ReadonlyMap<string, Definition> | undefined;

/** The built-in patterns, parsed once per process. */
export function libraryDefinitions(): ReadonlyMap<string, Definition> {
  if (library === undefined) {
    const definitions = new Map<string, Definition>();
    for (const [file, text] of Object.entries(LIBRARY)) parseDefinitions(text, `library ${file}`, definitions);
    library = definitions;
  }
  return library;
}

/** Every file of each directory (or the file itself) whose name matches `glob` (`*` only), in name order. */
export function patternFiles(paths: readonly string[], glob: string): string[] {
  const matcher = new RegExp(`^${glob.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replaceAll('*', '.*')}$`);
  const files: string[] = [];
  for (const path of paths) {
    if (statSync(path).isFile()) {
      files.push(path);
      continue;
    }
    for (const name of readdirSync(path).sort()) {
      const file = join(path, name);
      if (matcher.test(name) && statSync(file).isFile()) files.push(file);
    }
  }
  return files;
}

/** Library, then users' files, then inline definitions: each may override what came before. */
export function loadDefinitions(patternsDir: readonly string[], glob: string, inline: Readonly<Record<string, string>>): Map<string, Definition> {
  const definitions = new Map(libraryDefinitions());
  for (const file of patternFiles(patternsDir, glob)) parseDefinitions(readFileSync(file, 'utf8'), file, definitions);
  for (const [name, source] of Object.entries(inline)) definitions.set(name, { source, origin: 'pattern_definitions' });
  return definitions;
}
