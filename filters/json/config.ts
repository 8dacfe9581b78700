import { z } from 'zod';
import { fieldReference } from '../../config/fields.js';

export const jsonFilterSchema = z.strictObject({
  source: fieldReference('Field holding the JSON text.').default('message'),
  target: fieldReference('Where the parsed value goes; unset: merged into the event root (an object is required there).').optional(),
  max_depth: z
    .int()
    .min(1)
    .max(16)
    .default(3)
    .describe('How many levels of JSON-in-a-string are expanded: 1 parses only `source`; 3 also expands a JSON `message` inside it (python-logstash carrying structlog) and one level below.'),
  tag_on_failure: z.array(z.string()).default(['_jsonparsefailure']).describe('Tags added when `source` holds text that is not valid JSON (or not an object when merging into the root).'),
  skip_on_invalid_json: z.boolean().default(false).describe('Leave events whose `source` is not JSON untouched and untagged (plain-text lines pass quietly).'),
  remove_source: z.boolean().default(false).describe('Delete `source` after a successful parse (when the parsed value did not replace it).'),
  keep_original: z.boolean().default(false).describe('Copy the text that was parsed into `event.original`.'),
});

export type JsonFilterConfig = z.output<typeof jsonFilterSchema>;
