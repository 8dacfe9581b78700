/**
 * Text -> ParsedTrace: a few substring checks pick the parser to try (no regex runs on text
 * that shows none of a runtime's marks); structlog's `dict_tracebacks` list is read directly.
 */
import { isFieldObject, type FieldValue } from '../../pipeline/event.js';
import { parseGo } from './go.js';
import { parseJava } from './java.js';
import { parseNode } from './node.js';
import { parsePython } from './python.js';
import { parseRuby } from './ruby.js';
import type { Frame, ParsedTrace } from './types.js';

/** Longest text parsed; the whole of it still goes to `error.stack_trace`. */
const MAX_PARSED_CHARS = 256 * 1024;

export function splitLines(text: string): string[] {
  const lines = (text.length > MAX_PARSED_CHARS ? text.slice(0, MAX_PARSED_CHARS) : text).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.length > 0 && line.charCodeAt(line.length - 1) === 13) lines[i] = line.slice(0, -1);
  }
  return lines;
}

export function parseTraceText(text: string): ParsedTrace | undefined {
  if (text.indexOf('\n') === -1) return undefined;
  const lines = splitLines(text);
  if (text.includes('Traceback (most recent call last):')) {
    const python = parsePython(lines);
    if (python) return python;
  }
  if (text.includes('\ngoroutine ')) {
    const go = parseGo(lines);
    if (go) return go;
  }
  if (text.includes('\tat ')) {
    const java = parseJava(lines);
    if (java) return java;
  }
  if (text.includes('    at ') || text.startsWith('[')) {
    const node = parseNode(lines);
    if (node) return node;
  }
  if (text.includes(':in `') || text.includes(":in '")) return parseRuby(lines);
  return undefined;
}

function text(value: FieldValue | undefined): string {
  return typeof value === 'string' ? value : value === undefined || value === null ? '' : String(value);
}

/**
 * structlog's `dict_tracebacks`: a list of {exc_type, exc_value, frames: [{filename, lineno, name}]},
 * one per exception of the chain, the main one last; frames outermost first, as Python prints them.
 */
export function parseStructlogDicts(list: readonly FieldValue[]): ParsedTrace | undefined {
  const chain: string[] = [];
  let last: { type: string; message: string; frames: Frame[] } | undefined;
  for (const item of list) {
    if (!isFieldObject(item) || typeof item.exc_type !== 'string') continue;
    const frames: Frame[] = [];
    if (Array.isArray(item.frames)) {
      for (const frame of item.frames) {
        if (isFieldObject(frame) && typeof frame.name === 'string') frames.push({ file: text(frame.filename), function: frame.name });
      }
    }
    frames.reverse();
    chain.push(item.exc_type);
    last = { type: item.exc_type, message: text(item.exc_value).split('\n', 1)[0], frames };
  }
  return last ? { language: 'python', main: last, chain } : undefined;
}

/** The dicts written out as CPython would print them, so `error.stack_trace` is text to search like any other. */
export function renderStructlogDicts(list: readonly FieldValue[]): string {
  const blocks: string[] = [];
  for (const item of list) {
    if (!isFieldObject(item)) continue;
    const lines = ['Traceback (most recent call last):'];
    if (Array.isArray(item.frames)) {
      for (const frame of item.frames) {
        if (isFieldObject(frame)) lines.push(`  File "${text(frame.filename)}", line ${text(frame.lineno)}, in ${text(frame.name)}`);
      }
    }
    const value = text(item.exc_value);
    lines.push(value.length > 0 ? `${text(item.exc_type)}: ${value}` : text(item.exc_type));
    blocks.push(lines.join('\n'));
  }
  return blocks.join('\n\nThe above exception was the direct cause of the following exception:\n\n');
}
