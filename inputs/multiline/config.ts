import { z } from 'zod';

/** Fluent Bit's default; long enough for a runtime to finish writing a trace, short enough to be near real time. */
export const DEFAULT_FLUSH_TIMEOUT_SECONDS = 4;

/**
 * The `multiline` setting for line inputs: a preset per runtime (or `any`), or Logstash's
 * pattern form, read by the line inputs (tcp `lines`, udp `lines`, syslog) through stage.ts.
 */
export const multilineSchema = z
  .strictObject({
    preset: z
      .enum(['python', 'java', 'node', 'go', 'ruby', 'any'])
      .optional()
      .describe('Join the lines of a stack trace as each runtime writes it: `python` (a logging line, Traceback blocks, chained blocks, exception groups), `java` (a logback line, the header, `at` frames, `Caused by:`, `Suppressed:`, `... N more`), `node` (source excerpt, `at` frames, `[cause]` blocks, footer), `go` (panic and goroutine dumps), `ruby` (`from` lines, Logger backtraces), or `any` of them. Unset: use `pattern`.'),
    pattern: z.string().min(1).optional().describe('Logstash\'s form: a regular expression; lines that match it (or do not, with `negate`) belong to the previous line (`what: previous`) or to the next one (`what: next`).'),
    negate: z.boolean().default(false).describe('With `pattern`: the lines that do NOT match are the ones joined.'),
    what: z.enum(['previous', 'next']).default('previous').describe('With `pattern`: whether a joined line belongs to the line before it or the line after it.'),
    flush_timeout: z.number().positive().max(3600).default(DEFAULT_FLUSH_TIMEOUT_SECONDS).describe('Seconds without a new line after which an open event is complete (the last trace of a burst is not held until the next log line).'),
    max_lines: z.int().min(2).max(100_000).default(500).describe('Most lines in one event; the rest of a longer trace goes on in a new event, both tagged with `tag_on_limit`.'),
    max_bytes: z.int().min(1024).default(1_048_576).describe('Most bytes (UTF-8, newlines included) in one event, handled like `max_lines`.'),
    max_streams: z.int().min(1).max(1_000_000).default(10_000).describe('Most streams (connections, senders) with an open event at once; past it the event opened longest ago is completed early (counted in `multiline_evicted_total`), so a flood of senders cannot hold memory.'),
    tag: z.string().default('multiline').describe('Tag added to an event made of more than one line (empty: none).'),
    tag_on_limit: z.string().default('_multiline_limit').describe('Tag added to events cut by `max_lines` or `max_bytes`.'),
  })
  .superRefine((config, ctx) => {
    if (config.preset === undefined && config.pattern === undefined) ctx.addIssue({ code: 'custom', message: 'multiline needs a `preset` or a `pattern`' });
    if (config.preset !== undefined && config.pattern !== undefined) ctx.addIssue({ code: 'custom', message: 'multiline takes a `preset` or a `pattern`, not both' });
    if (config.pattern !== undefined) {
      try {
        new RegExp(config.pattern);
      } catch (err) {
        ctx.addIssue({ code: 'custom', path: ['pattern'], message: `not a valid regular expression: ${(err as Error).message}` });
      }
    }
  });

export type MultilineConfig = z.output<typeof multilineSchema>;
