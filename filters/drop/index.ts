/** `type: drop`: discards the events it sees (put it behind a `when:`), all of them or a percentage. Every drop is counted. */
import { z } from 'zod';
import type { Event } from '../../pipeline/event.js';
import type { FilterPlugin } from '../../pipeline/plugin.js';

const dropFilterSchema = z.strictObject({
  percentage: z.number().min(0).max(100).default(100).describe('Share of the events to drop, chosen at random (100: all; 10: sample out one in ten).'),
});

export const dropFilter: FilterPlugin<typeof dropFilterSchema> = {
  kind: 'filter',
  type: 'drop',
  description: 'Drops events on purpose (usually behind a `when:` condition), all of them or a random percentage; dropped events are counted in `filter_events_dropped_total`.',
  schema: dropFilterSchema,
  example: { percentage: 100 },
  create(config, context) {
    const dropped = context.metrics.counter('filter_events_dropped_total', 'Events a drop filter discarded on purpose');
    const share = config.percentage / 100;
    return {
      process(events: Event[]): Event[] {
        if (share >= 1) {
          dropped.inc(events.length);
          return [];
        }
        const kept = events.filter(() => Math.random() >= share);
        dropped.inc(events.length - kept.length);
        return kept;
      },
    };
  },
};
