import { z } from 'zod';

export const stdoutOutputSchema = z.strictObject({
  codec: z
    .enum(['json_lines', 'pretty'])
    .default('json_lines')
    .describe('`json_lines`: one JSON object per line, `@metadata` left out. `pretty`: a readable block per event (coloured on a terminal).'),
  color: z.enum(['auto', 'always', 'never']).default('auto').describe('Colours for `pretty`: `auto` uses them when stdout is a terminal.'),
});

export type StdoutOutputConfig = z.output<typeof stdoutOutputSchema>;
