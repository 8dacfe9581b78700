/** `type: null`: accepts and discards, for benchmarks and for measuring the pipeline without an output's cost. */
import { z } from 'zod';
import type { OutputPlugin } from '../../pipeline/plugin.js';
import { serializeEvent } from '../../pipeline/serialize.js';

const nullOutputSchema = z.strictObject({
  serialize: z.boolean().default(true).describe('Serialize each event to JSON as a real output would, so benchmarks include that cost.'),
});

export const nullOutput: OutputPlugin<typeof nullOutputSchema> = {
  kind: 'output',
  type: 'null',
  description: 'Discards every event (counted as delivered). For benchmarks and dry runs.',
  schema: nullOutputSchema,
  example: { serialize: true },
  create(config) {
    let sink = 0;
    return {
      async start() {},
      async send(events) {
        if (config.serialize) for (const event of events) sink += serializeEvent(event).length;
        return { delivered: events.length, deadLettered: 0, dropped: 0 };
      },
      async stop() {
        sink = 0;
      },
    };
  },
};
