/**
 * Fuzzing the newline framing of the tcp input: whatever the bytes and however the socket cuts
 * them, every line is either emitted or reported as too long (with its number, offset and size),
 * no line over the limit gets through, and the result is the one a plain split would give.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter, type OversizeLine } from '../../inputs/framing/line_splitter.js';
import { bytewise, chunked, cuts, fuzz, mutated, textWithout } from './fuzz.js';

interface Split {
  lines: string[];
  oversize: OversizeLine[];
}

function split(chunks: readonly Buffer[], max: number): Split {
  const out: Split = { lines: [], oversize: [] };
  const splitter = new LineSplitter(max, (info) => out.oversize.push(info));
  for (const chunk of chunks) splitter.push(chunk, (line) => out.lines.push(line));
  splitter.end((line) => out.lines.push(line));
  return out;
}

/** The contract, written the slow and obvious way: cut the whole stream at each LF byte. */
function expected(data: Buffer, max: number): Split {
  const out: Split = { lines: [], oversize: [] };
  let start = 0;
  let number = 0;
  while (start <= data.length) {
    let end = data.indexOf(10, start);
    const last = end === -1;
    if (last) end = data.length;
    if (last && end === start) break;
    number++;
    const bytes = end - start;
    if (bytes > max) {
      out.oversize.push({ line: number, offset: start, bytes });
    } else {
      let text = data.toString('utf8', start, end);
      if (text.endsWith('\r')) text = text.slice(0, -1);
      if (text.length > 0) out.lines.push(text);
    }
    start = end + 1;
  }
  return out;
}

const line = textWithout('\n', { maxLength: 60 });
const validStream = fc.array(fc.tuple(line, fc.boolean()), { maxLength: 20 }).map((lines) => Buffer.from(lines.map(([text, crlf]) => `${text}${crlf ? '\r\n' : '\n'}`).join('')));
const anyBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const stream = fc.oneof(validStream, mutated(validStream, 6), anyBytes);
const limit = fc.integer({ min: 1, max: 120 });

describe('fuzz: line splitter', () => {
  it('emits the lines of a valid stream cut anywhere, as whole', () => {
    fuzz(
      fc.property(validStream, cuts, (data, at) => {
        const whole = split([data], 1 << 20);
        expect(split(chunked(data, at), 1 << 20)).toEqual(whole);
        expect(whole).toEqual(expected(data, 1 << 20));
      }),
      300,
    );
  });

  it('accounts for every line of any bytes under any limit, however they are cut', () => {
    fuzz(
      fc.property(stream, limit, cuts, (data, max, at) => {
        const want = expected(data, max);
        expect(split([data], max)).toEqual(want);
        expect(split(chunked(data, at), max)).toEqual(want);
      }),
      600,
    );
  });

  it('gives the same result one byte at a time', () => {
    fuzz(
      fc.property(stream, limit, (data, max) => {
        expect(split(bytewise(data), max)).toEqual(expected(data, max));
      }),
      150,
    );
  });
});
