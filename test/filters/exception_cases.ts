/** The shared exception corpus (../shared/corpus/exceptions), read in place: its cases and expected fields. */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../helpers/sluice.js';

export interface ExpectedException {
  /** `<language>/<case>.txt` for a trace file; unset for a shipper record. */
  file?: string;
  /** A shipper record's id and the JSON line it wrote. */
  id?: string;
  line?: string;
  language: string;
  type: string;
  message: string;
  chain: string[];
  frames: number;
  culprit: { module_or_file: string; function: string } | null;
  group: string;
}

// Test data beside the repository, not ours to copy in; SLUICE_EXCEPTIONS_CORPUS points elsewhere.
export const corpusDir = [process.env.SLUICE_EXCEPTIONS_CORPUS, resolve(REPO_ROOT, '..', 'shared', 'corpus', 'exceptions'), '/work/shared/corpus/exceptions'].find(
  (candidate): candidate is string => candidate !== undefined && existsSync(join(candidate, 'shippers.jsonl')),
);

function jsonLines(path: string): ExpectedException[] {
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as ExpectedException);
}

export const traceCases: ExpectedException[] =
  corpusDir === undefined
    ? []
    : readdirSync(corpusDir, { withFileTypes: true })
        .filter((entry) => entry.isDirectory())
        .flatMap((entry) => jsonLines(join(corpusDir, entry.name, 'expected.jsonl')));

export const shipperCases: ExpectedException[] = corpusDir === undefined ? [] : jsonLines(join(corpusDir, 'shippers.jsonl'));

export function traceText(c: ExpectedException): string {
  return readFileSync(join(corpusDir!, c.file!), 'utf8');
}

/** `error.culprit` as the filter writes it: `Class.method` for Java, `file:function` otherwise. */
export function expectedCulprit(c: ExpectedException): string | undefined {
  return c.culprit === null ? undefined : `${c.culprit.module_or_file}${c.language === 'java' ? '.' : ':'}${c.culprit.function}`;
}
