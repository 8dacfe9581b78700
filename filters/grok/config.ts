import { z } from 'zod';
import { fieldReference, fieldReferenceText } from '../../config/fields.js';
import { compileGrok, type CompiledMatch } from './compile.js';

const patternText = z.string().min(1);

/** Compiled by the schema, so that `sluice check` names a pattern that cannot compile; create() reuses the result. */
export const compiledByConfig = new WeakMap<object, CompiledMatch[]>();

export const grokFilterSchema = z
  .strictObject({
    match: z
      .record(fieldReferenceText, z.union([patternText, z.array(patternText).min(1)]))
      .refine((m) => Object.keys(m).length > 0, { error: 'expected at least one `field: pattern` entry' })
      .describe(
        '`{field: pattern | [patterns]}`. A pattern is a regular expression with `%{NAME}` (a library pattern), `%{NAME:field}` (captured into `field`, `[a][b]` allowed), `%{NAME:field:int|float}` (converted) and `(?<field>...)` (inline capture). Several patterns are tried in order. Patterns are compiled at start; one that does not compile, or uses what the JavaScript engine lacks (possessive quantifiers, inline modifiers, \\G), is refused by `sluice check` with its name and position.',
      ),
    pattern_definitions: z.record(z.string().regex(/^\w+$/, { error: 'expected a pattern name of letters, digits and _' }), patternText).default({}).describe('`{NAME: regex}`: patterns of your own, usable as `%{NAME}`; they override library and file patterns of that name.'),
    patterns_dir: z.array(z.string().min(1)).default([]).describe('Directories (or files) of pattern files, `NAME regex` per line and `#` comments (Logstash\'s format); read at start.'),
    patterns_files_glob: z.string().min(1).default('*').describe('Which files of each `patterns_dir` directory are read (`*` is the only wildcard).'),
    break_on_match: z.boolean().default(true).describe('Stop at the first pattern that matches; false tries every pattern of every field and keeps all their captures.'),
    named_captures_only: z.boolean().default(true).describe('Only `%{NAME:field}` and `(?<field>...)` are captured; false also captures `%{NAME}` into a field called NAME.'),
    keep_empty_captures: z.boolean().default(false).describe('Set fields whose capture matched the empty string (normally left out).'),
    overwrite: z.array(fieldReference('A field grok may replace.')).default([]).describe('Fields a capture replaces; any other field that already holds a value gets the capture appended (it becomes an array), as in Logstash. Put `message` here to rewrite it with `%{GREEDYDATA:message}`.'),
    target: fieldReference('Object the captures are written into; unset: the event root.').optional(),
    tag_on_failure: z.array(z.string()).default(['_grokparsefailure']).describe('Tags added when no pattern matched.'),
    tag_on_timeout: z.string().default('_groktimeout').describe('Tag added when `timeout_millis` ran out before every pattern was tried.'),
    timeout_millis: z
      .number()
      .nonnegative()
      .default(1000)
      .describe('Time budget of one event across its patterns; when spent, the patterns left are skipped and the event tagged `tag_on_timeout`. 0: no budget. A single match is bounded by the regex engine itself (a line that backtracks too much is re-run on a linear-time engine), not by this budget.'),
  })
  .superRefine((config, context) => {
    try {
      compiledByConfig.set(config, compileGrok(config));
    } catch (err) {
      context.addIssue({ code: 'custom', path: ['match'], message: (err as Error).message });
    }
  });

export type GrokFilterConfig = z.output<typeof grokFilterSchema>;
