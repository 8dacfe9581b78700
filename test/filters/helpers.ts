import type { Event } from '../../pipeline/event.js';
import type { FilterPlugin } from '../../pipeline/plugin.js';
import { Metrics } from '../../pipeline/metrics.js';
import { createLogger } from '../../pipeline/logger.js';
import { localStdoutWriter } from '../../pipeline/stdout_stream.js';

/** Builds a filter the way the pipeline does: config through the plugin's schema, then create(). */
export function makeFilter(plugin: FilterPlugin, settings: Record<string, unknown>): { run: (events: Event[]) => Event[]; metrics: Metrics } {
  const metrics = new Metrics();
  const config = plugin.schema.parse(settings);
  const filter = plugin.create(config, { id: plugin.type, logger: createLogger('silent'), metrics, stdout: localStdoutWriter, share: { index: 0, count: 1 } });
  return { run: (events) => filter.process(events), metrics };
}
