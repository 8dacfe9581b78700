/**
 * A parsed .conf file turned into the document config/validate.ts checks: plugin options by
 * the tables, conditionals into `when:`, Logstash behaviours sluice lacks as added plugins
 * (input decorations, a filter's on-success options). Every refusal is collected with its
 * position before one error is thrown; every no-effect option is a warning.
 */
import { ConfigError } from '../../../pipeline/errors.js';
import type { Environment } from '../../env.js';
import type { LsAttribute, LsConfig, LsItem, LsPlugin, LsValue, Position, SectionKind } from '../ast.js';
import { allOf, checkCondition, negation, oneLine, stringRegexes } from '../conditions.js';
import type { SourceText } from '../source.js';
import { MUTATE_OPERATIONS } from './filters.js';
import type { Block, PluginTable, PluginTranslation } from './rules.js';
import { findTable, knownNames, nativePluginTypes } from './tables.js';
import { ValueProblem, ValueReader } from './values.js';

export interface LogstashDocument {
  inputs: Block[];
  filters: Block[];
  outputs: Block[];
}

export interface LogstashTranslation {
  readonly document: LogstashDocument;
  /** Why a block is what it is, for `sluice convert`. */
  readonly comments: ReadonlyMap<Block, readonly string[]>;
  /** `file:line:column: ...` for every option accepted without effect. */
  readonly warnings: readonly string[];
  /** `file:line:column: ...` for every plugin, option or value refused; the document is not to be run when any. */
  readonly problems: readonly string[];
  /** Where each block came from, so that what sluice's validation finds can be told at the .conf's line and column. */
  readonly origins: ReadonlyMap<Block, BlockOrigin>;
}

export interface BlockOrigin {
  /** `file:line:column` of the Logstash plugin. */
  readonly where: string;
  /** `input tcp`, `filter grok`, ... */
  readonly label: string;
  /** sluice's option path (`port`, `tls.cert`) -> the Logstash option that gave it. */
  readonly options: ReadonlyMap<string, { where: string; name: string }>;
}

type Node = { kind: 'blocks'; blocks: Block[] } | { kind: 'if'; branches: Array<{ condition?: string; body: Node[] }> };

/** Duplicate options of one plugin merged as Logstash merges them: hashes joined, arrays concatenated, scalars made an array. */
function mergeAttributes(attributes: readonly LsAttribute[]): Map<string, LsAttribute> {
  const merged = new Map<string, LsAttribute>();
  for (const attribute of attributes) {
    const before = merged.get(attribute.name);
    if (!before) {
      merged.set(attribute.name, attribute);
      continue;
    }
    const a = before.value;
    const b = attribute.value;
    let value: LsValue;
    if (a.kind === 'hash' && b.kind === 'hash') value = { kind: 'hash', entries: [...a.entries.filter((e) => !b.entries.some((x) => x.key === e.key)), ...b.entries], at: a.at };
    else value = { kind: 'array', items: [...(a.kind === 'array' ? a.items : [a]), ...(b.kind === 'array' ? b.items : [b])], at: a.at };
    merged.set(attribute.name, { name: attribute.name, at: before.at, value });
  }
  return merged;
}

function setPath(block: Block, path: string, value: unknown): void {
  const keys = path.split('.');
  let target = block;
  for (const key of keys.slice(0, -1)) {
    const next = target[key];
    if (typeof next !== 'object' || next === null || Array.isArray(next)) target[key] = {};
    target = target[key] as Block;
  }
  target[keys[keys.length - 1]] = value;
}

class Translator {
  readonly problems: string[] = [];
  readonly warnings: string[] = [];
  readonly comments = new Map<Block, string[]>();
  readonly origins = new Map<Block, BlockOrigin>();
  /** The option being translated, to which what `set` writes is attributed. */
  private current: LsAttribute | undefined;
  private readonly read: ValueReader;
  private flags = 0;
  /** Inputs seen so far: an input's default id is its type and index, as validation names it. */
  private inputCount = 0;
  private readonly inputDecorations: Block[] = [];

  constructor(
    private readonly source: SourceText,
    env: Environment | undefined,
  ) {
    this.read = new ValueReader(env);
  }

  private where(at: Position): string {
    return this.source.where(at);
  }

  private note(block: Block, text: string): void {
    const list = this.comments.get(block) ?? [];
    list.push(text);
    this.comments.set(block, list);
  }

  translate(config: LsConfig): LogstashDocument {
    const trees: Record<SectionKind, Node[]> = { input: [], filter: [], output: [] };
    for (const section of config.sections) trees[section.kind].push(...this.items(section.kind, section.body));
    const inputs: Block[] = [];
    for (const node of trees.input) if (node.kind === 'blocks') inputs.push(...node.blocks);
    const filters: Block[] = [...this.inputDecorations];
    this.assemble(trees.filter, undefined, filters, true);
    const outputs: Block[] = [];
    this.assemble(trees.output, undefined, outputs, false);
    return { inputs, filters, outputs };
  }

  private items(section: SectionKind, items: readonly LsItem[]): Node[] {
    const nodes: Node[] = [];
    for (const item of items) {
      if (item.kind === 'plugin') {
        nodes.push({ kind: 'blocks', blocks: this.plugin(section, item) });
        continue;
      }
      if (section === 'input') {
        this.problems.push(`${this.where(item.at)}: "if" in the input section is not supported: inputs see no event yet; put the condition in filter or output`);
        continue;
      }
      const branches = item.branches.map((branch) => {
        const text = branch.condition ? stringRegexes(branch.condition.text) : undefined;
        if (branch.condition && text !== undefined) {
          const problem = checkCondition(text, branch.condition.at, this.source);
          if (problem) this.problems.push(problem);
        }
        return { ...(text !== undefined ? { condition: oneLine(text) } : {}), body: this.items(section, branch.body) };
      });
      nodes.push({ kind: 'if', branches });
    }
    return nodes;
  }

  private count(nodes: readonly Node[]): number {
    let total = 0;
    for (const node of nodes) total += node.kind === 'blocks' ? node.blocks.length : node.branches.reduce((n, b) => n + this.count(b.body), 0);
    return total;
  }

  /**
   * Plugins with their conditions. A chain of one filter, and every output chain, gets its
   * conditions directly (outputs change no event). A chain of several filters is evaluated once
   * by marker filters first, because a filter of a branch may change what the condition reads
   * (Logstash evaluates it once for the whole branch).
   */
  private assemble(nodes: readonly Node[], when: string | undefined, out: Block[], filters: boolean): void {
    for (const node of nodes) {
      if (node.kind === 'blocks') {
        for (const block of node.blocks) {
          const own = typeof block.when === 'string' ? block.when : undefined;
          const combined = allOf([when, own]);
          if (combined !== undefined) block.when = combined;
          out.push(block);
        }
        continue;
      }
      if (!filters || this.count([node]) <= 1) {
        const earlier: string[] = [];
        for (const branch of node.branches) {
          this.assemble(branch.body, allOf([when, ...earlier.map(negation), branch.condition]), out, filters);
          if (branch.condition) earlier.push(branch.condition);
        }
        continue;
      }
      const flag = `[@metadata][_sluice_if_${++this.flags}]`;
      node.branches.forEach((branch, k) => {
        const label = branch.condition === undefined ? 'else' : String(k + 1);
        const marker: Block = { type: 'mutate', add_field: { [flag]: label }, when: allOf([when, k > 0 ? `!${flag}` : undefined, branch.condition]) as string };
        this.note(marker, `evaluates the if once (branch ${label}), as Logstash does: the filters of a branch may change what the condition reads`);
        out.push(marker);
      });
      node.branches.forEach((branch, k) => {
        const label = branch.condition === undefined ? 'else' : String(k + 1);
        this.assemble(branch.body, `${flag} == "${label}"`, out, filters);
      });
    }
  }

  private plugin(section: SectionKind, plugin: LsPlugin): Block[] {
    const table = findTable(section, plugin.name);
    if (!table) {
      if (nativePluginTypes(section).includes(plugin.name)) return [this.native(section, plugin)];
      this.problems.push(`${this.where(plugin.at)}: ${section} plugin ${JSON.stringify(plugin.name)} is not supported by sluice (supported: ${knownNames(section).join(', ')})`);
      return [];
    }
    const given = mergeAttributes(plugin.attributes);
    const block: Block = { type: table.type };
    const decorations: PluginTranslation['decorations'] = {};
    const label = `${section} ${plugin.name}`;
    const options = new Map<string, { where: string; name: string }>();
    this.origins.set(block, { where: this.where(plugin.at), label, options });
    const t: PluginTranslation = {
      plugin,
      read: this.read,
      block,
      decorations,
      given: new Map([...given].map(([name, a]) => [name, a.value])),
      set: (path, value) => {
        if (this.current && !options.has(path)) options.set(path, { where: this.where(this.current.at), name: this.current.name });
        setPath(block, path, value);
      },
      comment: (text) => this.note(block, text),
      warn: (at, text) => {
        this.warnings.push(`${this.where(at)}: ${label}: ${text}`);
        this.note(block, `warning: ${text}`);
      },
      refuse: (at, text) => this.problems.push(`${this.where(at)}: ${label}: ${text}`),
    };
    for (const attribute of given.values()) {
      this.current = attribute;
      this.option(table, attribute, t, label);
      this.current = undefined;
    }
    try {
      table.finish?.(t);
    } catch (err) {
      if (!(err instanceof ValueProblem)) throw err;
      t.refuse(err.at, err.message);
    }
    if (section === 'input') {
      this.decorateInput(block, decorations, this.inputCount++);
      return [block];
    }
    const blocks = this.withDecorations(table, block, decorations, plugin);
    for (const added of blocks) if (added !== block) this.origins.set(added, { where: this.where(plugin.at), label, options: new Map() });
    return blocks;
  }

  private option(table: PluginTable, attribute: LsAttribute, t: PluginTranslation, label: string): void {
    const rule = table.options[attribute.name];
    if (!rule) {
      const known = Object.entries(table.options).filter(([, r]) => r.kind !== 'refused').map(([name]) => name).join(', ');
      t.refuse(attribute.at, `option ${JSON.stringify(attribute.name)} is not supported by sluice (known: ${known})`);
      return;
    }
    try {
      switch (rule.kind) {
        case 'set':
          t.set(rule.to, rule.read(this.read, attribute.value));
          break;
        case 'custom':
          rule.apply(attribute.value, t);
          break;
        case 'ignored':
          t.warn(attribute.at, `option ${attribute.name} has no effect in sluice: ${rule.why}`);
          break;
        case 'refused':
          t.refuse(attribute.at, `option ${attribute.name}: ${rule.instead}`);
          break;
      }
    } catch (err) {
      if (!(err instanceof ValueProblem)) throw err;
      this.problems.push(`${this.where(err.at)}: ${label} option ${attribute.name}: ${err.message}`);
    }
  }

  /** A sluice plugin named in the .conf: its options go through as they are, the schema checks them. */
  private native(section: SectionKind, plugin: LsPlugin): Block {
    const block: Block = { type: plugin.name };
    const options = new Map<string, { where: string; name: string }>();
    this.origins.set(block, { where: this.where(plugin.at), label: `${section} ${plugin.name}`, options });
    for (const [name, attribute] of mergeAttributes(plugin.attributes)) {
      options.set(name, { where: this.where(attribute.at), name });
      try {
        const value = attribute.value;
        // Without a table the schema is the only guide: the barewords true and false are booleans.
        block[name] = value.kind === 'bareword' && (value.value === 'true' || value.value === 'false') ? value.value === 'true' : this.read.plain(value);
      } catch (err) {
        if (!(err instanceof ValueProblem)) throw err;
        this.problems.push(`${this.where(err.at)}: ${section} ${plugin.name} option ${name}: ${err.message}`);
      }
    }
    this.note(block, `${plugin.name} is a sluice ${section} without a Logstash counterpart: options as in sluice's plugin reference`);
    return block;
  }

  /** Logstash's `type`, `tags` and `add_field` on an input: mutate filters that apply only to that input's events. */
  private decorateInput(block: Block, d: PluginTranslation['decorations'], index: number): void {
    if (d.type === undefined && d.tags === undefined && d.addField === undefined) return;
    if (typeof block.id !== 'string') {
      // The id right after the type, where a reader of `sluice convert` looks for it.
      const { type, ...options } = block;
      for (const key of Object.keys(options)) delete block[key];
      Object.assign(block, { type, id: `${String(type)}_${index}` }, options);
    }
    const fromInput = `[@metadata][input][id] == ${JSON.stringify(block.id)}`;
    if (d.type !== undefined) {
      const typed: Block = { type: 'mutate', add_field: { type: d.type }, when: `${fromInput} and ![type]` };
      this.note(typed, `type ${JSON.stringify(d.type)} of input ${String(block.id)}: set when the event has no type, as Logstash does`);
      this.inputDecorations.push(typed);
    }
    if (d.tags !== undefined || d.addField !== undefined) {
      const decorated: Block = { type: 'mutate', ...(d.addField ? { add_field: d.addField } : {}), ...(d.tags ? { add_tag: d.tags } : {}), when: fromInput };
      this.note(decorated, `tags and add_field of input ${String(block.id)}`);
      this.inputDecorations.push(decorated);
    }
  }

  /**
   * A filter's add_field/add_tag/remove_field/remove_tag: Logstash applies them when the filter
   * succeeded, here a mutate right after it that runs when the filter's failure tag is absent.
   * A mutate with copy is split, as Logstash copies after its other operations.
   */
  private withDecorations(table: PluginTable, block: Block, d: PluginTranslation['decorations'], plugin: LsPlugin): Block[] {
    const blocks: Block[] = [block];
    if (table.type === 'mutate' && block.copy !== undefined && MUTATE_OPERATIONS.some((op) => block[op] !== undefined)) {
      const copy: Block = { type: 'mutate', copy: block.copy };
      delete block.copy;
      for (const key of ['add_field', 'remove_field', 'add_tag', 'remove_tag']) {
        if (block[key] !== undefined) {
          copy[key] = block[key];
          delete block[key];
        }
      }
      this.note(copy, 'copy (and the common options) of the mutate above: Logstash copies after rename, replace, convert and the case changes');
      blocks.push(copy);
    }
    const common: Block = {
      type: 'mutate',
      ...(d.addField ? { add_field: d.addField } : {}),
      ...(d.removeField ? { remove_field: d.removeField } : {}),
      ...(d.addTag ? { add_tag: d.addTag } : {}),
      ...(d.removeTag ? { remove_tag: d.removeTag } : {}),
    };
    if (Object.keys(common).length === 1) return blocks;
    if (table.type === 'drop') {
      this.warnings.push(`${this.where(plugin.at)}: filter drop: add_field, add_tag, remove_field and remove_tag have no effect on a dropped event`);
      return blocks;
    }
    const failure = table.failureTags?.(block);
    if (table.failureTags && failure !== undefined && failure.length === 0) {
      this.problems.push(`${this.where(plugin.at)}: filter ${plugin.name}: add_field/add_tag/remove_field/remove_tag with tag_on_failure => [] is not supported: sluice tells success by the failure tag`);
      return blocks;
    }
    if (failure !== undefined) {
      common.when = negation(`${JSON.stringify(failure[0])} in [tags]`);
      this.note(common, `the on-success options of ${plugin.name}: applied when the event does not carry ${failure[0]}`);
    } else {
      this.note(common, `the common options of ${plugin.name}`);
    }
    blocks.push(common);
    return blocks;
  }
}

export function translateLogstash(config: LsConfig, source: SourceText, env: Environment | undefined): LogstashTranslation {
  const translator = new Translator(source, env);
  const document = translator.translate(config);
  return { document, comments: translator.comments, warnings: translator.warnings, problems: translator.problems, origins: translator.origins };
}

export function unsupportedError(source: string, problems: readonly string[]): ConfigError {
  return new ConfigError('SLUICE_CONFIG_LOGSTASH_UNSUPPORTED', `${source}: ${problems.length} problem(s) translating the Logstash pipeline`, problems, { source });
}
