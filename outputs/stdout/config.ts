import { z } from 'zod';

export const stdoutOutputSchema = z.strictObject({
  codec: z
    .enum(['json_lines', 'pretty'])
    .default('json_lines')
    .describe('`json_lines`: one JSON object per line, `@metadata` left out. `pretty`: a readable block per event (coloured on a terminal).'),
  metadata: z.boolean().default(false).describe('Include `@metadata` (event id, input and connection facts), as Logstash\'s rubydebug `metadata => true` does; for debugging.'),
  color: z.enum(['auto', 'always', 'never']).default('auto').describe('Colours for `pretty`: `auto` uses them when stdout is a terminal.'),
});

export type StdoutOutputConfig = z.output<typeof stdoutOutputSchema>;
