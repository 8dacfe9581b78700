/** Options every Logstash plugin of a kind takes, and codecs of the inputs and outputs. */
import type { LsValue } from '../ast.js';
import { asString, custom, ignored, refused, set, type PluginTranslation, type Rule } from './rules.js';

const mapOfLists = (t: PluginTranslation, value: LsValue): Record<string, string | string[]> =>
  Object.fromEntries(Object.entries(t.read.map(value)).map(([k, v]) => [k, v.kind === 'array' ? t.read.stringList(v) : t.read.string(v)]));

export const COMMON_ALL: Readonly<Record<string, Rule>> = {
  id: set('id', asString),
  enable_metric: ignored('sluice always keeps its metrics (see /metrics)'),
};

export const COMMON_INPUT: Readonly<Record<string, Rule>> = {
  ...COMMON_ALL,
  type: custom('sets the field `type` when the event has none, by a `mutate` filter that only applies to this input\'s events (`[@metadata][input][id]`)', (v, t) => {
    t.decorations.type = t.read.string(v);
  }),
  tags: custom('added to `tags` by a `mutate` filter that only applies to this input\'s events', (v, t) => {
    t.decorations.tags = [...(t.decorations.tags ?? []), ...t.read.stringList(v)];
  }),
  add_field: custom('added by a `mutate` filter that only applies to this input\'s events', (v, t) => {
    t.decorations.addField = { ...t.decorations.addField, ...mapOfLists(t, v) };
  }),
  ecs_compatibility: ignored('sluice names the fields it adds after ECS whatever this says'),
};

export const COMMON_FILTER: Readonly<Record<string, Rule>> = {
  ...COMMON_ALL,
  add_field: custom('applied on success by a `mutate` filter right after this one', (v, t) => {
    t.decorations.addField = { ...t.decorations.addField, ...mapOfLists(t, v) };
  }),
  add_tag: custom('applied on success by a `mutate` filter right after this one', (v, t) => {
    t.decorations.addTag = [...(t.decorations.addTag ?? []), ...t.read.stringList(v)];
  }),
  remove_field: custom('applied on success by a `mutate` filter right after this one', (v, t) => {
    t.decorations.removeField = [...(t.decorations.removeField ?? []), ...t.read.stringList(v)];
  }),
  remove_tag: custom('applied on success by a `mutate` filter right after this one', (v, t) => {
    t.decorations.removeTag = [...(t.decorations.removeTag ?? []), ...t.read.stringList(v)];
  }),
  periodic_flush: ignored('no sluice filter buffers events between batches'),
  ecs_compatibility: ignored('sluice names the fields it adds after ECS whatever this says'),
};

export const COMMON_OUTPUT: Readonly<Record<string, Rule>> = {
  ...COMMON_ALL,
  workers: ignored('sluice outputs pipeline their requests themselves (`max_in_flight` on elasticsearch)'),
  codec: refused('this output has no codec in sluice: remove it'),
};

/** How one Logstash codec is read by a sluice input or output. */
export interface CodecChoice {
  readonly to: string;
  /** Why this is the nearest sluice codec when it is not the same thing (a comment in `sluice convert`). */
  readonly note?: string;
  /** Codec options that are copied to the sluice block. */
  readonly options?: Readonly<Record<string, string>>;
}

/** Codec options that change nothing in sluice when they hold their usual value. */
const HARMLESS_CODEC_OPTIONS: Readonly<Record<string, string>> = { charset: 'UTF-8', delimiter: '\n', ecs_compatibility: '' };

export function codecRule(choices: Readonly<Record<string, CodecChoice>>, fallback: string | undefined): Rule {
  const names = Object.keys(choices).join(', ');
  return custom(`${Object.entries(choices).map(([from, c]) => `\`${from}\` → \`${c.to}\``).join(', ')}`, (value, t) => {
    const name = value.kind === 'plugin' ? value.plugin.name : t.read.string(value);
    const choice = choices[name];
    if (!choice) {
      t.refuse(value.at, `codec ${JSON.stringify(name)} is not supported here (supported: ${names}${fallback ? `; without a codec: ${fallback}` : ''})`);
      return;
    }
    t.set('codec', choice.to);
    if (choice.note) t.comment(`codec ${name}: ${choice.note}`);
    if (value.kind !== 'plugin') return;
    for (const attribute of value.plugin.attributes) {
      const copied = choice.options?.[attribute.name];
      if (copied) {
        const plain = t.read.plain(attribute.value);
        t.set(copied, plain === 'true' ? true : plain === 'false' ? false : plain);
        continue;
      }
      const harmless = HARMLESS_CODEC_OPTIONS[attribute.name];
      if (harmless !== undefined && (harmless === '' || t.read.string(attribute.value).replace('\\n', '\n') === harmless)) {
        t.warn(attribute.at, `codec ${name} option ${attribute.name} has no effect in sluice (it reads UTF-8, one event per line)`);
      } else {
        t.refuse(attribute.at, `codec ${name} option ${attribute.name} is not supported by sluice${harmless ? ` (only ${JSON.stringify(harmless)})` : ''}`);
      }
    }
  });
}

/** Logstash takes a list of CA files; sluice one bundle. */
export const oneCaFile: Rule = custom('`tls.ca` (one file)', (v, t) => {
  const files = t.read.stringList(v);
  if (files.length === 1) t.set('tls.ca', files[0]);
  else t.refuse(v.at, `sluice takes one CA bundle file: concatenate the ${files.length} files into one PEM file`);
});
