/** zod issues as one line each: `inputs[0].port: expected an integer 0..65535, got "abc"`. */
import type { z } from 'zod';
import { describeValue, formatPath, valueAt, type ConfigPath } from './paths.js';

/** Keys that are allowed where an unknown key was found, to list in the error. */
export type KnownKeys = (path: ConfigPath) => readonly string[] | undefined;

function describeIssue(issue: z.core.$ZodIssue): string {
  // zod's generic sentences start with "Invalid"; schemas that say more (ports, sizes) keep theirs.
  if (issue.code === 'invalid_type' && issue.message.startsWith('Invalid input')) return `expected ${issue.expected}`;
  return issue.message;
}

/** `raw` is the value the schema checked; `prefix` is where it sits in the file, for the message. */
export function formatIssues(issues: readonly z.core.$ZodIssue[], raw: unknown, prefix: ConfigPath = [], knownKeys?: KnownKeys): string[] {
  const lines: string[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const known = knownKeys?.(issue.path);
      const hint = known && known.length > 0 ? ` (known keys: ${known.join(', ')})` : '';
      for (const key of issue.keys) lines.push(`${formatPath([...path, key])}: unknown key${hint}`);
      continue;
    }
    // A refinement's message names what it checked (a file, a pair of options): the value would only repeat it.
    if (issue.code === 'custom') {
      lines.push(`${formatPath(path)}: ${issue.message}`);
      continue;
    }
    lines.push(`${formatPath(path)}: ${describeIssue(issue)}, got ${describeValue(valueAt(raw, issue.path))}`);
  }
  return lines;
}
