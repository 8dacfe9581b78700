/**
 * The corpus: .conf files covering the grammar and every translated option, each beside the
 * YAML `sluice convert` prints for it. The YAML is compared as text (SLUICE_UPDATE_CORPUS=1
 * rewrites it), and it must load into the same pipeline as the .conf does.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../../../config/load.js';
import { convertLogstashText } from '../../../config/logstash/convert.js';
import { parseLogstashText } from '../../../config/logstash/index.js';
import type { ValidConfig } from '../../../config/validate.js';
import { ConfigError } from '../../../pipeline/errors.js';
import { TABLES } from '../../../config/logstash/translate/tables.js';
import { COMMON_FILTER, COMMON_INPUT, COMMON_OUTPUT } from '../../../config/logstash/translate/common.js';

const DIR = join(import.meta.dirname, 'corpus');
const FILES = readdirSync(DIR).filter((f) => f.endsWith('.conf')).sort();
const UPDATE = process.env.SLUICE_UPDATE_CORPUS === '1';

/** A .conf's validation problem without the position it is told at: `inputs[0].port: ...`, as from YAML. */
const unlocated = (issue: string) => issue.replace(/^\S+:\d+:\d+: [^(]*\(((?:inputs|filters|outputs)\[[^)]*)\): /, '$1: ');

/** What a loaded pipeline runs: plugin types, ids, conditions and validated options. */
function shape(load: () => ValidConfig): unknown {
  try {
    const config = load();
    const plugins = (list: ValidConfig['inputs'] | ValidConfig['filters'] | ValidConfig['outputs']) =>
      list.map((p) => ({ type: p.plugin.type, id: p.id, when: p.whenText, config: p.config }));
    return { pipeline: config.pipeline, inputs: plugins(config.inputs), filters: plugins(config.filters), outputs: plugins(config.outputs) };
  } catch (err) {
    if (err instanceof ConfigError) return { error: err.code, issues: err.issues.map(unlocated) };
    throw err;
  }
}

describe('Logstash corpus', () => {
  it('holds at least 30 files', () => {
    expect(FILES.length).toBeGreaterThanOrEqual(30);
  });

  for (const file of FILES) {
    const conf = readFileSync(join(DIR, file), 'utf8');
    const yamlPath = join(DIR, file.replace(/\.conf$/, '.yml'));

    it(`${file}: converts to the expected YAML`, () => {
      const yaml = convertLogstashText(conf, file);
      if (UPDATE) writeFileSync(yamlPath, yaml);
      expect(yaml).toBe(readFileSync(yamlPath, 'utf8'));
    });

    it(`${file}: the YAML loads into the same pipeline as the .conf`, () => {
      const yaml = readFileSync(yamlPath, 'utf8');
      const fromConf = shape(() => parseLogstashText(conf, file, {}, () => undefined));
      const fromYaml = shape(() => parseConfigText(yaml, file, {}));
      expect(fromYaml).toEqual(fromConf);
    });
  }

  it('uses every option of every translation table (the common ones on one plugin of their kind at least)', () => {
    const texts = FILES.map((f) => readFileSync(join(DIR, f), 'utf8'));
    const uses = (t: string, option: string) => new RegExp(`[\\s{"']${option}["']?\\s*=>`).test(t);
    const unused: string[] = [];
    const common = { input: COMMON_INPUT, filter: COMMON_FILTER, output: COMMON_OUTPUT };
    for (const [section, options] of Object.entries(common)) {
      for (const [option, rule] of Object.entries(options)) if (rule.kind !== 'refused' && !texts.some((t) => uses(t, option))) unused.push(`${section} *.${option}`);
    }
    for (const table of TABLES) {
      const files = texts.filter((t) => new RegExp(`(^|[\\s{"'])${table.name}["']?\\s*\\{`, 'm').test(t));
      for (const [option, rule] of Object.entries(table.options)) {
        if (rule.kind === 'refused' || option in common[table.section]) continue;
        if (!files.some((t) => uses(t, option))) unused.push(`${table.name}.${option}`);
      }
    }
    expect(unused).toEqual([]);
  });
});
