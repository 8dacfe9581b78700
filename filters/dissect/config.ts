import { z } from 'zod';
import { parseLayout } from './layout.js';
import { fieldReferenceText } from '../../config/fields.js';

/** A mapping that cannot split (two keys with nothing between them, a bad key) is reported by `sluice check`. */
function checkLayout(pattern: string, context: z.RefinementCtx): void {
  try {
    parseLayout(pattern);
  } catch (err) {
    context.addIssue({ code: 'custom', message: (err as Error).message });
  }
}

export const DISSECT_TYPES = ['int', 'float'] as const;

export const dissectFilterSchema = z.strictObject({
  mapping: z
    .record(fieldReferenceText, z.string().min(1).superRefine(checkLayout))
    .refine((m) => Object.keys(m).length > 0, { error: 'expected at least one `field: pattern` entry' })
    .describe(
      '`{source field: pattern}`. A pattern is literal delimiters and keys: `%{name}` (a field, `[a][b]` allowed), `%{+name}` (appended to an earlier key of that name with the delimiter before it; `%{+name/2}` orders appends), `%{?name}` or `%{}` (skipped), `%{&name}` (the value becomes the name of the field set by `%{?name}`), `%{name->}` (repeated delimiters after the value are skipped, for padded columns). The last key takes the rest of the line.',
    ),
  convert_datatype: z.record(z.string().min(1), z.enum(DISSECT_TYPES)).optional().describe('`{field: int|float}` conversions after the split; a value that does not convert is kept as text and tagged `_dissect_convert_failure`.'),
  tag_on_failure: z.array(z.string()).default(['_dissectfailure']).describe('Tags added when a delimiter of the pattern is not in the line (nothing is set then).'),
});

export type DissectFilterConfig = z.output<typeof dissectFilterSchema>;
