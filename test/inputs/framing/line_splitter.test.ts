import { describe, expect, it } from 'vitest';
import { LineSplitter, type OversizeLine } from '../../../inputs/framing/line_splitter.js';

function split(chunks: Array<string | Buffer>, max = 1024) {
  const lines: string[] = [];
  const oversize: OversizeLine[] = [];
  const splitter = new LineSplitter(max, (info) => oversize.push(info));
  for (const chunk of chunks) splitter.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk, (l) => lines.push(l));
  splitter.end((l) => lines.push(l));
  return { lines, oversize };
}

describe('LineSplitter', () => {
  it('emits many lines from one packet', () => {
    expect(split(['a\nb\nc\n']).lines).toEqual(['a', 'b', 'c']);
  });

  it('joins a line split across packets', () => {
    expect(split(['{"mess', 'age":"h', 'i"}\n{"x":1}\n']).lines).toEqual(['{"message":"hi"}', '{"x":1}']);
  });

  it('keeps a multi-byte character that is split between packets', () => {
    const bytes = Buffer.from('héllo wörld ✓\n');
    const cut = bytes.indexOf(0xc3) + 1; // inside the two-byte é
    const { lines } = split([bytes.subarray(0, cut), bytes.subarray(cut)]);
    expect(lines).toEqual(['héllo wörld ✓']);
  });

  it('accepts CRLF and skips empty lines', () => {
    expect(split(['a\r\n\r\n\nb\r\n']).lines).toEqual(['a', 'b']);
  });

  it('emits a last line without newline at end of stream', () => {
    expect(split(['a\nlast']).lines).toEqual(['a', 'last']);
  });

  it('drops an oversize line inside one packet and keeps its neighbours', () => {
    const long = 'x'.repeat(50);
    const { lines, oversize } = split([`ok1\n${long}\nok2\n`], 20);
    expect(lines).toEqual(['ok1', 'ok2']);
    expect(oversize).toEqual([{ line: 2, offset: 4, bytes: 50 }]);
  });

  it('counts multi-byte characters in bytes against the limit', () => {
    const { lines, oversize } = split(['ééééééééé\n'], 10); // 9 chars, 18 bytes
    expect(lines).toEqual([]);
    expect(oversize[0].bytes).toBe(18);
  });

  it('discards an oversize line that spans packets without buffering it', () => {
    const { lines, oversize } = split(['ok1\nxxxxxxxxxx', 'xxxxxxxxxx', 'xxxxxxxxxx\nok2\n'], 15);
    expect(lines).toEqual(['ok1', 'ok2']);
    expect(oversize).toHaveLength(1);
    expect(oversize[0]).toMatchObject({ line: 2, offset: 4, bytes: 30 });
  });

  it('counts line numbers across packets', () => {
    const { oversize } = split(['a\nb\n', 'c\n', `${'y'.repeat(30)}\n`], 10);
    expect(oversize[0].line).toBe(4);
  });

  it('handles a line that ends exactly at a packet boundary', () => {
    expect(split(['abc', '\n', 'def\n']).lines).toEqual(['abc', 'def']);
  });
});
