/**
 * `type: dissect`: splits text by the literal delimiters of a fixed layout, Logstash's dissect.
 * The fast path for lines whose shape never varies: one indexOf per field, no regex.
 */
import { addTag, type Event, type FieldValue } from '../../pipeline/event.js';
import { getField, parseFieldReference, setField, type FieldPath } from '../../pipeline/fields.js';
import type { FilterPlugin } from '../../pipeline/plugin.js';
import { dissectFilterSchema, type DissectFilterConfig } from './config.js';
import { parseLayout, splitByLayout, type DissectLayout } from './layout.js';

const CONVERT_FAILURE_TAG = '_dissect_convert_failure';

interface CompiledMapping {
  readonly source: FieldPath;
  /** The source when it is a top-level field (`message`): read without a path walk. */
  readonly sourceKey: string | undefined;
  readonly layout: DissectLayout;
  /** What to do with each split value, parallel to layout.keys. */
  readonly apply: (event: Event, values: readonly string[]) => void;
  readonly values: string[];
}

/** Builds the writer for one layout: appends are joined, indirect names resolved, in a fixed plan made once. */
function planWrites(layout: DissectLayout, convert: ReadonlyMap<string, 'int' | 'float'>): CompiledMapping['apply'] {
  type Write = { path: FieldPath; name: string; parts: Array<{ index: number; order: number }> };
  const writes = new Map<string, Write>();
  const indirect: Array<{ keyIndex: number; valueIndex: number }> = [];
  const namedSkips = new Map<string, number>();
  layout.keys.forEach((key, index) => {
    if (key.kind === 'named_skip') namedSkips.set(key.name, index);
    if (key.kind === 'normal' || key.kind === 'append') {
      const write = writes.get(key.name) ?? { path: parseFieldReference(key.name), name: key.name, parts: [] };
      write.parts.push({ index, order: key.kind === 'append' ? key.order : -1 });
      writes.set(key.name, write);
    }
  });
  layout.keys.forEach((key, index) => {
    if (key.kind !== 'indirect') return;
    const keyIndex = namedSkips.get(key.name);
    if (keyIndex === undefined) throw new Error(`dissect pattern: %{&${key.name}} has no %{?${key.name}} to name it`);
    indirect.push({ keyIndex, valueIndex: index });
  });
  const plan = [...writes.values()].map((write) => {
    const parts = [...write.parts].sort((a, b) => a.order - b.order || a.index - b.index).map((p) => p.index);
    // The delimiter that precedes an appended part joins it to the parts before.
    const joiners = parts.map((index) => (index === 0 ? ' ' : layout.keys[index - 1].delimiter));
    return { path: write.path, parts, joiners, type: convert.get(write.name) };
  });
  // Most keys are one part, one level, no conversion: a plain store, no path walk.
  const simple = plan.filter((w) => w.parts.length === 1 && w.path.length === 1 && w.type === undefined).map((w) => ({ key: w.path[0], index: w.parts[0] }));
  const general = plan.filter((w) => !(w.parts.length === 1 && w.path.length === 1 && w.type === undefined));
  return (event, values) => {
    for (let i = 0; i < simple.length; i++) event[simple[i].key] = values[simple[i].index];
    for (const { path, parts, joiners, type } of general) {
      let text = values[parts[0]];
      for (let i = 1; i < parts.length; i++) text += joiners[i] + values[parts[i]];
      setField(event, path, type === undefined ? text : converted(event, text, type));
    }
    for (const { keyIndex, valueIndex } of indirect) {
      const name = values[keyIndex];
      if (name !== '') setField(event, [name], values[valueIndex]);
    }
  };
}

function converted(event: Event, text: string, type: 'int' | 'float'): FieldValue {
  const n = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(n)) {
    addTag(event, CONVERT_FAILURE_TAG);
    return text;
  }
  return type === 'int' ? Math.trunc(n) : n;
}

function compile(config: DissectFilterConfig): CompiledMapping[] {
  const convert = new Map(Object.entries(config.convert_datatype ?? {}));
  return Object.entries(config.mapping).map(([field, pattern]) => {
    const layout = parseLayout(pattern);
    const source = parseFieldReference(field);
    return { source, sourceKey: source.length === 1 ? source[0] : undefined, layout, apply: planWrites(layout, convert), values: new Array<string>(layout.keys.length) };
  });
}

export const dissectFilter: FilterPlugin<typeof dissectFilterSchema> = {
  kind: 'filter',
  type: 'dissect',
  description:
    "Splits a field by the literal delimiters of a fixed layout (Logstash's dissect): `%{hash} %{size} %{type}`. No regular expression: cost is linear in the line, so it is the fast choice for lines whose shape never varies; use grok when it does.",
  schema: dissectFilterSchema,
  example: {
    mapping: { message: '%{+ts} %{+ts} %{+ts} %{[host][name]} %{[process][name]}[%{[process][pid]}]: %{msg}' },
    convert_datatype: { '[process][pid]': 'int' },
  },
  create(config, context) {
    const mappings = compile(config);
    const failures = context.metrics.counter('dissect_failures_total', 'Events whose field did not fit the dissect pattern');
    return {
      process(events: Event[]): Event[] {
        for (const event of events) {
          for (const mapping of mappings) {
            const text = mapping.sourceKey === undefined ? getField(event, mapping.source) : event[mapping.sourceKey];
            if (typeof text !== 'string') continue;
            if (splitByLayout(mapping.layout, text, mapping.values)) {
              mapping.apply(event, mapping.values);
            } else {
              failures.inc();
              for (const tag of config.tag_on_failure) addTag(event, tag);
            }
          }
        }
        return events;
      },
    };
  },
};
