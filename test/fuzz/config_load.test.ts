/**
 * Fuzzing the config loader (YAML, then ${VAR} substitution, then validation): pipelines built
 * from random settings, literal or from the environment, load with those settings; mutated
 * files, hostile YAML (alias bombs, deep nesting, `__proto__` keys) and any environment values
 * load or fail with a ConfigError that lists its problems, never another error.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { parseConfigText } from '../../config/load.js';
import { ConfigError } from '../../pipeline/errors.js';
import { fuzz, mutatedText } from './fuzz.js';

type Setting = { kind: 'literal' } | { kind: 'env'; name: string } | { kind: 'default'; name: string; set: boolean };

interface InputSpec {
  type: 'tcp' | 'udp' | 'syslog';
  id: string;
  port: number;
  portFrom: Setting;
  codec: string;
}

interface Pipeline {
  inputs: InputSpec[];
  output: 'stdout' | 'null';
  batchSize: number;
  when: string | undefined;
  logLevel: string | undefined;
}

const varName = fc.stringMatching(/^[A-Z_][A-Z0-9_]{0,8}$/);
const setting: fc.Arbitrary<Setting> = fc.oneof(
  fc.constant({ kind: 'literal' as const }),
  fc.record({ kind: fc.constant('env' as const), name: varName }),
  fc.record({ kind: fc.constant('default' as const), name: varName, set: fc.boolean() }),
);
const CODECS = { tcp: ['json_lines', 'lines', 'syslog'], udp: ['json', 'json_lines', 'lines', 'syslog'], syslog: [] } as const;

const input: fc.Arbitrary<InputSpec> = fc
  .record({ type: fc.constantFrom('tcp' as const, 'udp' as const, 'syslog' as const), id: fc.stringMatching(/^[a-z][a-z0-9_-]{0,10}$/), port: fc.integer({ min: 0, max: 65535 }), portFrom: setting, pick: fc.nat() })
  .map(({ pick, ...rest }) => ({ ...rest, codec: CODECS[rest.type].length === 0 ? '' : CODECS[rest.type][pick % CODECS[rest.type].length] }));

const pipeline: fc.Arbitrary<Pipeline> = fc.record({
  inputs: fc.uniqueArray(input, { minLength: 1, maxLength: 4, selector: (i) => i.id }),
  output: fc.constantFrom('stdout' as const, 'null' as const),
  batchSize: fc.integer({ min: 1, max: 100_000 }),
  when: fc.option(fc.constantFrom('[a] == "x"', 'not [tags]', '[n] > 3 and "e" in [m]'), { nil: undefined }),
  logLevel: fc.option(fc.constantFrom('info', 'debug', 'silent'), { nil: undefined }),
});

/** The file and the environment it is loaded with. */
function render(p: Pipeline): { yaml: string; env: Record<string, string> } {
  const env: Record<string, string> = {};
  const lines: string[] = [];
  if (p.logLevel) lines.push(`log_level: ${p.logLevel}`);
  lines.push('pipeline:', `  batch_size: ${p.batchSize}`, 'inputs:');
  for (const [index, i] of p.inputs.entries()) {
    let port = String(i.port);
    // One variable per input, so that two inputs never share one by chance.
    const name = i.portFrom.kind === 'literal' ? '' : `${i.portFrom.name}_${index}`;
    if (i.portFrom.kind === 'env') {
      env[name] = String(i.port);
      port = `\${${name}}`;
    } else if (i.portFrom.kind === 'default') {
      // The default is another port when the variable is set: the environment wins.
      if (i.portFrom.set) env[name] = String(i.port);
      port = `\${${name}:-${i.portFrom.set ? (i.port + 1) % 65536 : i.port}}`;
    }
    lines.push(`  - type: ${i.type}`, `    id: "${i.id}"`, `    port: ${port}`);
    if (i.codec) lines.push(`    codec: ${i.codec}`);
  }
  if (p.when) lines.push('filters:', '  - type: drop', `    when: '${p.when}'`);
  // Quoted: a bare `null` is YAML's null, not the null output.
  lines.push('outputs:', `  - type: "${p.output}"`);
  return { yaml: `${lines.join('\n')}\n`, env };
}

/** Loads, or fails as documented: a ConfigError with its code and at least one problem line. */
function loadOrConfigError(yaml: string, env: Record<string, string>): ReturnType<typeof parseConfigText> | undefined {
  try {
    return parseConfigText(yaml, 'fuzz.yml', env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    expect(['SLUICE_CONFIG_YAML', 'SLUICE_CONFIG_ENV', 'SLUICE_CONFIG_INVALID']).toContain(err.code);
    expect(err.issues.length).toBeGreaterThan(0);
    for (const issue of err.issues) expect(typeof issue).toBe('string');
    return undefined;
  }
}

/** What a hostile or careless file may hold. */
const hostile = fc.oneof(
  fc.integer({ min: 2, max: 12 }).map((fanout) => {
    // Each alias level multiplies the document: a billion laughs in a few lines.
    const levels = ['a: &a [x, x]'];
    for (let i = 1; i < 8; i++) levels.push(`${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array.from({ length: fanout }, () => `*${String.fromCharCode(96 + i)}`).join(', ')}]`);
    return `${levels.join('\n')}\ninputs:\n  - type: tcp\noutputs:\n  - type: stdout\n`;
  }),
  fc.integer({ min: 1, max: 5000 }).map((depth) => `inputs: ${'['.repeat(depth)}${']'.repeat(depth)}\noutputs:\n  - type: stdout\n`),
  fc.constantFrom('__proto__', 'constructor', 'prototype').map((key) => `inputs:\n  - ${key}: { type: tcp, port: 1 }\n    type: tcp\noutputs:\n  - type: stdout\n${key}:\n  polluted: yes\n`),
  fc.constant('inputs:\n  - <<: {type: tcp}\n    port: 7\noutputs:\n  - type: stdout\n'),
);

describe('fuzz: config loader', () => {
  it('loads a pipeline built from random settings with those settings, from the environment or not', () => {
    fuzz(
      fc.property(pipeline, (p) => {
        const { yaml, env } = render(p);
        const config = parseConfigText(yaml, 'fuzz.yml', env);
        expect(config.inputs.map((i) => [i.id, i.plugin.type, (i.config as { port: number }).port])).toEqual(p.inputs.map((i) => [i.id, i.type, i.port]));
        for (const [index, i] of p.inputs.entries()) if (i.codec) expect((config.inputs[index].config as { codec: string }).codec).toBe(i.codec);
        expect(config.pipeline.batch_size).toBe(p.batchSize);
        expect(config.outputs.map((o) => o.plugin.type)).toEqual([p.output]);
        expect(config.filters.length).toBe(p.when ? 1 : 0);
        expect(config.logLevel).toBe(p.logLevel);
      }),
      300,
    );
  });

  it('loads or fails with a ConfigError, whatever the file and the environment hold', () => {
    const envValue = fc.oneof(fc.string({ maxLength: 12 }), fc.constantFrom('[1, 2]', '{a: 1}', '*x', '!!binary x', '1e999', '0x10', 'null', '~', 'yes', '${OTHER}', '"q"', '- a'));
    const files = fc.oneof({ weight: 6, arbitrary: mutatedText(pipeline.map((p) => render(p).yaml), 6) }, { weight: 1, arbitrary: hostile }, { weight: 1, arbitrary: fc.string({ maxLength: 60 }) });
    fuzz(
      fc.property(files, fc.dictionary(varName, envValue, { maxKeys: 6 }), (yaml, env) => {
        loadOrConfigError(yaml, env);
        expect(Object.keys(Object.prototype)).toEqual([]);
      }),
      400,
    );
  });

  it('refuses a `__proto__` or `constructor` key as unknown, never reads settings through it', () => {
    fuzz(
      fc.property(fc.constantFrom('__proto__', 'constructor'), fc.constantFrom('inputs[0]', 'outputs[0]', 'pipeline', 'api', '(root)'), fc.integer({ min: 1, max: 65535 }), (key, where, port) => {
        const block = `${key}: { type: tcp, port: ${port} }`;
        const yaml = {
          'inputs[0]': `inputs:\n  - ${block}\noutputs:\n  - type: stdout\n`,
          'outputs[0]': `inputs:\n  - type: tcp\noutputs:\n  - ${block}\n`,
          pipeline: `pipeline:\n  ${block}\ninputs:\n  - type: tcp\noutputs:\n  - type: stdout\n`,
          api: `api:\n  ${block}\ninputs:\n  - type: tcp\noutputs:\n  - type: stdout\n`,
          '(root)': `${block}\ninputs:\n  - type: tcp\noutputs:\n  - type: stdout\n`,
        }[where];
        expect(loadOrConfigError(yaml, {})).toBeUndefined();
      }),
      50,
    );
  });

  it('types a number or boolean from the environment as YAML would, keeps any other value as it is, and never lets it change the structure', () => {
    const value = fc.oneof(
      fc.string({ maxLength: 20 }),
      fc.tuple(fc.constantFrom('!', '&', '*', '"', "'", '- ', '? ', '% ', '@', '|', '>', '[', '{'), fc.string({ maxLength: 10 })).map(([a, b]) => a + b),
      fc.tuple(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 })).map(([a, b]) => `${a} #${b}`),
      fc.oneof(fc.integer(), fc.double(), fc.boolean()).map(String),
    );
    const typed = /^(?:[-+]?\d+|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?(?:\.\d+|\d+(?:\.\d*)?)(?:[eE][-+]?\d+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)|true|True|TRUE|false|False|FALSE|null|Null|NULL|~)$/;
    fuzz(
      fc.property(value, fc.oneof(value, fc.integer({ min: 0, max: 65535 }).map(String)), (text, portText) => {
        const config = loadOrConfigError('inputs:\n  - type: tcp\n    port: ${PORT}\n    host: ${HOST:-h}\n  - type: tcp\n    id: t2\n    host: "h-${HOST_PART:-x}"\noutputs:\n  - type: stdout\n', { PORT: portText, HOST: text, HOST_PART: text });
        const port = typed.test(portText) ? Number(portText.startsWith('0o') ? parseInt(portText.slice(2), 8) : portText) : NaN;
        const host = text === '' ? 'h' : text;
        // A port must read as an integer 0..65535, and a host that reads as a number, boolean or null is refused (a host is a string); any other text is kept whole.
        if (Number.isInteger(port) && port >= 0 && port <= 65535 && !typed.test(host)) {
          expect(config?.inputs.map((i) => i.config)).toEqual([expect.objectContaining({ port, host }), expect.objectContaining({ host: `h-${text === '' ? 'x' : text}` })]);
        } else {
          expect(config).toBeUndefined();
        }
      }),
      400,
    );
  });
});
