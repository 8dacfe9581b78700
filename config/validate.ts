/**
 * Validation of a whole pipeline: the top level, then each plugin block by the schema its
 * plugin registered. Every problem is collected, none stops the others from being found.
 */
import { z } from 'zod';
import { inputPlugins } from '../inputs/index.js';
import { filterPlugins } from '../filters/index.js';
import { outputPlugins } from '../outputs/index.js';
import type { AnyPlugin, FilterPlugin, InputPlugin, OutputPlugin } from '../pipeline/plugin.js';
import { compileCondition, type Condition } from '../pipeline/condition/index.js';
import { ConfigError, SluiceError } from '../pipeline/errors.js';
import { formatIssues, zodMessages } from './issues.js';
import { formatPath } from './paths.js';
import { COMMON_KEYS, pipelineFileSchema, type ApiSettings, type PipelineSettings } from './schema.js';
import type { LogFormat, LogLevel } from '../pipeline/logger.js';
import type { AlertsSettings } from '../pipeline/alerts/config.js';

export interface PluginInstanceConfig<P extends AnyPlugin> {
  readonly plugin: P;
  readonly id: string;
  readonly when?: Condition;
  readonly whenText?: string;
  readonly config: unknown;
}

export interface ValidConfig {
  readonly logLevel?: LogLevel;
  readonly logFormat?: LogFormat;
  readonly pipeline: PipelineSettings;
  readonly api: ApiSettings;
  readonly inputs: ReadonlyArray<PluginInstanceConfig<InputPlugin>>;
  readonly filters: ReadonlyArray<PluginInstanceConfig<FilterPlugin>>;
  readonly outputs: ReadonlyArray<PluginInstanceConfig<OutputPlugin>>;
  readonly alerts: AlertsSettings;
}

type Kind = 'input' | 'filter' | 'output';

function shapeKeys(schema: z.ZodType): string[] {
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : [];
}

function validatePlugin<P extends AnyPlugin>(
  kind: Kind,
  section: 'inputs' | 'filters' | 'outputs',
  index: number,
  block: Record<string, unknown>,
  registry: readonly P[],
  problems: string[],
): PluginInstanceConfig<P> | undefined {
  const path = [section, index];
  const plugin = registry.find((p) => p.type === block.type);
  if (!plugin) {
    const known = registry.map((p) => p.type).join(', ');
    problems.push(`${formatPath([...path, 'type'])}: unknown ${kind} type ${JSON.stringify(block.type)} (known: ${known})`);
    return undefined;
  }
  const { type: _type, id, when, ...rest } = block;
  let ok = true;
  if (id !== undefined && (typeof id !== 'string' || id.length === 0)) {
    problems.push(`${formatPath([...path, 'id'])}: expected a non-empty string, got ${JSON.stringify(id)}`);
    ok = false;
  }
  let condition: Condition | undefined;
  if (when !== undefined) {
    if (kind === 'input') {
      problems.push(`${formatPath([...path, 'when'])}: inputs take no condition; put it on a filter or an output`);
      ok = false;
    } else if (typeof when !== 'string') {
      problems.push(`${formatPath([...path, 'when'])}: expected a condition string, got ${JSON.stringify(when)}`);
      ok = false;
    } else {
      try {
        condition = compileCondition(when);
      } catch (err) {
        problems.push(`${formatPath([...path, 'when'])}: ${err instanceof SluiceError ? err.message : String(err)}`);
        ok = false;
      }
    }
  }
  const parsed = plugin.schema.safeParse(rest, { error: zodMessages });
  if (!parsed.success) {
    const known = [...COMMON_KEYS[kind], ...shapeKeys(plugin.schema)];
    problems.push(...formatIssues(parsed.error.issues, rest, path, (p) => (p.length === 0 ? known : undefined)));
    return undefined;
  }
  if (!ok) return undefined;
  return {
    plugin,
    id: typeof id === 'string' ? id : `${plugin.type}_${index}`,
    ...(condition ? { when: condition, whenText: when as string } : {}),
    config: parsed.data,
  };
}

function checkUniqueIds(sections: Array<ReadonlyArray<{ id: string }>>, problems: string[]): void {
  const seen = new Set<string>();
  for (const list of sections) {
    for (const item of list) {
      if (seen.has(item.id)) problems.push(`id ${JSON.stringify(item.id)} is used by more than one plugin; ids must be unique`);
      seen.add(item.id);
    }
  }
}

/** Validates a parsed (and env-substituted) document; throws ConfigError listing every problem. */
export function validateConfig(raw: unknown, source: string): ValidConfig {
  const top = pipelineFileSchema.safeParse(raw, { error: zodMessages });
  if (!top.success) {
    const problems = formatIssues(top.error.issues, raw, [], (p) => (p.length === 0 ? Object.keys(pipelineFileSchema.shape) : undefined));
    throw new ConfigError('SLUICE_CONFIG_INVALID', `${source}: ${problems.length} problem(s)`, problems, { source });
  }
  const doc = top.data;
  const problems: string[] = [];
  const inputs = doc.inputs.map((b, i) => validatePlugin('input', 'inputs', i, b, inputPlugins, problems));
  const filters = doc.filters.map((b, i) => validatePlugin('filter', 'filters', i, b, filterPlugins, problems));
  const outputs = doc.outputs.map((b, i) => validatePlugin('output', 'outputs', i, b, outputPlugins, problems));
  const present = <T>(list: Array<T | undefined>): T[] => list.filter((x): x is T => x !== undefined);
  const valid: ValidConfig = {
    ...(doc.log_level ? { logLevel: doc.log_level } : {}),
    ...(doc.log_format ? { logFormat: doc.log_format } : {}),
    pipeline: doc.pipeline,
    api: doc.api,
    inputs: present(inputs),
    filters: present(filters),
    outputs: present(outputs),
    alerts: doc.alerts,
  };
  checkUniqueIds([valid.inputs, valid.filters, valid.outputs], problems);
  if (problems.length > 0) throw new ConfigError('SLUICE_CONFIG_INVALID', `${source}: ${problems.length} problem(s)`, problems, { source });
  return valid;
}
