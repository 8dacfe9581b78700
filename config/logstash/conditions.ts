/**
 * `if / else if / else` as sluice `when:` conditions. The condition text is Logstash's and so is
 * sluice's condition language (pipeline/condition/), so each one is checked by that parser,
 * with its errors moved to the file's line and column, and then combined as text.
 */
import { compileCondition } from '../../pipeline/condition/index.js';
import { ConfigError } from '../../pipeline/errors.js';
import type { Position } from './ast.js';
import type { SourceText } from './source.js';

/** `a and b`, each side in parentheses when it is more than one term. */
export function allOf(parts: ReadonlyArray<string | undefined>): string | undefined {
  const present = parts.filter((p): p is string => p !== undefined);
  if (present.length <= 1) return present[0];
  return present.map((p) => group(p)).join(' and ');
}

export function negation(condition: string): string {
  return `!${group(condition, true)}`;
}

function group(condition: string, always = false): string {
  const atomic = /^!?\[[^\]]+\](\[[^\]]+\])*$/.test(condition);
  return atomic || (!always && !/\s/.test(condition)) ? condition : `(${condition})`;
}

/** The position of the `column`th character (1-based) of a condition that starts at `at`. */
function positionIn(text: string, at: Position, column: number): Position {
  let line = at.line;
  let col = at.column;
  for (let i = 0; i < column - 1 && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      col = 1;
    } else col++;
  }
  return { line, column: col };
}

/** A problem with the file's position when the condition does not parse, else undefined. */
export function checkCondition(text: string, at: Position, source: SourceText): string | undefined {
  try {
    compileCondition(text);
    return undefined;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const column = typeof err.context.column === 'number' ? err.context.column : 1;
    const why = err.message.replace(/ at column \d+ of .*$/s, '');
    return `${source.where(positionIn(text, at, column))}: condition ${JSON.stringify(text)}: ${why}`;
  }
}

/** The condition on one line, runs of white space outside strings, regexes and [selectors] made one space. */
export function oneLine(text: string): string {
  let out = '';
  let close: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (close !== undefined) {
      out += c;
      if (c === '\\' && close !== ']' && i + 1 < text.length) out += text[++i];
      else if (c === close) close = undefined;
    } else if (/\s/.test(c)) {
      if (!out.endsWith(' ')) out += ' ';
    } else {
      out += c;
      if (c === '"' || c === "'" || c === '/') close = c;
      else if (c === '[') close = ']';
    }
  }
  return out.trim();
}

/**
 * Logstash takes a quoted string on the right of `=~` and `!~` as the regex; sluice's conditions
 * want `/regex/`, so such a string is rewritten as one (a `/` in it escaped).
 */
export function stringRegexes(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === '"' || c === "'" || c === '/' || c === '[') {
      const end = closingOf(text, i);
      out += text.slice(i, end);
      i = end;
    } else if ((c === '=' || c === '!') && text[i + 1] === '~') {
      let j = i + 2;
      while (/\s/.test(text[j] ?? '')) j++;
      out += text.slice(i, j);
      const quote = text[j];
      if (quote === '"' || quote === "'") {
        const end = closingOf(text, j);
        out += `/${text.slice(j + 1, end - 1).replace(/\\?\//g, '\\/')}/`;
        j = end;
      }
      i = j;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

/** The index after the string, regex or [selector] that opens at `start` (the end of the text if it is not closed). */
function closingOf(text: string, start: number): number {
  const close = text[start] === '[' ? ']' : text[start];
  for (let i = start + 1; i < text.length; i++) {
    if (text[i] === '\\' && close !== ']') i++;
    else if (text[i] === close) return i + 1;
  }
  return text.length;
}
