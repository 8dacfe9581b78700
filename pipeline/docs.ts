/**
 * The plugin reference, generated from the plugins' zod schemas (`sluice docs`). The README
 * holds its output between markers, and a test keeps the two in step.
 */
import { z } from 'zod';
import { stringify as toYaml } from 'yaml';
import { inputPlugins } from '../inputs/index.js';
import { filterPlugins } from '../filters/index.js';
import { outputPlugins } from '../outputs/index.js';
import type { AnyPlugin } from './plugin.js';
import { ERROR_CODES } from './errors.js';

interface JsonSchema {
  type?: string | string[];
  description?: string;
  default?: unknown;
  enum?: unknown[];
  const?: unknown;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
}

function typeOf(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((v) => `\`${String(v)}\``).join(' \\| ');
  if (schema.const !== undefined) return `\`${String(schema.const)}\``;
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return variants.map(typeOf).join(' \\| ');
  if (schema.type === 'array') return `list of ${schema.items ? typeOf(schema.items) : 'values'}`;
  if (schema.type === 'integer' && schema.minimum !== undefined) {
    return schema.maximum !== undefined && schema.maximum < Number.MAX_SAFE_INTEGER ? `integer ${schema.minimum}..${schema.maximum}` : `integer >= ${schema.minimum}`;
  }
  return Array.isArray(schema.type) ? schema.type.join(' \\| ') : (schema.type ?? 'any');
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function rows(schema: JsonSchema, prefix: string, out: string[]): void {
  const required = new Set(schema.required ?? []);
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const path = prefix ? `${prefix}.${name}` : name;
    const def = field.default === undefined ? (required.has(name) ? '**required**' : '') : `\`${JSON.stringify(field.default)}\``;
    out.push(`| \`${path}\` | ${typeOf(field)} | ${def} | ${cell(field.description ?? '')} |`);
    if (field.properties) rows(field, path, out);
    if (field.type === 'array' && field.items?.properties) rows(field.items, `${path}[]`, out);
    const variant = (field.anyOf ?? []).find((v) => v.properties);
    if (variant) rows(variant, path, out);
  }
}

export function pluginReference(plugin: AnyPlugin): string {
  const schema = z.toJSONSchema(plugin.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
  const runsOnce = plugin.kind === 'input' && plugin.oneProcess !== undefined ? ` With \`pipeline.workers\` > 1 it runs in worker 0 only: ${plugin.oneProcess}.` : '';
  const out = [`### ${plugin.kind} \`${plugin.type}\``, '', plugin.description + runsOnce, '', '| option | type | default | description |', '|---|---|---|---|'];
  rows(schema, '', out);
  const example = toYaml([{ type: plugin.type, ...plugin.example }]).trimEnd();
  out.push('', '```yaml', `${plugin.kind}s:`, ...example.split('\n').map((l) => `  ${l}`), '```', '');
  return out.join('\n');
}

export function referenceMarkdown(): string {
  const sections = [
    '## Plugin reference',
    '',
    'Generated from the plugins\' zod schemas by `sluice docs`; `npm test` fails when this section and the schemas disagree.',
    'Every filter and output also takes `id` (a name for logs and metrics) and `when` (a condition, Logstash syntax); inputs take `id`.',
    '',
  ];
  for (const plugin of [...inputPlugins, ...filterPlugins, ...outputPlugins] as AnyPlugin[]) sections.push(pluginReference(plugin));
  return sections.join('\n');
}

/** The README's "Error codes" table, from the registry in errors.ts. */
export function errorCodesMarkdown(): string {
  const rows = Object.entries(ERROR_CODES).map(([code, meaning]) => `| \`${code}\` | ${cell(meaning)} |`);
  return [
    '## Error codes',
    '',
    'Every error sluice reports on purpose carries one of these stable codes: in `sluice check` and start-up',
    'errors (`sluice: ... [CODE]`), and as `code` in its log lines. Match on the code, never on the sentence.',
    'Exit status: 2 for a bad config, 1 for the environment (a port in use) or a bug, 0 after a clean stop.',
    '`sluice check` also opens every file a pipeline names (TLS certificates, keys and CAs, the index template, the',
    'dead letter file) and refuses, with the option\'s path and the file, one that `sluice run` could not use.',
    'Generated from `pipeline/errors.ts` by `npm run docs`; a test keeps the two in step.',
    '',
    '| code | meaning |',
    '|---|---|',
    ...rows,
    '',
  ].join('\n');
}
