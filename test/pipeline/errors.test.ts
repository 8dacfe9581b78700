/**
 * Error codes are a contract (fastify's habit): the README lists exactly the registered codes,
 * every registered code is raised or logged by some source file, and every code a source file
 * uses is registered. Codes are read from ERROR_CODES and the sources are walked, so codes that
 * other branches add are covered without touching this test; a merge only needs `npm run docs`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../pipeline/errors.js';
import { errorCodesMarkdown } from '../../pipeline/docs.js';
import { REPO_ROOT } from '../helpers/sluice.js';

const SKIP = new Set(['node_modules', 'dist', 'test', '.git', 'data']);

/** Source files of sluice itself (not tests, not build output). */
function sourceFiles(dir = REPO_ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (SKIP.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...sourceFiles(path));
    else if (/\.(ts|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) files.push(path);
  }
  return files;
}

const README = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
const codes = Object.keys(ERROR_CODES);
const ERRORS_FILE = join(REPO_ROOT, 'pipeline', 'errors.ts');

function readmeSection(): string {
  const start = README.indexOf('<!-- error-codes:start -->');
  const end = README.indexOf('<!-- error-codes:end -->');
  expect(start, 'README has the error-codes markers').toBeGreaterThan(-1);
  return README.slice(start + '<!-- error-codes:start -->'.length, end).trim();
}

describe('error codes', () => {
  it('each has a one-line meaning', () => {
    expect(codes.length).toBeGreaterThan(0);
    for (const [code, meaning] of Object.entries(ERROR_CODES)) {
      expect(code).toMatch(/^SLUICE_[A-Z0-9_]+$/);
      expect(meaning, code).toMatch(/^[A-Z`].{20,}[.)]$/);
      expect(meaning, code).not.toContain('\n');
    }
  });

  it("the README's list is the registered set, as generated (`npm run docs`)", () => {
    const section = readmeSection();
    const listed = [...section.matchAll(/^\| `(SLUICE_[A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(new Set(listed)).toEqual(new Set(codes));
    expect(listed).toHaveLength(codes.length);
    expect(section, 'run `npm run docs` to regenerate the README error codes').toBe(errorCodesMarkdown().trim());
  });

  it('every registered code is raised or logged in a source file other than errors.ts', () => {
    const sources = sourceFiles().filter((f) => f !== ERRORS_FILE).map((f) => readFileSync(f, 'utf8'));
    const unused = codes.filter((code) => !sources.some((text) => text.includes(`'${code}'`) || text.includes(`"${code}"`)));
    expect(unused, 'raise these codes somewhere, or remove them from ERROR_CODES').toEqual([]);
  });

  it('every code a source file uses is registered', () => {
    const unregistered: string[] = [];
    for (const file of sourceFiles()) {
      for (const line of readFileSync(file, 'utf8').split('\n')) {
        // Environment variable names share the prefix; they are not codes.
        if (/_ENV\b|process\.env|\$\{SLUICE_/.test(line)) continue;
        for (const [, code] of line.matchAll(/['"`](SLUICE_[A-Z0-9_]+)['"`]/g)) {
          if (!(code in ERROR_CODES)) unregistered.push(`${relative(REPO_ROOT, file)}: ${code}`);
        }
      }
    }
    expect(unregistered, 'add these to ERROR_CODES in pipeline/errors.ts (then `npm run docs`)').toEqual([]);
  });
});
