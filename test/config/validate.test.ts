import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../config/load.js';
import { ConfigError } from '../../pipeline/errors.js';
import { inputPlugins } from '../../inputs/index.js';
import { filterPlugins } from '../../filters/index.js';
import { outputPlugins } from '../../outputs/index.js';
import { makeCertificates } from '../helpers/certs.js';

function problems(yaml: string, env: Record<string, string> = {}): string[] {
  try {
    parseConfigText(yaml, 'test.yml', env);
  } catch (err) {
    if (err instanceof ConfigError) return [...err.issues];
    throw err;
  }
  return [];
}

const OUT = 'outputs:\n  - type: stdout\n';

describe('config validation', () => {
  it('accepts a minimal pipeline and applies defaults', () => {
    const config = parseConfigText(`inputs:\n  - type: tcp\n${OUT}`, 'test.yml', {});
    expect(config.inputs[0].id).toBe('tcp_0');
    expect(config.inputs[0].config).toMatchObject({ port: 5000, codec: 'json_lines', max_line_bytes: 1048576 });
    expect(config.pipeline.queue.max_events).toBeGreaterThan(0);
    expect(config.api).toEqual({ enabled: true, host: '127.0.0.1', port: 9600 });
  });

  it('names the path and the offending value of a bad port', () => {
    expect(problems(`inputs:\n  - type: tcp\n    port: abc\n${OUT}`)).toEqual([
      'inputs[0].port: expected an integer 0..65535 (0: the OS picks a free port), got "abc"',
    ]);
    expect(problems(`inputs:\n  - type: tcp\n    port: 70000\n${OUT}`)[0]).toMatch(/^inputs\[0\]\.port: expected an integer 0\.\.65535.*got 70000$/);
  });

  it('lists the known types for an unknown plugin type', () => {
    const [line] = problems(`inputs:\n  - type: pulsar\n${OUT}`);
    expect(line).toMatch(/^inputs\[0\]\.type: unknown input type "pulsar" \(known: .*tcp.*\)$/);
  });

  it('reports unknown keys with the keys that are allowed', () => {
    const [line] = problems(`inputs:\n  - type: tcp\n    prot: 5000\n${OUT}`);
    expect(line).toMatch(/^inputs\[0\]\.prot: unknown key \(known keys: type, id, .*port.*\)$/);
    expect(problems(`inputz: []\n${OUT}`)).toContain('inputz: unknown key (known keys: log_level, log_format, pipeline, api, inputs, filters, outputs, alerts)');
  });

  it('reports every problem at once', () => {
    const lines = problems(`inputs:\n  - type: tcp\n    port: abc\n    codec: xml\n  - type: nope\noutputs:\n  - type: stdout\n    codec: yaml\n`);
    expect(lines).toHaveLength(4);
    expect(lines.some((l) => l.startsWith('inputs[0].codec:') && l.includes('"xml"'))).toBe(true);
    expect(lines.some((l) => l.startsWith('inputs[1].type:'))).toBe(true);
    expect(lines.some((l) => l.startsWith('outputs[0].codec:'))).toBe(true);
  });

  it('requires inputs and outputs', () => {
    expect(problems('inputs: []\noutputs: []\n')).toEqual(['inputs: expected at least one input, got []', 'outputs: expected at least one output, got []']);
  });

  it('substitutes ${VAR} and ${VAR:-default}, typing whole values like YAML', () => {
    const config = parseConfigText('inputs:\n  - type: tcp\n    port: ${PORT:-5001}\n    host: "${HOST}"\noutputs:\n  - type: stdout\n    id: out-${NAME:-x}\n', 'test.yml', { HOST: '127.0.0.1', NAME: 'a' });
    expect(config.inputs[0].config).toMatchObject({ port: 5001, host: '127.0.0.1' });
    expect(config.outputs[0].id).toBe('out-a');
    expect(parseConfigText('inputs:\n  - type: tcp\n    port: ${PORT}\n' + OUT, 't', { PORT: '6000' }).inputs[0].config).toMatchObject({ port: 6000 });
  });

  it('names a missing environment variable and its path', () => {
    expect(problems(`inputs:\n  - type: tcp\n    port: \${PORT}\n${OUT}`)).toEqual([
      'inputs[0].port: environment variable PORT is not set and has no default (write ${PORT:-default})',
    ]);
  });

  it('reports YAML syntax errors with line and column', () => {
    const [line] = problems('inputs:\n  - type: tcp\n   port: [\n');
    expect(line).toMatch(/^test\.yml:\d+:\d+: /);
  });

  it('rejects duplicate ids', () => {
    expect(problems(`inputs:\n  - type: tcp\n    id: a\n  - type: tcp\n    id: a\n${OUT}`)).toContain('id "a" is used by more than one plugin; ids must be unique');
  });

  it('checks TLS cross-field rules', () => {
    const certs = makeCertificates();
    const lines = problems(`inputs:\n  - type: tcp\n    tls:\n      cert: ${certs.serverCert}\n      key: ${certs.serverKey}\n      client_auth: required\n${OUT}`);
    expect(lines).toEqual(['inputs[0].tls.ca: client_auth required needs a ca file to verify client certificates']);
  });
});

describe('plugin examples', () => {
  it.each([...inputPlugins, ...filterPlugins, ...outputPlugins].map((p) => [`${p.kind} ${p.type}`, p] as const))('%s example is valid', (_name, plugin) => {
    const parsed = plugin.schema.safeParse(plugin.example);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });

  it('reports a condition syntax error with its column, and filter settings errors with their path', () => {
    const yaml = `inputs:\n  - type: tcp\nfilters:\n  - type: drop\n    when: '[status] >= 500 and'\n  - type: date\n    source: ts\n    formats: ['yyyy-MM-dd Q']\n  - type: mutate\n    convert: { n: number }\noutputs:\n  - type: stdout\n    when: '[a] =~ "x"'\n`;
    const found = problems(yaml);
    expect(found).toHaveLength(4);
    expect(found[0]).toMatch(/^filters\[0\]\.when: expected a \[field\].* at column 20 of "\[status\] >= 500 and"/);
    expect(found[1]).toMatch(/^filters\[1\]\.formats\[0\]: .*unsupported letter "Q" at column 12/);
    expect(found[2]).toMatch(/^filters\[2\]\.convert\.n: /);
    expect(found[3]).toMatch(/^outputs\[0\]\.when: =~ needs a \/regex\/ on its right at column 8/);
  });

  it('every schema field carries a description', () => {
    for (const plugin of [...inputPlugins, ...filterPlugins, ...outputPlugins]) {
      const json = JSON.stringify(plugin.schema.toJSONSchema?.({ io: 'input', unrepresentable: 'any' }) ?? {});
      const schema = JSON.parse(json) as { properties?: Record<string, { description?: string }> };
      for (const [name, field] of Object.entries(schema.properties ?? {})) {
        expect(field.description, `${plugin.type}.${name}`).toBeTruthy();
      }
    }
  });
});
