/**
 * The grok prefilter (filters/grok/prefilter.ts) may skip the regex only for a text that cannot
 * match: lines of every library format, and patterns with lookaround, word boundaries,
 * repetitions and optional parts, are mutated near-miss style, and whatever the prefilter
 * turns away the regex must turn away too.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compileGrok, type CompiledPattern } from '../../filters/grok/compile.js';
import { admits, compilePrefilter } from '../../filters/grok/prefilter.js';
import { PATTERN_SAMPLES, combinedLines, nearMissLines } from '../../bench/grok_lines.js';
import { fuzz, mutatedText } from './fuzz.js';

function compiled(pattern: string): CompiledPattern {
  return compileGrok({ match: { message: pattern }, pattern_definitions: {}, patterns_dir: [], patterns_files_glob: '*', named_captures_only: true })[0].patterns[0];
}

const HAND_WRITTEN: ReadonlyArray<[string, string]> = [
  ['a=(?<a>\\w*);b=(?<b>\\w*)', 'a=;b=x'],
  ['%{WORD:w}\\b:: %{INT:n}', 'abc:: 12'],
  ['id=(?=[0-9a-f]{4})(?<hex>[0-9a-f]+)x', 'id=beef12x'],
  ['(?<![0-9])(?:ab)+cd%{NUMBER:n}', 'xababcd-1.5'],
  ['%{DATA:a} -- %{DATA:b}(?: \\[%{INT:c}\\])? ==%{GREEDYDATA:rest}', 'x -- y [3] ==z'],
  ['^%{IP:ip} \\| (?:-|%{INT:n}) \\|$', '10.1.2.3 | - |'],
];

const CASES: ReadonlyArray<[string, string]> = [...Object.entries(PATTERN_SAMPLES).map(([name, line]): [string, string] => [`%{${name}}`, line]), ...HAND_WRITTEN];

describe('grok prefilter', () => {
  it('admits every line its pattern matches', () => {
    for (const [pattern, line] of CASES) {
      const { regex, prefilter } = compiled(pattern);
      expect(regex.exec(line), pattern).not.toBeNull();
      expect(admits(prefilter, line), pattern).toBe(true);
    }
  });

  it('turns away only lines the regex turns away, on mutated lines of every case', () => {
    for (const [pattern, line] of CASES) {
      const { regex, prefilter } = compiled(pattern);
      fuzz(
        fc.property(mutatedText(fc.constant(line), 6), (text) => {
          if (!admits(prefilter, text)) expect(regex.exec(text), `${pattern} on ${JSON.stringify(text)}`).toBeNull();
        }),
        300,
      );
    }
  });

  it('turns away a combined line whose status is no number, though every literal is in it', () => {
    const { prefilter } = compiled('%{COMBINEDAPACHELOG}');
    for (const line of nearMissLines(50)) expect(admits(prefilter, line), line).toBe(false);
    for (const line of combinedLines(50)) expect(admits(prefilter, line), line).toBe(true);
  });

  it('wants the literals in the order of the pattern, and the characters the next part starts with', () => {
    const prefilter = compilePrefilter('<<(?:[0-9]+)>> ::(?:-|[a-z]+)');
    expect(prefilter.steps).toEqual(['<<', '>> ::']);
    expect(admits(prefilter, 'x <<12>> ::abc')).toBe(true);
    expect(admits(prefilter, '>> :: then <<12')).toBe(false);
    expect(admits(prefilter, '<<x>> ::9 <<7>> ::-')).toBe(true);
    expect(admits(prefilter, '<<7>> ::9')).toBe(false);
    expect(admits(prefilter, '<<7>> ::')).toBe(false);
  });

  it('puts no condition on a pattern with alternatives at the top', () => {
    expect(compilePrefilter('ab:[0-9]|cd:[0-9]')).toEqual({ steps: [], follows: [], anywhere: [] });
  });
});
