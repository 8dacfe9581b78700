/** Every translation table, and the sluice plugins a .conf file may also name directly. */
import { inputPlugins } from '../../../inputs/index.js';
import { filterPlugins } from '../../../filters/index.js';
import { outputPlugins } from '../../../outputs/index.js';
import type { SectionKind } from '../ast.js';
import { FILTER_TABLES } from './filters.js';
import { INPUT_TABLES } from './inputs.js';
import { OUTPUT_TABLES } from './outputs.js';
import type { PluginTable } from './rules.js';

export const TABLES: readonly PluginTable[] = [...INPUT_TABLES, ...FILTER_TABLES, ...OUTPUT_TABLES];

export function findTable(section: SectionKind, name: string): PluginTable | undefined {
  return TABLES.find((t) => t.section === section && t.name === name);
}

/** sluice plugins with no Logstash counterpart (trace_id, exception, null): usable by their sluice name, options as in the plugin reference. */
export function nativePluginTypes(section: SectionKind): string[] {
  const registry = section === 'input' ? inputPlugins : section === 'filter' ? filterPlugins : outputPlugins;
  return registry.map((p) => p.type).filter((type) => !findTable(section, type) && !TABLES.some((t) => t.section === section && t.type === type));
}

export function knownNames(section: SectionKind): string[] {
  return [...TABLES.filter((t) => t.section === section).map((t) => t.name), ...nativePluginTypes(section)];
}
