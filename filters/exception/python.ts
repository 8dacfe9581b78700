/**
 * CPython tracebacks: `Traceback (most recent call last):` blocks, chained by "The above
 * exception was the direct cause..." / "During handling of the above exception...", the
 * 3.11 `^^^^`/`~~~~` markers under code lines, and exception groups (`+ Exception Group
 * Traceback`, `| `-prefixed members). The main exception is the last top-level block; members
 * of a group are not part of the chain.
 */
import type { Frame, ParsedException, ParsedTrace } from './types.js';

const TRACEBACK = 'Traceback (most recent call last):';
const GROUP_TRACEBACK = '+ Exception Group Traceback (most recent call last):';
const FRAME = /^ {2}File "(.*)", line \d+(?:, in (.*))?$/;
/** `module.Type: message` or a bare `Type`; the name is what the runtime prints. */
const EXCEPTION_LINE = /^((?:[A-Za-z_][\w]*\.)*[A-Za-z_][\w]*)(?:: ?(.*))?$/;

interface Block {
  /** Index of the first line after the `Traceback` header. */
  readonly start: number;
  /** How many characters of `| ` prefix each line of the block carries. */
  readonly prefix: number;
}

/** Top-level blocks only: a member of a group sits deeper, behind its `| ` prefix. */
function findBlocks(lines: readonly string[]): Block[] {
  const blocks: Block[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === TRACEBACK) blocks.push({ start: i + 1, prefix: 0 });
    else if (line.length === GROUP_TRACEBACK.length + 2 && line.startsWith('  ') && line.endsWith(GROUP_TRACEBACK)) blocks.push({ start: i + 1, prefix: 4 });
  }
  return blocks;
}

function unprefixed(line: string, prefix: number): string | undefined {
  if (prefix === 0) return line;
  // Group blocks: `  | ` before every line of the group's own traceback; `  +-+` starts the members.
  if (line.startsWith('  |')) return line.slice(prefix);
  return undefined;
}

function readBlock(lines: readonly string[], block: Block): { exception: ParsedException; end: number } | undefined {
  const printed: Frame[] = [];
  for (let i = block.start; i < lines.length; i++) {
    const line = unprefixed(lines[i], block.prefix);
    if (line === undefined) return undefined;
    if (line.startsWith('  ')) {
      const frame = FRAME.exec(line);
      if (frame) printed.push({ file: frame[1], function: frame[2] ?? '<module>' });
      // Code lines, `^^^^` / `~~~^~~` markers and `[Previous line repeated N more times]` carry no frame.
      continue;
    }
    if (line.length === 0) continue;
    const match = EXCEPTION_LINE.exec(line.length > 4096 ? line.slice(0, 4096) : line);
    const type = match ? match[1] : line.slice(0, Math.max(0, line.indexOf(':'))) || line;
    const message = match ? (match[2] ?? '') : line.slice(type.length + 1).trim();
    printed.reverse();
    return { exception: { type, message, frames: printed }, end: i };
  }
  return undefined;
}

export function parsePython(lines: readonly string[]): ParsedTrace | undefined {
  const blocks = findBlocks(lines);
  if (blocks.length === 0) return undefined;
  const chain: string[] = [];
  let main: ParsedException | undefined;
  for (const block of blocks) {
    const read = readBlock(lines, block);
    if (!read) continue;
    chain.push(read.exception.type);
    main = read.exception;
  }
  return main ? { language: 'python', main, chain } : undefined;
}
