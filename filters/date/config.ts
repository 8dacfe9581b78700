import { z } from 'zod';
import { fieldReference } from '../../config/fields.js';
import { isValidZone } from '../../pipeline/zone.js';
import { compileFormat } from './parse.js';

/** A pattern with an unknown letter or an open quote is reported by `sluice check`, not at the first event. */
function checkFormat(format: string, context: z.RefinementCtx): void {
  try {
    compileFormat(format, 'UTC');
  } catch (err) {
    context.addIssue({ code: 'custom', message: (err as Error).message });
  }
}

export const dateFilterSchema = z.strictObject({
  source: fieldReference('Field holding the date text (or number, for UNIX formats).'),
  formats: z
    .array(z.string().min(1).superRefine(checkFormat))
    .min(1)
    .describe('Formats tried in order: `ISO8601`, `UNIX` (seconds, fractions allowed), `UNIX_MS`, or a Joda pattern such as `dd/MMM/yyyy:HH:mm:ss Z`, `yyyy-MM-dd HH:mm:ss,SSS`, `MMM d HH:mm:ss` (no year: the current one, or last year for a date that would be in the future).'),
  target: fieldReference('Where the parsed time goes, as UTC ISO-8601.').default('@timestamp'),
  timezone: z.string().refine(isValidZone, { error: 'expected an IANA zone such as Europe/Paris, UTC, or an offset such as +05:30' }).default('UTC').describe('Zone of times that carry no offset.'),
  tag_on_failure: z.array(z.string()).default(['_dateparsefailure']).describe('Tags added when no format matches.'),
});

export type DateFilterConfig = z.output<typeof dateFilterSchema>;
