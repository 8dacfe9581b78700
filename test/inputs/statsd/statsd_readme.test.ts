/** The README's statsd example is a pipeline `sluice check` accepts. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { validateConfig } from '../../../config/validate.js';

describe('README statsd example', () => {
  it('is a valid pipeline', () => {
    const readme = readFileSync(join(import.meta.dirname, '..', '..', '..', 'README.md'), 'utf8');
    const block = [...readme.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]).find((yaml) => yaml.includes('type: statsd, port: 8125'));
    expect(block).toBeDefined();
    const config = validateConfig(parseYaml(block ?? ''), 'README.md');
    expect(config.inputs.map((input) => input.plugin.type)).toEqual(['statsd']);
  });
});
