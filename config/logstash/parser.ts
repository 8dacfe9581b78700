/**
 * Logstash's pipeline language read by hand-written recursive descent straight off the
 * characters (the grammar is small and has no separate token layer), into a tree whose nodes
 * know their line and column. Condition text is only delimited here; pipeline/condition/
 * parses it, so there is one condition language in sluice.
 */
import { ConfigError } from '../../pipeline/errors.js';
import type { LsAttribute, LsBranch, LsConfig, LsHashEntry, LsItem, LsPlugin, LsSection, LsValue, Position, SectionKind } from './ast.js';
import { SourceText } from './source.js';

const SECTIONS: readonly SectionKind[] = ['input', 'filter', 'output'];

/** Nesting (blocks, arrays, hashes) past which a file is refused rather than overflowing the stack. */
export const MAX_NESTING = 100;

export function logstashSyntaxError(source: SourceText, at: Position, why: string): ConfigError {
  const message = `${source.where(at)}: ${why}`;
  return new ConfigError('SLUICE_CONFIG_LOGSTASH_SYNTAX', message, [message], { source: source.name, line: at.line, column: at.column });
}

function isNameChar(c: string | undefined): boolean {
  return c !== undefined && /[A-Za-z0-9_-]/.test(c);
}

class Parser {
  private i = 0;
  private depth = 0;
  private readonly text: string;

  constructor(private readonly source: SourceText) {
    this.text = source.text;
  }

  private at(offset = this.i): Position {
    return this.source.positionOf(offset);
  }

  private fail(why: string, offset = this.i): never {
    throw logstashSyntaxError(this.source, this.at(offset), why);
  }

  private describeHere(): string {
    if (this.i >= this.text.length) return 'the end of the file';
    const c = this.text[this.i];
    const word = /^[A-Za-z0-9_-]+/.exec(this.text.slice(this.i, this.i + 40));
    return word ? JSON.stringify(word[0]) : JSON.stringify(c);
  }

  /** White space and `#` comments. */
  private skip(): void {
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f') this.i++;
      else if (c === '#') {
        const end = this.text.indexOf('\n', this.i);
        this.i = end === -1 ? this.text.length : end + 1;
      } else break;
    }
  }

  private expect(literal: string, what: string): void {
    this.skip();
    if (!this.text.startsWith(literal, this.i)) this.fail(`expected ${what}, got ${this.describeHere()}`);
    this.i += literal.length;
  }

  private enter(): void {
    if (++this.depth > MAX_NESTING) this.fail(`nested more than ${MAX_NESTING} levels deep`);
  }

  parseConfig(): LsConfig {
    const sections: LsSection[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.text.length) return { sections };
      const start = this.i;
      const word = this.readName();
      if (!(SECTIONS as readonly string[]).includes(word ?? '')) {
        this.i = start;
        this.fail(`expected a section (input, filter or output), got ${this.describeHere()}`);
      }
      const kind = word as SectionKind;
      this.expect('{', `"{" after ${kind}`);
      sections.push({ kind, at: this.at(start), body: this.parseItems(kind) });
    }
  }

  /** Plugins and conditionals up to the closing "}" of the enclosing block. */
  private parseItems(kind: SectionKind): LsItem[] {
    this.enter();
    const items: LsItem[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.text.length) this.fail(`unclosed ${kind} block: expected "}"`);
      if (this.text[this.i] === '}') {
        this.i++;
        this.depth--;
        return items;
      }
      if (this.isKeyword('if')) items.push(this.parseIf(kind));
      else if (this.isKeyword('else')) this.fail('"else" without an "if" before it');
      else items.push(this.parsePlugin(`a ${kind} plugin, an "if" or "}"`));
    }
  }

  private isKeyword(word: string): boolean {
    return this.text.startsWith(word, this.i) && !isNameChar(this.text[this.i + word.length]);
  }

  private parseIf(kind: SectionKind): LsItem {
    const start = this.i;
    const branches: LsBranch[] = [];
    this.i += 2;
    branches.push({ condition: this.readCondition(), body: this.parseItems(kind) });
    for (;;) {
      const before = this.i;
      this.skip();
      if (!this.isKeyword('else')) {
        this.i = before;
        break;
      }
      this.i += 4;
      this.skip();
      if (this.isKeyword('if')) {
        this.i += 2;
        branches.push({ condition: this.readCondition(), body: this.parseItems(kind) });
      } else {
        this.expect('{', '"{" or "if" after "else"');
        branches.push({ body: this.parseItems(kind) });
        break;
      }
    }
    return { kind: 'if', at: this.at(start), branches };
  }

  /** The condition's text up to the "{" of its block, strings, /regexes/ and [selectors] skipped whole. */
  private readCondition(): { text: string; at: Position } {
    this.skip();
    const start = this.i;
    // Comments become spaces, so that columns in the condition's text stay the file's.
    const comments: Array<[number, number]> = [];
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '{') {
        let text = this.text.slice(start, this.i);
        for (const [from, to] of comments) text = text.slice(0, from - start) + ' '.repeat(to - from) + text.slice(to - start);
        text = text.trimEnd();
        if (text.length === 0) this.fail('expected a condition after "if"');
        this.i++;
        return { text, at: this.at(start) };
      }
      if (c === '#') {
        const end = this.text.indexOf('\n', this.i);
        const to = end === -1 ? this.text.length : end;
        comments.push([this.i, to]);
        this.i = to;
      } else if (c === '"' || c === "'" || c === '/') this.skipDelimited(c);
      else if (c === '[') this.skipDelimited(']', '[');
      else if (c === '}') this.fail('expected "{" after the condition');
      else this.i++;
    }
    return this.fail('unterminated condition: expected "{"', start);
  }

  private skipDelimited(close: string, open = close): void {
    const start = this.i;
    this.i++;
    while (this.i < this.text.length) {
      const c = this.text[this.i];
      if (c === '\\' && open !== '[') this.i += 2;
      else if (c === close) {
        this.i++;
        return;
      } else this.i++;
    }
    this.fail(`unterminated ${open === '[' ? 'field reference' : open === '/' ? 'regular expression' : 'string'}`, start);
  }

  private readName(): string | undefined {
    const start = this.i;
    while (isNameChar(this.text[this.i])) this.i++;
    return this.i > start ? this.text.slice(start, this.i) : undefined;
  }

  private parsePlugin(expectation: string): LsPlugin {
    this.skip();
    const start = this.i;
    const name = this.text[this.i] === '"' || this.text[this.i] === "'" ? this.readString().value : this.readName();
    if (name === undefined) this.fail(`expected ${expectation}, got ${this.describeHere()}`);
    this.expect('{', `"{" after the plugin name ${JSON.stringify(name)}`);
    this.enter();
    const attributes: LsAttribute[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.text.length) this.fail(`unclosed plugin ${JSON.stringify(name)}: expected "}"`, start);
      if (this.text[this.i] === '}') {
        this.i++;
        this.depth--;
        return { kind: 'plugin', name, at: this.at(start), attributes };
      }
      const nameAt = this.i;
      const attribute = this.text[this.i] === '"' || this.text[this.i] === "'" ? this.readString().value : this.readName();
      if (attribute === undefined) this.fail(`expected an option name or "}" in ${JSON.stringify(name)}, got ${this.describeHere()}`);
      this.expect('=>', `"=>" after the option ${JSON.stringify(attribute)}`);
      attributes.push({ name: attribute, at: this.at(nameAt), value: this.parseValue() });
    }
  }

  private parseValue(): LsValue {
    this.skip();
    const start = this.i;
    const at = this.at(start);
    const c = this.text[this.i];
    if (c === '"' || c === "'") {
      const read = this.readString();
      return { kind: 'string', value: read.value, quoted: true, at };
    }
    if (c === '[') return this.parseArray();
    if (c === '{') return this.parseHash();
    if (c === '$' && this.text[this.i + 1] === '{') {
      // `${VAR}` written without quotes: a string, substituted later like any other.
      const end = this.text.indexOf('}', this.i);
      if (end === -1) this.fail('unterminated ${...} reference');
      this.i = end + 1;
      return { kind: 'string', value: this.text.slice(start, end + 1), quoted: false, at };
    }
    const number = /^-?[0-9]+(?:\.[0-9]*)?/.exec(this.text.slice(this.i, this.i + 64));
    if (number && !isNameChar(this.text[this.i + number[0].length])) {
      this.i += number[0].length;
      return { kind: 'number', value: Number(number[0]), text: number[0], at };
    }
    const word = this.readName();
    if (word === undefined) this.fail(`expected a value (a string, number, bareword, [array] or {hash}), got ${this.describeHere()}`);
    const before = this.i;
    this.skip();
    if (this.text[this.i] === '{') {
      this.i = start;
      return { kind: 'plugin', plugin: this.parsePlugin('a codec'), at };
    }
    this.i = before;
    if (!/^[A-Za-z_][A-Za-z0-9_]+$/.test(word)) this.fail(`${JSON.stringify(word)} is not a value: quote it ("${word}")`, start);
    return { kind: 'bareword', value: word, at };
  }

  /** A quoted string. Backslashes stay as written (Logstash's default, config.support_escapes off); they only keep a quote from ending it. */
  private readString(): { value: string } {
    const start = this.i;
    const quote = this.text[this.i];
    for (let j = this.i + 1; j < this.text.length; j++) {
      const c = this.text[j];
      if (c === '\\') j++;
      else if (c === quote) {
        this.i = j + 1;
        return { value: this.text.slice(start + 1, j) };
      }
    }
    return this.fail('unterminated string', start);
  }

  private parseArray(): LsValue {
    const at = this.at();
    this.enter();
    this.i++;
    const items: LsValue[] = [];
    this.skip();
    if (this.text[this.i] === ']') {
      this.i++;
      this.depth--;
      return { kind: 'array', items, at };
    }
    for (;;) {
      items.push(this.parseValue());
      this.skip();
      const c = this.text[this.i];
      if (c === ',') this.i++;
      else if (c === ']') {
        this.i++;
        this.depth--;
        return { kind: 'array', items, at };
      } else this.fail(`expected "," or "]" in the array, got ${this.describeHere()}`);
    }
  }

  private parseHash(): LsValue {
    const at = this.at();
    this.enter();
    this.i++;
    const entries: LsHashEntry[] = [];
    for (;;) {
      this.skip();
      if (this.i >= this.text.length) this.fail('unclosed hash: expected "}"');
      if (this.text[this.i] === '}') {
        this.i++;
        this.depth--;
        return { kind: 'hash', entries, at };
      }
      const keyAt = this.i;
      const c = this.text[this.i];
      let key: string | undefined;
      if (c === '"' || c === "'") key = this.readString().value;
      else key = this.readName();
      if (key === undefined) this.fail(`expected a hash key (a string, number or bareword) or "}", got ${this.describeHere()}`);
      if (entries.some((e) => e.key === key)) this.fail(`duplicate key ${JSON.stringify(key)} in a hash`, keyAt);
      this.expect('=>', `"=>" after the hash key ${JSON.stringify(key)}`);
      entries.push({ key, at: this.at(keyAt), value: this.parseValue() });
    }
  }
}

export function parseLogstash(source: SourceText): LsConfig {
  return new Parser(source).parseConfig();
}
