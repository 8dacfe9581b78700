/**
 * Field builders that every plugin schema shares, so that ports, sizes and durations read and
 * fail the same way everywhere.
 */
import { z } from 'zod';
import { isFieldReference } from '../pipeline/fields.js';
import { compileTemplate } from '../pipeline/template.js';

export function port(defaultPort: number) {
  const message = 'expected an integer 0..65535 (0: the OS picks a free port)';
  return z
    .int({ error: message })
    .min(0, { error: message })
    .max(65535, { error: message })
    .default(defaultPort);
}

export function byteSize(defaultBytes: number, description: string) {
  return z
    .int({ error: 'expected a whole number of bytes' })
    .positive({ error: 'expected a positive number of bytes' })
    .default(defaultBytes)
    .describe(description);
}

export function seconds(defaultSeconds: number, description: string) {
  return z
    .number({ error: 'expected a number of seconds' })
    .nonnegative({ error: 'expected a number of seconds >= 0' })
    .default(defaultSeconds)
    .describe(description);
}

export function count(defaultCount: number, description: string, min = 1) {
  return z
    .int({ error: `expected an integer >= ${min}` })
    .min(min, { error: `expected an integer >= ${min}` })
    .default(defaultCount)
    .describe(description);
}

export const host = (defaultHost: string, description = 'Address to listen on.') => z.string().min(1).default(defaultHost).describe(description);

/** A Logstash field reference: `message`, `[log][level]`. */
/** A Logstash field reference, as a value or as a record's key. */
export const fieldReferenceText = z.string().refine(isFieldReference, { error: 'expected a field reference like message or [log][level]' });

export function fieldReference(description: string) {
  return fieldReferenceText.describe(description);
}

/** A `%{[field]}` / `%{+yyyy.MM.dd}` string, compiled at validation so a broken one is refused by `sluice check`. */
export function template(description: string, minLength = 0) {
  return z
    .string()
    .min(minLength)
    .superRefine((text, ctx) => {
      try {
        compileTemplate(text);
      } catch (err) {
        ctx.addIssue({ code: 'custom', message: (err as Error).message });
      }
    })
    .describe(description);
}
