/**
 * V8 stacks as Node prints them: `Type: message` then `    at fn (file:line:col)` /
 * `    at file:line:col` / `    at async fn (...)` frames, `[cause]: ...` sections of
 * `util.inspect` (and pino's `caused by: ...`), `[errors]: [...]` of an AggregateError (not in
 * the chain), a stack-less `[Type: message] {`, the source excerpt an uncaught error starts
 * with, and trailing own properties or a `Node.js v20` footer.
 */
import type { Frame, ParsedTrace } from './types.js';

const HEADER = /^([A-Za-z_$][\w$]*)(?: \[[A-Z0-9_]+\])?(?:: (.*))?$/;
const BRACKETED = /^\[([A-Za-z_$][\w$]*)(?: \[[A-Z0-9_]+\])?(?:: (.*?))?\](?: \{)?$/;
const CAUSE = /^\s*(?:\[cause\]|caused by): ([A-Za-z_$][\w$]*)(?: \[[A-Z0-9_]+\])?(?::|$)/;
const ELIDED = /^\s+\.\.\. \d+ lines? matching cause stack trace \.\.\.$/;

function indentOf(line: string): number {
  let n = 0;
  while (n < line.length && line.charCodeAt(n) === 32) n++;
  return n;
}

function isFrameLine(line: string): boolean {
  const at = indentOf(line);
  return at > 0 && line.startsWith('at ', at);
}

/** `/srv/app/x.js:10:15` -> `/srv/app/x.js`; `file:///srv/app/x.mjs:3:1` -> `/srv/app/x.mjs`. */
function stripPosition(location: string): string {
  let end = location.length;
  for (let colons = 0; colons < 2; colons++) {
    const colon = location.lastIndexOf(':', end - 1);
    if (colon <= 0 || !/^\d+$/.test(location.slice(colon + 1, end))) break;
    end = colon;
  }
  const path = location.slice(0, end);
  return path.startsWith('file://') ? path.slice(7) : path;
}

/** `at fn (location)`, `at async fn (location)` or `at location`; read by position, not by a regex that could backtrack. */
function readFrame(line: string): Frame | undefined {
  const text = line.endsWith(' {') ? line.slice(0, -2) : line.endsWith(',') ? line.slice(0, -1) : line;
  let start = indentOf(text) + 3;
  if (text.startsWith('async ', start)) start += 6;
  // The first ` (` after the function: a name has none (`fn [as alias]`), a path may (`/srv/my app (2)/x.js`).
  const open = text.endsWith(')') ? text.indexOf(' (', start) : -1;
  if (open > start) return { file: stripPosition(text.slice(open + 2, -1)), function: text.slice(start, open) };
  return { file: stripPosition(text.slice(start)), function: '<anonymous>' };
}

function findHeader(lines: readonly string[]): { index: number; type: string; message: string; stackless: boolean } | undefined {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    const code = line.charCodeAt(0);
    if (code !== 91 /* [ */ && !((code >= 65 && code <= 90) || (code >= 97 && code <= 122) || code === 95 || code === 36)) continue;
    if (code === 91) {
      const bracketed = BRACKETED.exec(line);
      if (bracketed) return { index: i, type: bracketed[1], message: bracketed[2] ?? '', stackless: true };
      continue;
    }
    const header = HEADER.exec(line.length > 4096 ? line.slice(0, 4096) : line);
    if (!header) continue;
    // A header is followed by its frames, perhaps after more lines of its message.
    for (let j = i + 1; j < lines.length && j <= i + 50; j++) {
      if (isFrameLine(lines[j])) {
        if (indentOf(lines[j]) === 4) return { index: i, type: header[1], message: header[2] ?? '', stackless: false };
        break;
      }
    }
  }
  return undefined;
}

export function parseNode(lines: readonly string[]): ParsedTrace | undefined {
  const header = findHeader(lines);
  if (!header) return undefined;
  const frames: Frame[] = [];
  let i = header.index + 1;
  if (!header.stackless) {
    while (i < lines.length && !isFrameLine(lines[i])) i++;
    for (; i < lines.length; i++) {
      const line = lines[i];
      if (ELIDED.test(line)) continue;
      if (indentOf(line) !== 4 || !isFrameLine(line)) break;
      const frame = readFrame(line);
      if (frame) frames.push(frame);
    }
  }
  const chain = [header.type];
  let errorsIndent = -1;
  for (; i < lines.length; i++) {
    const line = lines[i];
    const indent = indentOf(line);
    if (errorsIndent >= 0) {
      // Inside `[errors]: [ ... ]`: the members of an AggregateError are not its causes.
      if (indent === errorsIndent && line.startsWith(']', indent)) errorsIndent = -1;
      continue;
    }
    if (line.startsWith('[errors]: [', indent)) {
      errorsIndent = indent;
      continue;
    }
    const cause = line.charCodeAt(indent) === 91 || line.startsWith('caused by: ', indent) ? CAUSE.exec(line) : null;
    if (cause) chain.push(cause[1]);
  }
  return { language: 'node', main: { type: header.type, message: header.message, frames }, chain };
}
