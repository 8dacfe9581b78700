import { z } from 'zod';
import { fieldReference } from '../../config/fields.js';

const keyList = (description: string) => z.array(z.string().min(1)).optional().describe(description);

export const kvFilterSchema = z
  .strictObject({
    source: fieldReference('Field holding the `key=value` text.').default('message'),
    target: fieldReference('Object the pairs are written into; unset: the event root.').optional(),
    field_split: z.string().min(1).default(' ').describe('Characters that separate pairs (each one is a separator): `" "` for logfmt, `"&"` for a query string, `", "` for comma-and-space lists.'),
    value_split: z.string().min(1).default('=').describe('Characters that separate a key from its value (each one is a separator): `"="`, `":"`, `"=:"`.'),
    whitespace: z.enum(['lenient', 'strict']).default('lenient').describe('`lenient`: spaces around a value separator are allowed (`key = value`); `strict`: they end the pair.'),
    include_brackets: z.boolean().default(true).describe('A value opening with `[`, `(` or `<` runs to the matching closer, separators included, and the brackets are removed.'),
    include_keys: keyList('Only these keys are kept (compared after `trim_key`, before `prefix`).'),
    exclude_keys: keyList('These keys are dropped.'),
    prefix: z.string().default('').describe('Prepended to every key written.'),
    trim_key: z.string().default('').describe('Characters stripped from both ends of each key.'),
    trim_value: z.string().default('').describe('Characters stripped from both ends of each (unquoted) value.'),
    allow_duplicate_values: z.boolean().default(true).describe('A key seen twice keeps both values as an array; false keeps the first.'),
    default_keys: z.record(z.string().min(1), z.string()).optional().describe('`{key: value}` set when the text does not carry the key.'),
    tag_on_failure: z.array(z.string()).default(['_kv_filter_error']).describe('Tags added when the source is not text or carries an unterminated quote.'),
  })
  .superRefine((config, context) => {
    const shared = [...config.field_split].filter((c) => config.value_split.includes(c));
    if (shared.length > 0) context.addIssue({ code: 'custom', path: ['value_split'], message: `characters ${JSON.stringify(shared.join(''))} are in both field_split and value_split` });
    if (/["']/.test(config.field_split + config.value_split)) context.addIssue({ code: 'custom', path: ['field_split'], message: 'quotes cannot be separators: they delimit quoted values' });
  });

export type KvFilterConfig = z.output<typeof kvFilterSchema>;
