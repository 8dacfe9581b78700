/** `type: date`: parses a date field with the first matching format into `@timestamp` (UTC), like Logstash's date filter. */
import { addTag, type Event } from '../../pipeline/event.js';
import { getField, parseFieldReference, setField } from '../../pipeline/fields.js';
import type { FilterPlugin } from '../../pipeline/plugin.js';
import { dateFilterSchema } from './config.js';
import { compileFormat } from './parse.js';

export const dateFilter: FilterPlugin<typeof dateFilterSchema> = {
  kind: 'filter',
  type: 'date',
  description: 'Parses a date from a field with the first matching format (ISO8601, UNIX, UNIX_MS or a Joda pattern) into `@timestamp` or another target, as UTC; a timezone option covers times without an offset, and events that match no format are tagged `_dateparsefailure`.',
  schema: dateFilterSchema,
  example: { source: 'timestamp', formats: ['dd/MMM/yyyy:HH:mm:ss Z', 'ISO8601'], timezone: 'Europe/Paris' },
  create(config, context) {
    const source = parseFieldReference(config.source);
    const target = parseFieldReference(config.target);
    const parsers = config.formats.map((format) => compileFormat(format, config.timezone));
    const failures = context.metrics.counter('date_parse_failures_total', 'Events whose date matched no format');
    return {
      process(events: Event[]): Event[] {
        const now = Date.now();
        for (const event of events) {
          const value = getField(event, source);
          if (value === undefined || value === null) continue;
          let ms: number | undefined;
          for (const parse of parsers) {
            ms = parse(value, now);
            if (ms !== undefined) break;
          }
          const date = ms === undefined ? undefined : new Date(ms);
          if (date === undefined || Number.isNaN(date.getTime())) {
            failures.inc();
            for (const tag of config.tag_on_failure) addTag(event, tag);
            continue;
          }
          setField(event, target, date.toISOString());
        }
        return events;
      },
    };
  },
};
