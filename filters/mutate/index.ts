/**
 * `type: mutate`: Logstash's field surgery. Operations run in a fixed order, whatever their
 * order in the file: rename, copy, replace, convert, lowercase, uppercase, strip, add_field,
 * remove_field, add_tag, remove_tag.
 */
import { addTag, type Event, type FieldValue } from '../../pipeline/event.js';
import { getField, parseFieldReference, removeField, setField, type FieldPath } from '../../pipeline/fields.js';
import type { FilterPlugin } from '../../pipeline/plugin.js';
import { compileTemplate, isTemplate } from '../../pipeline/template.js';
import { mutateFilterSchema, type MutateFilterConfig } from './config.js';
import { convertValue, type Conversion } from './convert.js';

type Step = (event: Event) => void;

const MUTATE_FAILURE_TAG = '_mutate_error';

/** A field name that may hold `%{}` references: parsed once when constant. */
function pathOf(text: string): (event: Event) => FieldPath {
  if (!isTemplate(text)) {
    const path = parseFieldReference(text);
    return () => path;
  }
  const template = compileTemplate(text);
  return (event) => parseFieldReference(template(event));
}

function textOf(text: string): (event: Event) => string {
  return compileTemplate(text);
}

function mapSteps(map: Record<string, string> | undefined, make: (from: FieldPath, to: string) => Step): Step[] {
  return Object.entries(map ?? {}).map(([from, to]) => make(parseFieldReference(from), to));
}

function stringSteps(fields: string[] | undefined, change: (text: string) => string): Step[] {
  return (fields ?? []).map((field) => {
    const path = parseFieldReference(field);
    return (event) => {
      const value = getField(event, path);
      if (typeof value === 'string') setField(event, path, change(value));
      else if (Array.isArray(value)) setField(event, path, value.map((item) => (typeof item === 'string' ? change(item) : item)));
    };
  });
}

function buildSteps(config: MutateFilterConfig): Step[] {
  const steps: Step[] = [];
  steps.push(
    ...mapSteps(config.rename, (from, to) => {
      const target = parseFieldReference(to);
      return (event) => {
        const value = removeField(event, from);
        if (value !== undefined) setField(event, target, value);
      };
    }),
    ...mapSteps(config.copy, (from, to) => {
      const target = parseFieldReference(to);
      return (event) => {
        const value = getField(event, from);
        if (value !== undefined) setField(event, target, structuredClone(value));
      };
    }),
    ...mapSteps(config.replace, (field, value) => {
      const text = textOf(value);
      return (event) => setField(event, field, text(event));
    }),
  );
  for (const [field, to] of Object.entries(config.convert ?? {})) {
    const path = parseFieldReference(field);
    steps.push((event) => {
      const value = getField(event, path);
      if (value === undefined || value === null) return;
      const converted = convertValue(value, to as Conversion);
      if (converted === undefined) addTag(event, MUTATE_FAILURE_TAG);
      else setField(event, path, converted);
    });
  }
  steps.push(
    ...stringSteps(config.lowercase, (text) => text.toLowerCase()),
    ...stringSteps(config.uppercase, (text) => text.toUpperCase()),
    ...stringSteps(config.strip, (text) => text.trim()),
  );
  for (const [name, values] of Object.entries(config.add_field ?? {})) {
    const path = pathOf(name);
    const texts = (Array.isArray(values) ? values : [values]).map(textOf);
    steps.push((event) => {
      const target = path(event);
      for (const text of texts) {
        const value = text(event);
        const existing = getField(event, target);
        if (existing === undefined || existing === null) setField(event, target, value);
        else if (Array.isArray(existing)) existing.push(value);
        else setField(event, target, [existing, value] as FieldValue[]);
      }
    });
  }
  for (const field of config.remove_field ?? []) {
    const path = pathOf(field);
    steps.push((event) => void removeField(event, path(event)));
  }
  for (const tag of config.add_tag ?? []) {
    const text = textOf(tag);
    steps.push((event) => addTag(event, text(event)));
  }
  for (const tag of config.remove_tag ?? []) {
    const text = textOf(tag);
    steps.push((event) => {
      if (!Array.isArray(event.tags)) return;
      const name = text(event);
      event.tags = event.tags.filter((t) => t !== name);
    });
  }
  return steps;
}

export const mutateFilter: FilterPlugin<typeof mutateFilterSchema> = {
  kind: 'filter',
  type: 'mutate',
  description: "Renames, copies, replaces, converts, re-cases and strips fields, adds and removes fields and tags (with `%{field}` references), in Logstash's fixed order: rename, copy, replace, convert, lowercase, uppercase, strip, add_field, remove_field, add_tag, remove_tag.",
  schema: mutateFilterSchema,
  example: {
    rename: { '[log][level]': 'level' },
    convert: { status: 'integer' },
    lowercase: ['level'],
    add_field: { '[service][environment]': 'production' },
    remove_field: ['password'],
    add_tag: ['mutated'],
  },
  create(config) {
    const steps = buildSteps(config);
    return {
      process(events: Event[]): Event[] {
        for (const event of events) for (const step of steps) step(event);
        return events;
      },
    };
  },
};
