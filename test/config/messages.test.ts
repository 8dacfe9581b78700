/**
 * No zod sentence reaches a user: for every registered plugin, each required option left out
 * says `<path>: required`, and each option given a value of the wrong type says what was
 * expected and what it got. The options are found from the schemas, so a new plugin is covered.
 */
import { z } from 'zod';
import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../config/validate.js';
import { ConfigError } from '../../pipeline/errors.js';
import { inputPlugins } from '../../inputs/index.js';
import { filterPlugins } from '../../filters/index.js';
import { outputPlugins } from '../../outputs/index.js';
import type { AnyPlugin } from '../../pipeline/plugin.js';
import { formatPath } from '../../config/paths.js';

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  additionalProperties?: JsonSchema | boolean;
}

type Block = Record<string, unknown>;
const ZOD_WORDING = /Invalid|Too small|Too big|received|Unrecognized|expected (string|number|int|boolean|array|object)\b/;

function problems(raw: unknown): string[] {
  try {
    validateConfig(raw, 'test.yml');
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

const SECTION = { input: 'inputs', filter: 'filters', output: 'outputs' } as const;

/** A whole pipeline around one plugin block, so the block's problems carry their real path. */
function pipelineWith(plugin: AnyPlugin, block: Block): { raw: unknown; prefix: string } {
  const full = { type: plugin.type, ...block };
  const raw = {
    inputs: plugin.kind === 'input' ? [full] : [{ type: 'tcp' }],
    ...(plugin.kind === 'filter' ? { filters: [full] } : {}),
    outputs: plugin.kind === 'output' ? [full] : [{ type: 'stdout' }],
  };
  return { raw, prefix: `${SECTION[plugin.kind]}[0]` };
}

/** The object form of a field (an optional object is `anyOf [object, ...]` in JSON Schema). */
function objectOf(schema: JsonSchema): JsonSchema | undefined {
  if (schema.properties) return schema;
  return (schema.anyOf ?? schema.oneOf ?? []).find((v) => v.properties);
}

/** Every object node of a schema with its path, the root included. */
function objects(schema: JsonSchema, path: string[] = []): Array<{ path: string[]; node: JsonSchema }> {
  const found = [{ path, node: schema }];
  for (const [name, field] of Object.entries(schema.properties ?? {})) {
    const nested = objectOf(field);
    if (nested) found.push(...objects(nested, [...path, name]));
  }
  return found;
}

/** `block` with `{}` at `path` (creating parents), or the example itself at the root. */
function withEmptyAt(example: Block, path: string[]): Block {
  if (path.length === 0) return { ...example };
  const copy: Block = { ...example };
  let node = copy;
  for (const key of path) {
    const next: Block = {};
    node[key] = next;
    node = next;
  }
  return copy;
}

function acceptedTypes(schema: JsonSchema): Set<string> {
  const types = new Set<string>();
  const add = (s: JsonSchema) => {
    const t = s.type;
    for (const one of Array.isArray(t) ? t : t ? [t] : []) types.add(one === 'integer' ? 'number' : one);
    for (const v of s.enum ?? []) types.add(typeof v);
    if (s.const !== undefined) types.add(typeof s.const);
    for (const v of [...(s.anyOf ?? []), ...(s.oneOf ?? [])]) add(v);
  };
  add(schema);
  return types;
}

/** A value of a JSON type the field does not accept, or undefined when it accepts anything. */
function wrongValue(schema: JsonSchema): unknown {
  const accepted = acceptedTypes(schema);
  if (accepted.size === 0) return undefined;
  const candidates: Array<[string, unknown]> = [['number', 12345], ['string', 'surely-not-valid'], ['boolean', true], ['array', [12345]], ['object', { nope: 1 }]];
  return candidates.find(([type]) => !accepted.has(type))?.[1];
}

const plugins = [...inputPlugins, ...filterPlugins, ...outputPlugins] as AnyPlugin[];

describe('messages for every plugin option', () => {
  const all = plugins.map((plugin) => [`${plugin.kind} ${plugin.type}`, plugin] as const);
  let requiredSeen = 0;

  it.each(all)('%s: each required option left out says "required"', (_name, plugin) => {
    const schema = z.toJSONSchema(plugin.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    for (const { path, node } of objects(schema)) {
      for (const key of node.required ?? []) {
        const block = withEmptyAt(plugin.example, path);
        if (path.length === 0) delete block[key];
        const { raw, prefix } = pipelineWith(plugin, block);
        const expected = `${prefix}${path.length ? `.${path.join('.')}` : ''}.${key}: required`;
        expect(problems(raw), `${plugin.type}: ${[...path, key].join('.')}`).toContain(expected);
        requiredSeen++;
      }
    }
  });

  it.each(all)('%s: each option given the wrong type says what was expected and what it got', (_name, plugin) => {
    const schema = z.toJSONSchema(plugin.schema, { io: 'input', unrepresentable: 'any' }) as JsonSchema;
    for (const { path, node } of objects(schema)) {
      for (const [key, field] of Object.entries(node.properties ?? {})) {
        const wrong = wrongValue(field);
        if (wrong === undefined) continue;
        const block = structuredClone(plugin.example);
        let parent = block;
        for (const p of path) parent = (parent[p] ??= {}) as Block;
        parent[key] = wrong;
        const { raw, prefix } = pipelineWith(plugin, block);
        const where = formatPath([...prefix.replace(/\[0\]$/, '').split('.'), 0, ...path, key]);
        const line = problems(raw).find((l) => l.startsWith(`${where}: `) || l.startsWith(`${where}[`) || l.startsWith(`${where}.`));
        expect(line, `${plugin.type}: ${where} = ${JSON.stringify(wrong)}`).toBeDefined();
        expect(line).toMatch(/: expected .+, got .+$/);
        expect(line).not.toMatch(ZOD_WORDING);
      }
    }
  });

  it('found required options to check (the walk of the schemas works)', () => {
    expect(requiredSeen).toBeGreaterThanOrEqual(5);
  });
});

describe('messages of the pipeline file itself', () => {
  it('a missing inputs or outputs list is "required"; sections of the wrong type say what they expect', () => {
    expect(problems({})).toEqual(['inputs: required', 'outputs: required']);
    const lines = problems({ inputs: [{ type: 'tcp' }], outputs: [{ type: 'stdout' }], pipeline: 5, api: { port: 'x', enabled: 'yes' }, log_level: 'loud' });
    expect(lines).toContain('pipeline: expected a mapping of keys to values, got 5');
    expect(lines).toContain('api.enabled: expected true or false, got "yes"');
    expect(lines).toContain('log_level: expected one of "fatal", "error", "warn", "info", "debug", "trace", "silent", got "loud"');
    for (const line of lines) expect(line).not.toMatch(ZOD_WORDING);
  });

  it('a key written without a value is "required", and a secret is never echoed', () => {
    expect(problems({ inputs: [{ type: 'tcp' }], outputs: [{ type: 'elasticsearch', hosts: null }] })).toEqual(['outputs[0].hosts: required (the key is there but has no value), expected an http(s) URL such as http://localhost:9200, a comma-separated list of them, or a list of them']);
    const lines = problems({ inputs: [{ type: 'tcp' }], outputs: [{ type: 'elasticsearch', hosts: 'http://h:9200', user: 'u', password: 123456 }] });
    expect(lines).toEqual(['outputs[0].password: expected a string, got a number (value hidden)']);
  });

  it('an engine URL that is not http(s), and a list with a bad entry', () => {
    const [line] = problems({ inputs: [{ type: 'tcp' }], outputs: [{ type: 'elasticsearch', hosts: 'ftp://h' }] });
    expect(line).toBe('outputs[0].hosts: expected an http(s) URL such as http://localhost:9200, a comma-separated list of them, or a list of them, got "ftp://h"');
  });
});
