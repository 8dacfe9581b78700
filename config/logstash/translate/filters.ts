/** Logstash filters and the sluice filters they become. */
import type { LsValue } from '../ast.js';
import { asBoolean, asNumber, asStringList, asStringMap, custom, ignored, refused, set, type Block, type PluginTable } from './rules.js';
import { COMMON_FILTER } from './common.js';

const tagsOr = (block: Block, fallback: string[]): string[] => (Array.isArray(block.tag_on_failure) ? (block.tag_on_failure as string[]) : fallback);

const CONVERSIONS = new Set(['integer', 'float', 'string', 'boolean']);

const mutateConvert = custom('`convert` (integer, float, string, boolean)', (v, t) => {
  const map = t.read.stringMap(v);
  for (const [field, to] of Object.entries(map)) {
    if (!CONVERSIONS.has(to)) t.refuse(v.at, `mutate convert ${JSON.stringify(to)} (for ${field}) is not supported: sluice converts to integer, float, string or boolean`);
  }
  t.set('convert', map);
});

/** The operations of a mutate that sluice runs in Logstash's order only when copy is set apart (Logstash copies last). */
export const MUTATE_OPERATIONS = ['rename', 'replace', 'convert', 'lowercase', 'uppercase', 'strip'] as const;

export const FILTER_TABLES: readonly PluginTable[] = [
  {
    section: 'filter',
    name: 'json',
    type: 'json',
    options: {
      ...COMMON_FILTER,
      source: set('source'),
      target: set('target'),
      tag_on_failure: set('tag_on_failure', asStringList),
      skip_on_invalid_json: set('skip_on_invalid_json', asBoolean),
    },
    finish: (t) => {
      if (!t.given.has('source')) t.refuse(t.plugin.at, 'json needs a source (Logstash requires it too)');
      t.set('max_depth', 1);
      t.comment('max_depth 1: Logstash parses the source only, not JSON held in the strings it contains');
    },
    failureTags: (b) => (b.skip_on_invalid_json === true ? undefined : tagsOr(b, ['_jsonparsefailure'])),
  },
  {
    section: 'filter',
    name: 'date',
    type: 'date',
    options: {
      ...COMMON_FILTER,
      match: custom('`source` (the first item) and `formats` (the rest)', (v, t) => {
        const items = t.read.stringList(v);
        if (items.length < 2) {
          t.refuse(v.at, 'date match needs a field and at least one format: match => ["field", "ISO8601"]');
          return;
        }
        t.set('source', items[0]);
        t.set('formats', items.slice(1));
      }),
      target: set('target'),
      timezone: set('timezone'),
      tag_on_failure: set('tag_on_failure', asStringList),
      locale: custom('only English (sluice reads English month and day names)', (v, t) => {
        const locale = t.read.string(v);
        if (/^en([-_].*)?$/i.test(locale)) t.warn(v.at, `date locale ${JSON.stringify(locale)} has no effect: sluice reads English names`);
        else t.refuse(v.at, `date locale ${JSON.stringify(locale)} is not supported: sluice reads English month and day names only`);
      }),
    },
    finish: (t) => {
      if (!t.given.has('match')) t.refuse(t.plugin.at, 'date needs match => ["field", "format", ...]');
    },
    failureTags: (b) => tagsOr(b, ['_dateparsefailure']),
  },
  {
    section: 'filter',
    name: 'mutate',
    type: 'mutate',
    options: {
      ...COMMON_FILTER,
      add_field: set('add_field', (r, v: LsValue) => Object.fromEntries(Object.entries(r.map(v)).map(([k, x]) => [k, x.kind === 'array' ? r.stringList(x) : r.string(x)]))),
      add_tag: set('add_tag', asStringList),
      remove_field: set('remove_field', asStringList),
      remove_tag: set('remove_tag', asStringList),
      rename: set('rename', asStringMap),
      copy: set('copy', asStringMap, '`copy`, run last as Logstash does (a second mutate when other operations are given)'),
      replace: set('replace', asStringMap),
      convert: mutateConvert,
      lowercase: set('lowercase', asStringList),
      uppercase: set('uppercase', asStringList),
      strip: set('strip', asStringList),
      update: refused('not supported: use replace inside if [field] { ... }'),
      gsub: refused('not supported by sluice\'s mutate: use grok with overwrite, or dissect'),
      split: refused('not supported by sluice\'s mutate'),
      join: refused('not supported by sluice\'s mutate'),
      merge: refused('not supported by sluice\'s mutate'),
      capitalize: refused('not supported by sluice\'s mutate'),
      coerce: refused('not supported: use replace inside if ![field] { ... }'),
      tag_on_failure: refused('not supported: sluice\'s mutate tags `_mutate_error`'),
    },
  },
  {
    section: 'filter',
    name: 'drop',
    type: 'drop',
    options: {
      ...COMMON_FILTER,
      percentage: set('percentage', asNumber),
    },
  },
  {
    section: 'filter',
    name: 'grok',
    type: 'grok',
    options: {
      ...COMMON_FILTER,
      match: custom('`match` (a hash, or the old [field, pattern] array)', (v, t) => {
        const map = t.read.map(v);
        const previous = (t.block.match as Record<string, string | string[]> | undefined) ?? {};
        const match: Record<string, string | string[]> = { ...previous };
        for (const [field, patterns] of Object.entries(map)) {
          const list = t.read.stringList(patterns);
          const before = match[field];
          const all = [...(before === undefined ? [] : Array.isArray(before) ? before : [before]), ...list];
          match[field] = all.length === 1 ? all[0] : all;
        }
        t.set('match', match);
      }),
      pattern_definitions: set('pattern_definitions', asStringMap),
      patterns_dir: set('patterns_dir', asStringList),
      patterns_files_glob: set('patterns_files_glob'),
      break_on_match: set('break_on_match', asBoolean),
      named_captures_only: set('named_captures_only', asBoolean),
      keep_empty_captures: set('keep_empty_captures', asBoolean),
      overwrite: set('overwrite', asStringList),
      target: set('target'),
      tag_on_failure: set('tag_on_failure', asStringList),
      tag_on_timeout: set('tag_on_timeout'),
      timeout_millis: set('timeout_millis', asNumber),
      timeout_scope: ignored('sluice\'s budget is per event (Logstash\'s timeout_scope => event)'),
    },
    finish: (t) => {
      if (!t.given.has('match')) t.refuse(t.plugin.at, 'grok needs match => { "field" => "pattern" }');
    },
    failureTags: (b) => tagsOr(b, ['_grokparsefailure']),
  },
  {
    section: 'filter',
    name: 'dissect',
    type: 'dissect',
    options: {
      ...COMMON_FILTER,
      mapping: set('mapping', asStringMap),
      convert_datatype: set('convert_datatype', asStringMap),
      tag_on_failure: set('tag_on_failure', asStringList),
    },
    finish: (t) => {
      if (!t.given.has('mapping')) t.refuse(t.plugin.at, 'dissect needs mapping => { "field" => "pattern" }');
    },
    failureTags: (b) => tagsOr(b, ['_dissectfailure']),
  },
  {
    section: 'filter',
    name: 'kv',
    type: 'kv',
    options: {
      ...COMMON_FILTER,
      source: set('source'),
      target: set('target'),
      field_split: set('field_split'),
      value_split: set('value_split'),
      whitespace: set('whitespace'),
      include_brackets: set('include_brackets', asBoolean),
      include_keys: set('include_keys', asStringList),
      exclude_keys: set('exclude_keys', asStringList),
      prefix: set('prefix'),
      trim_key: set('trim_key'),
      trim_value: set('trim_value'),
      allow_duplicate_values: set('allow_duplicate_values', asBoolean),
      default_keys: set('default_keys', asStringMap),
      tag_on_failure: set('tag_on_failure', asStringList),
      field_split_pattern: refused('not supported: list the separator characters in field_split'),
      value_split_pattern: refused('not supported: list the separator characters in value_split'),
      recursive: refused('not supported: run a second kv on the nested value'),
      remove_char_key: refused('not supported: use trim_key for characters at the ends'),
      remove_char_value: refused('not supported: use trim_value for characters at the ends'),
      transform_key: refused('not supported: follow with mutate lowercase/uppercase'),
      transform_value: refused('not supported: follow with mutate lowercase/uppercase'),
      timeout_millis: ignored('sluice\'s kv runs in linear time, there is nothing to time out'),
    },
    failureTags: (b) => tagsOr(b, ['_kv_filter_error']),
  },
];

