/**
 * Go panics and fatal errors: `panic: message` (or `fatal error: message`), then goroutine
 * dumps: `goroutine 1 [running]:`, each frame a `pkg.Func(args)` line and a
 * `\t/path/file.go:12 +0x1d` line, ended by `created by pkg.Func in goroutine 1` (not a
 * frame of its own). The frames are those of the first goroutine listed; Go prints no
 * exception type, so the type is the runtime's label.
 */
import type { Frame, ParsedTrace } from './types.js';

const HEADER = /^(panic|fatal error): (.*?)(?: \[recovered\])?$/;
const GOROUTINE = /^goroutine \d+ \[[^\]]*\]:$/;
const FILE_LINE = /^\t(.+?):\d+(?: \+0x[0-9a-f]+)?$/;

/** `example.com/x.(*Cache).Set(0xc000, ...)` -> `example.com/x.(*Cache).Set`. */
function symbolOf(line: string): string {
  if (!line.endsWith(')')) return line;
  const open = line.lastIndexOf('(');
  return open > 0 ? line.slice(0, open) : line;
}

export function parseGo(lines: readonly string[]): ParsedTrace | undefined {
  let header: RegExpExecArray | null = null;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i];
    if (!line.startsWith('panic: ') && !line.startsWith('fatal error: ')) continue;
    header = HEADER.exec(line);
    if (header) break;
  }
  if (!header) return undefined;
  while (i < lines.length && !GOROUTINE.test(lines[i])) i++;
  if (i === lines.length) return undefined;
  const frames: Frame[] = [];
  for (i++; i + 1 < lines.length; i += 2) {
    const line = lines[i];
    if (line.length === 0 || line.startsWith('created by ')) break;
    const file = FILE_LINE.exec(lines[i + 1]);
    if (!file) break;
    frames.push({ file: file[1], function: symbolOf(line) });
  }
  return { language: 'go', main: { type: header[1], message: header[2], frames }, chain: [header[1]] };
}
