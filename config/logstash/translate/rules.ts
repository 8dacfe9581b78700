/**
 * The shape of a translation table: for each Logstash option, what becomes of it in sluice.
 * The README's "Coming from Logstash" table is generated from these, so it cannot drift.
 */
import type { LsPlugin, LsValue, Position, SectionKind } from '../ast.js';
import type { ValueReader } from './values.js';

export type Block = Record<string, unknown>;

/** What one Logstash plugin is being turned into; rules write through it. */
export interface PluginTranslation {
  readonly plugin: LsPlugin;
  readonly read: ValueReader;
  /** The sluice block being built (type, id and options). */
  readonly block: Block;
  /** Input decorations (type, tags, add_field) and a filter's common options, applied by a mutate the translator adds. */
  readonly decorations: { type?: string; tags?: string[]; addField?: Record<string, string | string[]>; removeField?: string[]; addTag?: string[]; removeTag?: string[] };
  /** Options the file gave, by Logstash name. */
  readonly given: ReadonlyMap<string, LsValue>;
  set(path: string, value: unknown): void;
  comment(text: string): void;
  warn(at: Position, text: string): void;
  refuse(at: Position, text: string): void;
}

export type Rule =
  | { readonly kind: 'set'; readonly to: string; readonly read: (read: ValueReader, value: LsValue) => unknown; readonly doc?: string }
  | { readonly kind: 'custom'; readonly doc: string; readonly apply: (value: LsValue, t: PluginTranslation) => void }
  | { readonly kind: 'ignored'; readonly why: string }
  | { readonly kind: 'refused'; readonly instead: string };

export interface PluginTable {
  readonly section: SectionKind;
  /** Logstash's name of the plugin. */
  readonly name: string;
  /** sluice's plugin type. */
  readonly type: string;
  readonly options: Readonly<Record<string, Rule>>;
  /** Runs after the options: defaults that differ between Logstash and sluice. */
  readonly finish?: (t: PluginTranslation) => void;
  /** Tags the sluice plugin adds when it fails, so that Logstash's "on success" options can be told apart; undefined: always succeeds. */
  readonly failureTags?: (block: Block) => string[] | undefined;
}

type Read = (read: ValueReader, value: LsValue) => unknown;

export const asString: Read = (r, v) => r.string(v);
export const asNumber: Read = (r, v) => r.number(v);
export const asInteger: Read = (r, v) => r.integer(v);
export const asBoolean: Read = (r, v) => r.boolean(v);
export const asStringList: Read = (r, v) => r.stringList(v);
export const asStringMap: Read = (r, v) => r.stringMap(v);

export const set = (to: string, read: Read = asString, doc?: string): Rule => ({ kind: 'set', to, read, ...(doc ? { doc } : {}) });
export const ignored = (why: string): Rule => ({ kind: 'ignored', why });
export const refused = (instead: string): Rule => ({ kind: 'refused', instead });
export const custom = (doc: string, apply: (value: LsValue, t: PluginTranslation) => void): Rule => ({ kind: 'custom', doc, apply });
