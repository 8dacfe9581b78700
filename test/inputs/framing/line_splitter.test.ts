import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { countCopies, cutAt } from './chunks.js';
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

  describe('a long line in many chunks', () => {
    afterEach(() => vi.restoreAllMocks());

    it('copies each byte a bounded number of times, however many chunks the line spans', () => {
      const chunkBytes = 4096;
      const chunks = 2000; // 8 MiB: a splitter that re-joins what it holds per chunk copies ~8 GiB
      const piece = Buffer.alloc(chunkBytes, 'y');
      const splitter = new LineSplitter(64 * 1024 * 1024, () => expect.unreachable('not oversize'));
      const lines: string[] = [];
      const copies = countCopies();
      splitter.push(Buffer.from('head\nyy'), (l) => lines.push(l)); // the line starts inside a chunk
      for (let i = 0; i < chunks; i++) splitter.push(piece, (l) => lines.push(l));
      splitter.push(Buffer.from('yy\nnext\n'), (l) => lines.push(l));
      const lineBytes = chunkBytes * chunks + 4;
      expect(lines.map((l) => l.length)).toEqual([4, lineBytes, 4]);
      // Once into the joined line (plus the few bytes of the partial first and last chunks).
      expect(copies.bytes()).toBeLessThanOrEqual(lineBytes + 64);
    });

    it('holds no copy of an oversize line it is skipping', () => {
      const splitter = new LineSplitter(10_000, () => undefined);
      const copies = countCopies();
      const piece = Buffer.alloc(4096, 'z');
      for (let i = 0; i < 1000; i++) splitter.push(piece, () => undefined);
      expect(copies.bytes()).toBeLessThanOrEqual(10_000 + 4096);
    });
  });

  it('gives the same lines and oversize reports however the stream is cut', () => {
    const alphabet = fc.constantFrom('a', 'é', '✓', '\n', '\r', 'x', 'x');
    fc.assert(
      fc.property(fc.array(alphabet, { maxLength: 200 }), fc.array(fc.nat(200), { maxLength: 12 }), (chars, cuts) => {
        const bytes = Buffer.from(chars.join(''));
        expect(split(cutAt(bytes, cuts), 12)).toEqual(split([bytes], 12));
      }),
      { seed: 1337, numRuns: 500 },
    );
  });
});
