/**
 * JVM stack traces as `printStackTrace()` and logback write them: `pkg.Type: message`, tab-
 * indented `at pkg.Cls.method(File.java:12)` frames (with a `java.base/` module or `app//`
 * class-loader prefix), `Caused by:` sections (the chain), `Suppressed:` sections (indented,
 * not in the chain) and `... N more` / `... N common frames omitted` elisions.
 */
import type { Frame, ParsedTrace } from './types.js';

// logback may append the jar: `at a.B.c(B.java:3) ~[app.jar:1.0]`.
const FRAME = /^\s+at (\S+?)\(([^()]*)\)(?: ~?\[[^\]]*\])?$/;
const HEADER = /^(?:Exception in thread "[^"]*" )?([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?:: (.*))?$/;
const CAUSED_BY = /^Caused by: ([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)(?::|$)/;

function isFrame(line: string): boolean {
  return line.length > 5 && (line.charCodeAt(0) === 9 || line.charCodeAt(0) === 32) && FRAME.test(line);
}

/** `java.base/java.util.ArrayList.get` -> class `java.util.ArrayList`, method `get`. */
function readFrame(line: string): Frame | undefined {
  const match = FRAME.exec(line);
  if (!match) return undefined;
  const symbol = match[1];
  const qualified = symbol.slice(symbol.lastIndexOf('/') + 1);
  const dot = qualified.lastIndexOf('.');
  if (dot <= 0) return { module: qualified, function: qualified };
  return { module: qualified.slice(0, dot), function: qualified.slice(dot + 1) };
}

export function parseJava(lines: readonly string[]): ParsedTrace | undefined {
  const firstFrame = lines.findIndex(isFrame);
  if (firstFrame <= 0) return undefined;
  // The header is the nearest line above the frames that names a class; lines between are the rest of its message.
  let header = -1;
  let match: RegExpExecArray | null = null;
  for (let i = firstFrame - 1; i >= 0; i--) {
    const line = lines[i];
    if (line.length === 0 || line.charCodeAt(0) === 9 || line.charCodeAt(0) === 32) continue;
    match = HEADER.exec(line.length > 4096 ? line.slice(0, 4096) : line);
    if (match && match[1].includes('.')) {
      header = i;
      break;
    }
  }
  if (header === -1 || !match) return undefined;
  const frames: Frame[] = [];
  for (let i = firstFrame; i < lines.length && isFrame(lines[i]); i++) {
    const frame = readFrame(lines[i]);
    if (frame) frames.push(frame);
  }
  const chain = [match[1]];
  for (let i = firstFrame + frames.length; i < lines.length; i++) {
    const line = lines[i];
    // Only column-0 `Caused by:`; one inside a `Suppressed:` section is indented.
    if (line.charCodeAt(0) !== 67 /* C */) continue;
    const cause = CAUSED_BY.exec(line);
    if (cause) chain.push(cause[1]);
  }
  return { language: 'java', main: { type: match[1], message: match[2] ?? '', frames }, chain };
}
