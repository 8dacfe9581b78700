/**
 * The README's "Grok, dissect and kv" examples run: each ```yaml filters block is validated as
 * `sluice check` does, and the ```text line after it, through those filters, gives the ```json
 * event after that.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { standaloneContext } from '../../pipeline/plugin_context.js';
import { validateConfig } from '../../config/validate.js';
import type { Event } from '../../pipeline/event.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const section = readme.slice(readme.indexOf('## Grok, dissect and kv'), readme.indexOf('\n## ', readme.indexOf('## Grok, dissect and kv') + 3));
const blocks = [...section.matchAll(/```(yaml|text|json)\n([\s\S]*?)```/g)].map((m) => ({ kind: m[1], body: m[2] }));
const examples: Array<{ yaml: string; line: string; event: unknown }> = [];
for (let i = 0; i + 2 < blocks.length; i++) {
  if (blocks[i].kind === 'yaml' && blocks[i + 1].kind === 'text' && blocks[i + 2].kind === 'json') {
    examples.push({ yaml: blocks[i].body, line: blocks[i + 1].body.replace(/\n$/, ''), event: JSON.parse(blocks[i + 2].body) });
  }
}

describe('README grok, dissect and kv examples', () => {
  it('has an example for each filter', () => {
    expect(examples.map((e) => (parseYaml(e.yaml) as { filters: Array<{ type: string }> }).filters[0].type)).toEqual(['grok', 'grok', 'dissect', 'kv']);
  });

  it.each(examples.map((e, i) => [i, e] as const))('example %i runs as shown', (_i, example) => {
    const doc = { inputs: [{ type: 'tcp', port: 0 }], outputs: [{ type: 'null' }], ...(parseYaml(example.yaml) as object) };
    const config = validateConfig(doc, 'README.md');
    let events: Event[] = [{ message: example.line }];
    for (const entry of config.filters) {
      const filter = entry.plugin.create(entry.config, standaloneContext(entry.id));
      events = filter.process(events);
    }
    expect(events).toEqual([example.event]);
  });
});
