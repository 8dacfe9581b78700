/** The syntax tree of a Logstash pipeline file; every node keeps where it starts, for errors. */

export interface Position {
  readonly line: number;
  readonly column: number;
}

export type LsValue =
  | { kind: 'string'; value: string; quoted: boolean; at: Position }
  | { kind: 'number'; value: number; text: string; at: Position }
  | { kind: 'bareword'; value: string; at: Position }
  | { kind: 'array'; items: LsValue[]; at: Position }
  | { kind: 'hash'; entries: LsHashEntry[]; at: Position }
  | { kind: 'plugin'; plugin: LsPlugin; at: Position };

export interface LsHashEntry {
  readonly key: string;
  readonly at: Position;
  readonly value: LsValue;
}

export interface LsAttribute {
  readonly name: string;
  readonly at: Position;
  readonly value: LsValue;
}

export interface LsPlugin {
  readonly kind: 'plugin';
  readonly name: string;
  readonly at: Position;
  readonly attributes: LsAttribute[];
}

export interface LsBranch {
  /** The condition's source text as written; absent for `else`. */
  readonly condition?: { text: string; at: Position };
  readonly body: LsItem[];
}

export interface LsIf {
  readonly kind: 'if';
  readonly at: Position;
  readonly branches: LsBranch[];
}

export type LsItem = LsPlugin | LsIf;

export type SectionKind = 'input' | 'filter' | 'output';

export interface LsSection {
  readonly kind: SectionKind;
  readonly at: Position;
  readonly body: LsItem[];
}

export interface LsConfig {
  readonly sections: LsSection[];
}
