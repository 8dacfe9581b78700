/**
 * Random mutations of the corpus' valid .conf files never crash the Logstash reader: it loads
 * (and converts) the file, or throws a ConfigError whose every problem is located (file:line:column within
 * the file for syntax and translation problems, sluice's option path for schema ones).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLogstashText } from '../../config/logstash/index.js';
import { convertLogstashText } from '../../config/logstash/convert.js';
import { ConfigError } from '../../pipeline/errors.js';
import { fuzz } from './fuzz.js';

const DIR = join(import.meta.dirname, '..', 'config', 'logstash', 'corpus');
const CORPUS = readdirSync(DIR)
  .filter((f) => f.endsWith('.conf'))
  .sort()
  .map((f) => readFileSync(join(DIR, f), 'utf8'));

/** Pieces of the grammar, so that mutations make nearly valid files rather than noise. */
const PIECES = ['{', '}', '[', ']', '"', "'", '=>', ',', '#', '\n', ' if ', ' else ', ' and ', ' or ', '!', '/', '(', ')', '${', '%{', '==', 'in', 'not in', '-1.5', 'true', 'x', '\\', 'codec => json { }'];

type Mutation = { at: number; cut: number; insert: string };

const mutation: fc.Arbitrary<Mutation> = fc.record({
  at: fc.double({ min: 0, max: 1, noNaN: true }),
  cut: fc.nat({ max: 8 }),
  insert: fc.oneof(fc.constantFrom(...PIECES), fc.string({ maxLength: 4 }), fc.constant('')),
});

function mutate(text: string, mutations: readonly Mutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = Math.floor(m.at * out.length);
    out = out.slice(0, at) + m.insert + out.slice(at + m.cut);
  }
  return out;
}

const POSITIONED = /^p\.conf:(\d+):(\d+): /;

function checkLocated(text: string): void {
  let err: unknown;
  try {
    parseLogstashText(text, 'p.conf', {}, () => undefined);
    // What runs also converts.
    expect(convertLogstashText(text, 'p.conf').length).toBeGreaterThan(0);
    return;
  } catch (caught) {
    err = caught;
  }
  expect(err).toBeInstanceOf(ConfigError);
  const error = err as ConfigError;
  expect(error.issues.length).toBeGreaterThan(0);
  const lines = text.split('\n');
  for (const issue of error.issues) {
    if (error.code === 'SLUICE_CONFIG_INVALID') {
      expect(issue).toMatch(/^(inputs|filters|outputs|id )|^[a-z_]+(\[|\.|:)/);
      continue;
    }
    expect(['SLUICE_CONFIG_LOGSTASH_SYNTAX', 'SLUICE_CONFIG_LOGSTASH_UNSUPPORTED']).toContain(error.code);
    const where = POSITIONED.exec(issue);
    expect(where, issue).not.toBeNull();
    const line = Number(where?.[1]);
    const column = Number(where?.[2]);
    expect(line).toBeGreaterThanOrEqual(1);
    expect(line).toBeLessThanOrEqual(lines.length);
    expect(column).toBeGreaterThanOrEqual(1);
    expect(column).toBeLessThanOrEqual((lines[line - 1] ?? '').length + 1);
  }
}

describe('Logstash config fuzzing', () => {
  it('mutated corpus files load or give located errors, never a crash', () => {
    fuzz(
      fc.property(fc.nat({ max: CORPUS.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (index, mutations) => {
        checkLocated(mutate(CORPUS[index], mutations));
      }),
      1500,
    );
  });

  it('truncations at every length give located errors', () => {
    const text = CORPUS.find((t) => t.includes('else if')) ?? CORPUS[0];
    for (let n = 0; n < text.length; n++) checkLocated(text.slice(0, n));
  });

  it('deep nesting is refused with a position, not a stack overflow', () => {
    const depth = 20_000;
    checkLocated(`input { tcp { port => 1 tags => ${'['.repeat(depth)}${']'.repeat(depth)} } }`);
    checkLocated(`filter { ${'if [a] { '.repeat(depth)}${'} '.repeat(depth)} }`);
  });
});
