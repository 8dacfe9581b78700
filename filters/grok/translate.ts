/**
 * Grok pattern text (Oniguruma flavour, with `%{NAME:field:type}` references) to one JavaScript
 * regular expression. Every capture becomes a numbered group, in order, and `captures[i]` says
 * where group i+1 goes: plain `( )` groups are made non-capturing, so a match builds no
 * `groups` object and duplicate field names are fine. Features the JavaScript engine lacks are
 * refused with the pattern's name and the position in its text.
 */
import { parseFieldReference, type FieldPath } from '../../pipeline/fields.js';

export interface Definition {
  readonly source: string;
  /** Where it was defined: `library`, `pattern_definitions`, or a file and line. */
  readonly origin: string;
}

export type Definitions = ReadonlyMap<string, Definition>;

export type CaptureType = 'int' | 'float';

export interface Capture {
  readonly path: FieldPath;
  /** As written, for messages and the per-pattern profile. */
  readonly name: string;
  readonly type?: CaptureType;
}

export interface Translation {
  readonly source: string;
  readonly flags: string;
  /** Group i+1 of the regex; null for groups the translation made for itself (atomic emulation). */
  readonly captures: ReadonlyArray<Capture | null>;
  /** Group numbers that emulate an atomic group: `(?=(X))\N`. */
  readonly atomicGroups: ReadonlySet<number>;
  /** For each character of `source`: the pattern and position it came from (for the safety check's messages). */
  readonly origins: ReadonlyArray<{ readonly pattern: string; readonly position: number; readonly origin?: string }>;
}

/** A pattern that cannot be compiled; `pattern` is the definition's name (or the match entry), `position` an offset in its text. */
export class GrokPatternError extends Error {
  constructor(
    readonly pattern: string,
    readonly position: number,
    readonly reason: string,
    readonly origin?: string,
  ) {
    super(`pattern ${pattern}${origin ? ` (${origin})` : ''} at position ${position}: ${reason}`);
    this.name = 'GrokPatternError';
  }
}

const POSIX_CLASSES: Record<string, string> = {
  alpha: 'a-zA-Z', digit: '0-9', alnum: 'a-zA-Z0-9', upper: 'A-Z', lower: 'a-z', space: ' \\t\\r\\n\\v\\f',
  blank: ' \\t', punct: '!-\\/:-@\\[-`{-~', xdigit: '0-9A-Fa-f', word: '\\w', cntrl: '\\x00-\\x1f\\x7f', print: ' -~', graph: '!-~',
};

/** Oniguruma escapes with a JavaScript spelling; outside and inside a character class. */
const ESCAPES: Record<string, [string, string | undefined]> = {
  A: ['^', undefined],
  z: ['$', undefined],
  Z: ['(?=\\n?$)', undefined],
  h: ['[0-9a-fA-F]', '0-9a-fA-F'],
  H: ['[^0-9a-fA-F]', undefined],
};
const UNSUPPORTED_ESCAPES: Record<string, string> = {
  G: '\\G (start of the previous match)',
  K: '\\K (keep)',
  R: '\\R (any line break); write (?:\\r\\n|\\n|\\r)',
  X: '\\X (grapheme cluster)',
  Q: '\\Q...\\E quoting; escape the characters instead',
  E: '\\Q...\\E quoting',
  g: '\\g subexpression calls',
};

const REFERENCE = /^%\{(\w+)(?::([^:}]+)(?::([^:}]+))?)?\}/;

interface OpenGroup {
  readonly close: string;
}

class Translator {
  private out = '';
  private readonly origins: Array<{ pattern: string; position: number; origin?: string }> = [];
  private origin: string | undefined;
  private readonly captures: Array<Capture | null> = [];
  private readonly atomicGroups = new Set<number>();
  private readonly groupNumbers = new Map<string, number>();
  private unicode = false;

  constructor(
    private readonly definitions: Definitions,
    private readonly namedCapturesOnly: boolean,
  ) {}

  result(): Translation {
    return { source: this.out, flags: this.unicode ? 'u' : '', captures: this.captures, atomicGroups: this.atomicGroups, origins: this.origins };
  }

  private emit(text: string, pattern: string, position: number): void {
    this.out += text;
    const entry = this.origin === undefined ? { pattern, position } : { pattern, position, origin: this.origin };
    for (let i = 0; i < text.length; i++) this.origins.push(entry);
  }

  /** Translates `text`, the body of `pattern`; `stack` holds the references being expanded (cycle check). */
  translate(text: string, pattern: string, stack: readonly string[], origin?: string): void {
    const fail = (position: number, reason: string): never => {
      throw new GrokPatternError(pattern, position, reason, origin);
    };
    const outer = this.origin;
    this.origin = origin;
    const open: OpenGroup[] = [];
    let afterQuantifier = false;
    let i = 0;
    while (i < text.length) {
      const c = text[i];
      const start = i;
      if (c === '+' && afterQuantifier) fail(i, 'possessive quantifier (*+, ++, ?+) is not supported by the JavaScript engine; use an atomic group (?>...)');
      afterQuantifier = false;
      if (c === '\\') {
        const next = text[i + 1];
        if (next === undefined) fail(i, 'pattern ends with a lone backslash');
        if (next in UNSUPPORTED_ESCAPES) fail(i, `${UNSUPPORTED_ESCAPES[next]} is not supported by the JavaScript engine`);
        if (next in ESCAPES) this.emit(ESCAPES[next][0], pattern, i);
        else if (next >= '1' && next <= '9') fail(i, 'numbered backreference; name the group (?<name>...) and write \\k<name>');
        else if (next === 'k' && text[i + 2] === '<') {
          const end = text.indexOf('>', i + 3);
          const number = end === -1 ? undefined : this.groupNumbers.get(text.slice(i + 3, end));
          if (number === undefined) fail(i, 'backreference to a group not defined before it');
          this.emit(`\\${number}`, pattern, i);
          i = end + 1;
          continue;
        } else {
          if (next === 'p' || next === 'P') this.unicode = true;
          this.emit(`\\${next}`, pattern, i);
        }
        i += 2;
        continue;
      }
      if (c === '[') {
        i = this.characterClass(text, i, pattern, fail);
        continue;
      }
      if (c === '%' && text[i + 1] === '{') {
        i += this.reference(text, i, pattern, stack, fail);
        continue;
      }
      if (c === '(') {
        i = this.openGroup(text, i, pattern, open, fail);
        continue;
      }
      if (c === ')') {
        const group = open.pop();
        if (group === undefined) fail(i, 'unmatched )');
        this.emit(group!.close, pattern, i);
        i++;
        afterQuantifier = text[i] === '*' || text[i] === '+' || text[i] === '?';
        if (afterQuantifier) {
          this.emit(text[i], pattern, i);
          i++;
        }
        continue;
      }
      if (c === '*' || c === '+' || c === '?') afterQuantifier = start === 0 || text[start - 1] !== '(';
      if (c === '{') {
        const interval = /^\{\d+(?:,\d*)?\}/.exec(text.slice(i));
        if (interval) {
          this.emit(interval[0], pattern, i);
          i += interval[0].length;
          afterQuantifier = true;
          continue;
        }
      }
      this.emit(c, pattern, i);
      i++;
    }
    if (open.length > 0) fail(text.length, `${open.length} group(s) opened and not closed`);
    this.origin = outer;
  }

  private characterClass(text: string, start: number, pattern: string, fail: (p: number, r: string) => never): number {
    let i = start + 1;
    let body = '[';
    if (text[i] === '^') {
      body += '^';
      i++;
    }
    // Oniguruma reads a `]` right after the opening bracket as a literal.
    if (text[i] === ']') {
      body += '\\]';
      i++;
    }
    while (i < text.length && text[i] !== ']') {
      const c = text[i];
      if (c === '\\') {
        const next = text[i + 1];
        const translated = ESCAPES[next]?.[1];
        if (next in ESCAPES && translated === undefined) fail(i, `\\${next} inside a character class is not supported`);
        body += translated ?? `\\${next}`;
        if (next === 'p' || next === 'P') this.unicode = true;
        i += 2;
        continue;
      }
      if (c === '[') {
        const posix = /^\[:(\^?)(\w+):\]/.exec(text.slice(i));
        if (posix && posix[2] in POSIX_CLASSES && posix[1] === '') {
          body += POSIX_CLASSES[posix[2]];
          i += posix[0].length;
          continue;
        }
        fail(i, posix ? `POSIX class [:${posix[1]}${posix[2]}:] is not supported` : 'nested character class (Oniguruma set union) is not supported; list the characters in one class');
      }
      if (c === '&' && text[i + 1] === '&') fail(i, 'character class intersection && is not supported');
      body += c === '/' ? '\\/' : c;
      i++;
    }
    if (i >= text.length) fail(start, 'character class [ is not closed');
    this.emit(`${body}]`, pattern, start);
    return i + 1;
  }

  private openGroup(text: string, i: number, pattern: string, open: OpenGroup[], fail: (p: number, r: string) => never): number {
    if (text[i + 1] !== '?') {
      // An unnamed group is structure, not a field.
      this.emit('(?:', pattern, i);
      open.push({ close: ')' });
      return i + 1;
    }
    const head = text.slice(i, i + 4);
    if (head.startsWith('(?:') || head.startsWith('(?=') || head.startsWith('(?!') || head === '(?<=' || head === '(?<!') {
      const length = head.startsWith('(?<') ? 4 : 3;
      this.emit(text.slice(i, i + length), pattern, i);
      open.push({ close: ')' });
      return i + length;
    }
    if (head.startsWith('(?>')) {
      const number = this.captures.push(null);
      this.atomicGroups.add(number);
      this.emit('(?=(', pattern, i);
      open.push({ close: `))\\${number}` });
      return i + 3;
    }
    if (head.startsWith('(?#')) {
      const end = text.indexOf(')', i);
      if (end === -1) fail(i, 'comment (?# is not closed');
      return end + 1;
    }
    const named = /^\(\?P?(?:<([^>]+)>|'([^']+)')/.exec(text.slice(i));
    if (named) {
      const name = named[1] ?? named[2];
      let path: FieldPath;
      try {
        path = parseFieldReference(name);
      } catch {
        fail(i, `group name ${JSON.stringify(name)} is not a field reference`);
      }
      const number = this.captures.push({ path: path!, name });
      if (!this.groupNumbers.has(name)) this.groupNumbers.set(name, number);
      this.emit('(', pattern, i);
      open.push({ close: ')' });
      return i + named[0].length;
    }
    if (/^\(\?[imxWDSPa-]+[):]/.test(text.slice(i))) fail(i, 'inline modifiers such as (?i) or (?m:...) are not supported by the JavaScript engine; spell the cases out ([Ee]rror) or use a class');
    return fail(i, `unsupported group syntax ${JSON.stringify(text.slice(i, i + 4))}`);
  }

  private reference(text: string, i: number, pattern: string, stack: readonly string[], fail: (p: number, r: string) => never): number {
    const match = REFERENCE.exec(text.slice(i));
    if (!match) fail(i, `malformed reference ${JSON.stringify(text.slice(i, text.indexOf('}', i) + 1 || i + 12))} (expected %{NAME}, %{NAME:field} or %{NAME:field:int|float})`);
    const [whole, name, semantic, type] = match!;
    const definition = this.definitions.get(name);
    if (definition === undefined) fail(i, `unknown pattern %{${name}}`);
    if (stack.includes(name)) fail(i, `%{${name}} refers to itself (${[...stack, name].join(' -> ')})`);
    if (type !== undefined && type !== 'int' && type !== 'float') fail(i, `unknown type ${JSON.stringify(type)} in ${whole} (expected int or float)`);
    const field = semantic ?? (this.namedCapturesOnly ? undefined : name);
    if (field !== undefined) {
      let path: FieldPath;
      try {
        path = parseFieldReference(field);
      } catch {
        fail(i, `${JSON.stringify(field)} in ${whole} is not a field reference`);
      }
      const number = this.captures.push({ path: path!, name: field, ...(type ? { type: type as CaptureType } : {}) });
      if (!this.groupNumbers.has(field)) this.groupNumbers.set(field, number);
      this.emit('(', pattern, i);
    } else {
      this.emit('(?:', pattern, i);
    }
    const here = this.origin;
    this.translate(definition!.source, name, [...stack, name], definition!.origin);
    this.origin = here;
    this.emit(')', pattern, i);
    return whole.length;
  }
}

/** Translates one match entry (the text users wrote in `match:`) against the definitions. */
export function translatePattern(text: string, label: string, definitions: Definitions, namedCapturesOnly: boolean): Translation {
  const translator = new Translator(definitions, namedCapturesOnly);
  translator.translate(text, label, []);
  return translator.result();
}
