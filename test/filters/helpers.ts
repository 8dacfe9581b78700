import type { Event } from '../../pipeline/event.js';
import type { FilterPlugin } from '../../pipeline/plugin.js';
import { Metrics } from '../../pipeline/metrics.js';
import { standaloneContext } from '../../pipeline/plugin_context.js';

/** Builds a filter the way the pipeline does: config through the plugin's schema, then create(). */
export function makeFilter(plugin: FilterPlugin, settings: Record<string, unknown>): { run: (events: Event[]) => Event[]; metrics: Metrics } {
  const metrics = new Metrics();
  const config = plugin.schema.parse(settings);
  const filter = plugin.create(config, standaloneContext(plugin.type, metrics));
  return { run: (events) => filter.process(events), metrics };
}
