/**
 * A small parse of the JavaScript regexes the translator emits: enough structure (groups,
 * repetitions, character sets, literals) and the facts derived from it (what a node can start
 * with, whether it can match empty text) for the backtracking check and the prefilter.
 */

/** ASCII characters as 128 bits, plus one bit for everything else: enough to tell overlaps. */
export class CharSet {
  readonly bits = new Uint32Array(5);
  static of(...codes: number[]): CharSet {
    const set = new CharSet();
    for (const code of codes) set.add(code);
    return set;
  }
  static any(): CharSet {
    const set = new CharSet();
    set.bits.fill(0xffffffff);
    return set;
  }
  add(code: number): void {
    const index = code < 128 ? code : 128;
    this.bits[index >> 5] |= 1 << (index & 31);
  }
  addRange(from: number, to: number): void {
    for (let c = from; c <= Math.min(to, 128); c++) this.add(c);
  }
  union(other: CharSet): CharSet {
    const set = new CharSet();
    for (let i = 0; i < 5; i++) set.bits[i] = this.bits[i] | other.bits[i];
    return set;
  }
  invert(): CharSet {
    const set = new CharSet();
    for (let i = 0; i < 5; i++) set.bits[i] = ~this.bits[i];
    set.bits[4] |= 1; // non-ASCII stays possible in a negated class
    return set;
  }
  intersects(other: CharSet): boolean {
    for (let i = 0; i < 5; i++) if ((this.bits[i] & other.bits[i]) !== 0) return true;
    return false;
  }
}

const code = (c: string) => c.charCodeAt(0);
const DIGITS = (() => { const s = new CharSet(); s.addRange(48, 57); return s; })();
const WORD = (() => { const s = DIGITS.union(new CharSet()); s.addRange(65, 90); s.addRange(97, 122); s.add(95); return s; })();
const SPACE = CharSet.of(9, 10, 11, 12, 13, 32, 128);
const CLASS_ESCAPES: Record<string, CharSet> = { d: DIGITS, D: DIGITS.invert(), w: WORD, W: WORD.invert(), s: SPACE, S: SPACE.invert() };

export type Node =
  | { kind: 'char'; set: CharSet; start: number; literal?: string }
  | { kind: 'assert'; start: number }
  | { kind: 'backref'; group: number; start: number }
  | { kind: 'group'; capture: number; look: boolean; body: Node[][]; start: number }
  | { kind: 'repeat'; min: number; max: number; body: Node; start: number };

/** A parse of the regex source the translator produced (always valid: RegExp accepted it). */
class Parser {
  private i = 0;
  private groups = 0;
  constructor(private readonly source: string) {}

  parse(): Node[][] {
    return this.alternatives();
  }

  private alternatives(): Node[][] {
    const list: Node[][] = [this.sequence()];
    while (this.source[this.i] === '|') {
      this.i++;
      list.push(this.sequence());
    }
    return list;
  }

  private sequence(): Node[] {
    const items: Node[] = [];
    while (this.i < this.source.length && this.source[this.i] !== '|' && this.source[this.i] !== ')') {
      let atom = this.atom();
      for (;;) {
        const q = this.quantifier();
        if (q === undefined) break;
        atom = { kind: 'repeat', min: q[0], max: q[1], body: atom, start: atom.start };
      }
      items.push(atom);
    }
    return items;
  }

  private quantifier(): [number, number] | undefined {
    const s = this.source;
    const c = s[this.i];
    let q: [number, number] | undefined;
    if (c === '*') q = [0, Infinity];
    else if (c === '+') q = [1, Infinity];
    else if (c === '?') q = [0, 1];
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(s.slice(this.i));
      if (!m) return undefined;
      this.i += m[0].length - 1;
      q = [Number(m[1]), m[2] === undefined ? Number(m[1]) : m[3] === '' ? Infinity : Number(m[3])];
    }
    if (q === undefined) return undefined;
    this.i++;
    if (s[this.i] === '?') this.i++;
    return q;
  }

  private atom(): Node {
    const s = this.source;
    const start = this.i;
    const c = s[this.i++];
    if (c === '(') {
      let capture = 0;
      let look = false;
      if (s[this.i] === '?') {
        const m = /^\?(?::|=|!|<=|<!|<[^>]+>)/.exec(s.slice(this.i))!;
        look = m[0] !== '?:' && !m[0].startsWith('?<') ? true : m[0] === '?<=' || m[0] === '?<!';
        if (m[0].startsWith('?<') && !look) capture = ++this.groups;
        this.i += m[0].length;
      } else {
        capture = ++this.groups;
      }
      const body = this.alternatives();
      this.i++; // ')'
      return { kind: 'group', capture, look, body, start };
    }
    if (c === '[') return { kind: 'char', set: this.characterClass(), start };
    if (c === '.') return { kind: 'char', set: CharSet.of(10).invert(), start };
    if (c === '^' || c === '$') return { kind: 'assert', start };
    if (c === '\\') {
      const e = s[this.i++];
      if (e === 'b' || e === 'B') return { kind: 'assert', start };
      if (e >= '1' && e <= '9') {
        let digits = e;
        while (/\d/.test(s[this.i] ?? '')) digits += s[this.i++];
        return { kind: 'backref', group: Number(digits), start };
      }
      const set = this.escape(e);
      return /[^\w\s]/.test(e) ? { kind: 'char', set, start, literal: e } : { kind: 'char', set, start };
    }
    return { kind: 'char', set: CharSet.of(code(c)), start, literal: c };
  }

  private escape(e: string): CharSet {
    if (e in CLASS_ESCAPES) return CLASS_ESCAPES[e];
    const simple: Record<string, number> = { n: 10, r: 13, t: 9, f: 12, v: 11, '0': 0 };
    if (e in simple) return CharSet.of(simple[e]);
    if (e === 'x' || e === 'u') {
      const m = /^(?:[0-9a-fA-F]{2,4}|\{[0-9a-fA-F]+\})/.exec(this.source.slice(this.i));
      if (m) {
        this.i += e === 'x' ? 2 : m[0].length;
        return CharSet.of(Number.parseInt(e === 'x' ? m[0].slice(0, 2) : m[0].replace(/[{}]/g, ''), 16));
      }
    }
    if (e === 'p' || e === 'P' || e === 'c') return CharSet.any();
    return CharSet.of(code(e));
  }

  private characterClass(): CharSet {
    const s = this.source;
    let negated = false;
    if (s[this.i] === '^') {
      negated = true;
      this.i++;
    }
    let set = new CharSet();
    let previous: number | undefined;
    while (this.i < s.length && s[this.i] !== ']') {
      let c = s[this.i++];
      let single: number | undefined;
      if (c === '\\') {
        c = s[this.i++];
        const escaped = this.escape(c);
        if (c in CLASS_ESCAPES || c === 'p' || c === 'P') set = set.union(escaped);
        else single = firstBit(escaped);
      } else if (c === '-' && previous !== undefined && s[this.i] !== ']') {
        let to = s[this.i++];
        if (to === '\\') to = String.fromCharCode(firstBit(this.escape(s[this.i++])));
        set.addRange(previous, code(to));
        previous = undefined;
        continue;
      } else {
        single = code(c);
      }
      if (single !== undefined) set.add(single);
      previous = single;
    }
    this.i++; // ']'
    return negated ? set.invert() : set;
  }
}

function firstBit(set: CharSet): number {
  for (let c = 0; c <= 128; c++) if (set.bits[c >> 5] & (1 << (c & 31))) return c;
  return 0;
}


/** Parses a regex source that RegExp accepted (the translator's output). */
export function parseRegex(source: string): Node[][] {
  return new Parser(source).parse();
}

/** What a node can match: empty text or not, fixed length or not, its first characters and all its characters. */
export interface Facts {
  readonly nullable: boolean;
  readonly fixed: boolean;
  readonly first: CharSet;
  readonly chars: CharSet;
}

export function factsOfSequence(items: readonly Node[]): Facts {
  let nullable = true;
  let fixed = true;
  let first = new CharSet();
  let chars = new CharSet();
  for (const item of items) {
    const f = factsOf(item);
    if (nullable) first = first.union(f.first);
    nullable &&= f.nullable;
    fixed &&= f.fixed;
    chars = chars.union(f.chars);
  }
  return { nullable, fixed, first, chars };
}

function factsOfAlternatives(list: readonly Node[][]): Facts {
  const all = list.map(factsOfSequence);
  return {
    nullable: all.some((f) => f.nullable),
    fixed: all.length === 1 && all[0].fixed,
    first: all.reduce((a, f) => a.union(f.first), new CharSet()),
    chars: all.reduce((a, f) => a.union(f.chars), new CharSet()),
  };
}

export function factsOf(node: Node): Facts {
  switch (node.kind) {
    case 'char':
      return { nullable: false, fixed: true, first: node.set, chars: node.set };
    case 'assert':
      return { nullable: true, fixed: true, first: new CharSet(), chars: new CharSet() };
    case 'backref':
      return { nullable: true, fixed: false, first: CharSet.any(), chars: CharSet.any() };
    case 'group':
      return node.look ? { nullable: true, fixed: true, first: new CharSet(), chars: new CharSet() } : factsOfAlternatives(node.body);
    case 'repeat': {
      const f = factsOf(node.body);
      return { nullable: node.min === 0 || f.nullable, fixed: f.fixed && node.min === node.max, first: f.first, chars: f.chars };
    }
  }
}
