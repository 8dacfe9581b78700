import { z } from 'zod';

const fieldMap = (description: string) => z.record(z.string().min(1), z.string().min(1)).optional().describe(description);
const fieldList = (description: string) => z.array(z.string().min(1)).optional().describe(description);

export const CONVERSIONS = ['integer', 'float', 'string', 'boolean'] as const;

export const mutateFilterSchema = z.strictObject({
  rename: fieldMap('`{old: new}` field references; a missing field is skipped.'),
  copy: fieldMap('`{from: to}`: a deep copy of the value.'),
  replace: fieldMap('`{field: value}`: sets the field (created if missing); `%{field}` references are expanded.'),
  convert: z.record(z.string().min(1), z.enum(CONVERSIONS)).optional().describe('`{field: integer|float|string|boolean}`; arrays are converted element by element; a value that does not convert is left as it is and tagged `_mutate_error`.'),
  lowercase: fieldList('String fields to lower-case.'),
  uppercase: fieldList('String fields to upper-case.'),
  strip: fieldList('String fields to trim of leading and trailing white space.'),
  add_field: z.record(z.string().min(1), z.union([z.string(), z.array(z.string())])).optional().describe('`{field: value}`: adds a value (a second one turns the field into an array, as in Logstash); `%{field}` references work in names and values.'),
  remove_field: fieldList('Fields to delete; `%{field}` references work.'),
  add_tag: fieldList('Tags to add; `%{field}` references work.'),
  remove_tag: fieldList('Tags to remove; `%{field}` references work.'),
});

export type MutateFilterConfig = z.output<typeof mutateFilterSchema>;
