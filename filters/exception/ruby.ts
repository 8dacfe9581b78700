/**
 * Ruby backtraces: the uncaught / `full_message` form (`file.rb:10:in 'meth': message
 * (Class)` then `\tfrom file.rb:5:in '<main>'` lines, a cause printed after as its own
 * header, the `^^^^` source snippet of a NoMethodError in between) and the `Logger` form
 * (`E, [time #pid] ERROR -- : message (Class)` then bare `file.rb:10:in 'meth'` lines).
 * Ruby 3.4 quotes labels as `'Cls#meth'`, older versions as `` `meth' ``.
 */
import type { Frame, ParsedException, ParsedTrace } from './types.js';

const LOCATION = /^(.+?):\d+:in [`'](.*)'$/;
const HEADER = /^(.+?):\d+:in [`'](.*?)': (.*) \(([A-Z][\w]*(?:::[A-Z][\w]*)*)\)$/;
const FROM = /^\tfrom (.+?):\d+:in [`'](.*)'$/;
const MESSAGE_WITH_CLASS = /^(.*) \(([A-Z][\w]*(?:::[A-Z][\w]*)*)\)$/;
/** `E, [2026-12-01T06:51:55.875847 #4592] ERROR -- progname: ` */
const LOGGER_PREFIX = /^[A-Z], \[[^\]]*\] +[A-Z]+ -- [^:]*: /;

function parseFullMessage(lines: readonly string[]): ParsedTrace | undefined {
  let main: ParsedException | undefined;
  const chain: string[] = [];
  let frames: Frame[] = [];
  let current: { type: string; message: string } | undefined;
  const close = () => {
    if (current && !main) main = { ...current, frames };
  };
  for (const line of lines) {
    if (line.charCodeAt(0) === 9) {
      const from = current ? FROM.exec(line) : null;
      if (from && !main) frames.push({ file: from[1], function: from[2] });
      continue;
    }
    const header = line.length > 0 && line.endsWith(')') ? HEADER.exec(line.length > 4096 ? line.slice(0, 4096) : line) : null;
    if (!header) continue;
    close();
    current = { type: header[4], message: header[3] };
    chain.push(header[4]);
    if (!main) frames = [{ file: header[1], function: header[2] }];
  }
  close();
  return main ? { language: 'ruby', main, chain } : undefined;
}

function parseLogger(lines: readonly string[]): ParsedTrace | undefined {
  for (let i = 0; i + 1 < lines.length; i++) {
    const line = lines[i];
    if (!line.endsWith(')') || !LOCATION.test(lines[i + 1])) continue;
    const prefix = LOGGER_PREFIX.exec(line);
    const text = prefix ? line.slice(prefix[0].length) : line;
    const match = MESSAGE_WITH_CLASS.exec(text);
    if (!match) continue;
    const frames: Frame[] = [];
    for (let j = i + 1; j < lines.length; j++) {
      const location = LOCATION.exec(lines[j]);
      if (!location) break;
      frames.push({ file: location[1], function: location[2] });
    }
    return { language: 'ruby', main: { type: match[2], message: match[1], frames }, chain: [match[2]] };
  }
  return undefined;
}

export function parseRuby(lines: readonly string[]): ParsedTrace | undefined {
  return parseFullMessage(lines) ?? parseLogger(lines);
}
