/**
 * The README's "Coming from Logstash" table, generated from the translation tables (`npm run
 * docs`), so that what the README says is supported is what the translator does.
 */
import type { SectionKind } from './ast.js';
import { COMMON_FILTER, COMMON_INPUT, COMMON_OUTPUT } from './translate/common.js';
import type { Rule } from './translate/rules.js';
import { nativePluginTypes, TABLES } from './translate/tables.js';

const COMMON: Record<SectionKind, Readonly<Record<string, Rule>>> = { input: COMMON_INPUT, filter: COMMON_FILTER, output: COMMON_OUTPUT };

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function describeRule(rule: Rule): string {
  switch (rule.kind) {
    case 'set':
      return rule.doc ?? `\`${rule.to}\``;
    case 'custom':
      return rule.doc;
    case 'ignored':
      return `no effect (a warning): ${rule.why}`;
    case 'refused':
      return `**refused**: ${rule.instead}`;
  }
}

function optionTable(options: Readonly<Record<string, Rule>>, skip: Readonly<Record<string, Rule>> = {}): string[] {
  const rows = Object.entries(options)
    .filter(([name, rule]) => skip[name] !== rule)
    .map(([name, rule]) => `| \`${name}\` | ${cell(describeRule(rule))} |`);
  return ['| option | in sluice |', '|---|---|', ...rows];
}

export function logstashMarkdown(): string {
  const out: string[] = [
    'Generated from the translation tables in `config/logstash/translate/` by `npm run docs`; a test keeps the two in step.',
    'An option not listed is refused with its position. Every plugin also takes the options of its kind below.',
    '',
  ];
  for (const section of ['input', 'filter', 'output'] as const) {
    out.push(`#### Every ${section}`, '', ...optionTable(COMMON[section]), '');
    for (const table of TABLES.filter((t) => t.section === section)) {
      const target = table.type === table.name ? '' : ` (sluice's \`${table.type}\`)`;
      out.push(`#### ${section} \`${table.name}\`${target}`, '', ...optionTable(table.options, COMMON[section]), '');
    }
    const native = nativePluginTypes(section);
    if (native.length > 0) {
      out.push(`sluice ${section}s without a Logstash counterpart, usable in a .conf by their name with the options of the plugin reference: ${native.map((n) => `\`${n}\``).join(', ')}.`, '');
    }
  }
  return out.join('\n');
}
