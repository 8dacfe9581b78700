/**
 * A grok config to regexes, once at start: definitions are loaded (library, patterns_dir,
 * pattern_definitions), each match entry is translated, compiled, and checked for the
 * backtracking the linear fallback cannot rescue.
 */
import { parseFieldReference, type FieldPath } from '../../pipeline/fields.js';
import { canRunLinear } from './engine.js';
import { loadDefinitions } from './library.js';
import { compilePrefilter, type Prefilter } from './prefilter.js';
import { findCatastrophicBacktracking } from './safety.js';
import { GrokPatternError, translatePattern, type Capture } from './translate.js';

export interface CompiledPattern {
  /** `match[message][0]`: how messages and the profile name it. */
  readonly label: string;
  readonly text: string;
  readonly regex: RegExp;
  /** Group i+1 of `regex`; null for internal groups. */
  readonly captures: ReadonlyArray<Capture | null>;
  /** V8 re-runs it on the linear-time engine when it backtracks too much (engine.ts). */
  readonly linear: boolean;
  /** A necessary condition tested before the regex: literals in order, each with what may follow it (prefilter.ts). */
  readonly prefilter: Prefilter;
}

export interface CompiledMatch {
  readonly source: FieldPath;
  readonly patterns: readonly CompiledPattern[];
}

export interface GrokCompileOptions {
  readonly match: Readonly<Record<string, string | readonly string[]>>;
  readonly pattern_definitions: Readonly<Record<string, string>>;
  readonly patterns_dir: readonly string[];
  readonly patterns_files_glob: string;
  readonly named_captures_only: boolean;
}

export function compilePattern(text: string, label: string, definitions: Parameters<typeof translatePattern>[2], namedCapturesOnly: boolean): CompiledPattern {
  const translation = translatePattern(text, label, definitions, namedCapturesOnly);
  let regex: RegExp;
  try {
    regex = new RegExp(translation.source, translation.flags);
  } catch (err) {
    // V8 names no position; the translation already caught what it knows, so this is plain regex syntax.
    throw new GrokPatternError(label, 0, `the JavaScript engine refuses the expanded pattern: ${(err as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  const linear = canRunLinear(translation.source, translation.flags);
  if (!linear) {
    const problem = findCatastrophicBacktracking(translation);
    if (problem) throw new GrokPatternError(problem.pattern, problem.position, problem.reason, problem.origin);
  }
  return { label, text, regex, captures: translation.captures, linear, prefilter: compilePrefilter(translation.source) };
}

/** Throws GrokPatternError (or an Error for a file that cannot be read) on the first pattern that does not compile. */
export function compileGrok(options: GrokCompileOptions): CompiledMatch[] {
  const definitions = loadDefinitions(options.patterns_dir, options.patterns_files_glob, options.pattern_definitions);
  return Object.entries(options.match).map(([field, texts]) => {
    const list = typeof texts === 'string' ? [texts] : texts;
    return {
      source: parseFieldReference(field),
      patterns: list.map((text, index) => compilePattern(text, `match[${field}]${list.length > 1 || typeof texts !== 'string' ? `[${index}]` : ''}`, definitions, options.named_captures_only)),
    };
  });
}
