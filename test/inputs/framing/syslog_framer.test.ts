import { afterEach, describe, expect, it, vi } from 'vitest';
import fc from 'fast-check';
import { countCopies, cutAt } from './chunks.js';
import { SyslogFramer } from '../../../inputs/framing/syslog_framer.js';
import type { FrameError } from '../../../inputs/framing/framer.js';

function frame(chunks: Array<string | Buffer>, max = 1000): { frames: string[]; errors: FrameError[] } {
  const frames: string[] = [];
  const errors: FrameError[] = [];
  const framer = new SyslogFramer(max, (e) => errors.push(e));
  for (const chunk of chunks) framer.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk), (f) => frames.push(f));
  framer.end((f) => frames.push(f));
  return { frames, errors };
}

describe('syslog TCP framing (RFC 6587)', () => {
  it('reads octet-counted frames, embedded newlines included', () => {
    expect(frame(['11 <13>a\nb c d', '5 <13>x']).frames).toEqual(['<13>a\nb c d', '<13>x']);
  });

  it('reads LF, CRLF and NUL terminated frames, and skips empty ones', () => {
    expect(frame(['<13>one\n<13>two\r\n\n<13>three\u0000<13>four']).frames).toEqual(['<13>one', '<13>two', '<13>three', '<13>four']);
  });

  it('decides per frame, so senders may mix both', () => {
    expect(frame(['<13>lf\n8 <13>octx<13>lf again\n']).frames).toEqual(['<13>lf', '<13>octx', '<13>lf again']);
  });

  it('reassembles frames split anywhere, multi-byte characters too', () => {
    const whole = Buffer.from('10 <13>héllo<13>wörld\n'); // the count is in bytes: é is two
    for (let cut = 1; cut < whole.length; cut++) {
      expect(frame([whole.subarray(0, cut), whole.subarray(cut)]).frames).toEqual(['<13>héllo', '<13>wörld']);
    }
  });

  it('reads a line that starts with a digit but has no length as LF-framed', () => {
    expect(frame(['2026-11-22T10:00:00Z host app: no pri\n']).frames).toEqual(['2026-11-22T10:00:00Z host app: no pri']);
  });

  it('skips an oversize octet-counted frame by its length and goes on', () => {
    const big = 'x'.repeat(50);
    const { frames, errors } = frame([`6 <13>ok50 ${big.slice(0, 20)}`, `${big.slice(20)}6 <13>ok`], 10);
    expect(frames).toEqual(['<13>ok', '<13>ok']);
    expect(errors).toEqual([{ reason: 'too_large', frame: 2, offset: 8, bytes: 50 }]);
  });

  it('skips an oversize LF frame up to its newline, reports its real size, and goes on', () => {
    const { frames, errors } = frame(['<13>a\n<13>', 'x'.repeat(30), 'yyy\n<13>b\n'], 10);
    expect(frames).toEqual(['<13>a', '<13>b']);
    expect(errors).toEqual([{ reason: 'too_large', frame: 2, offset: 6, bytes: 4 + 30 + 3 }]);
  });

  it('reports an oversize LF frame the stream ends inside as "at least" what came', () => {
    const { frames, errors } = frame(['<13>a\n<13>', 'x'.repeat(30)], 10);
    expect(frames).toEqual(['<13>a']);
    expect(errors).toEqual([{ reason: 'too_large', frame: 2, offset: 6, bytes: 34, atLeast: true }]);
  });

  it('reports the real size of an oversize LF frame within one read', () => {
    const { errors } = frame([`<13>${'x'.repeat(40)}\n<13>ok\n`], 10);
    expect(errors).toEqual([{ reason: 'too_large', frame: 1, offset: 0, bytes: 44 }]);
  });

  it('reports a zero length and resynchronizes at the next newline', () => {
    const { frames, errors } = frame(['0 garbage\n<13>next\n']);
    expect(frames).toEqual(['<13>next']);
    expect(errors).toEqual([{ reason: 'bad_length', frame: 1, offset: 0, bytes: 1 }]);
  });

  it('gives the same frames and errors however the stream is cut', () => {
    const pieces = fc.constantFrom('<13>a', '5 <13>b', '12 <13>x\ny\nzzz', '\n', '\r\n', '\u0000', '7', ' ', 'é', 'x'.repeat(9), '30 ', '0 ');
    fc.assert(
      fc.property(fc.array(pieces, { maxLength: 30 }), fc.array(fc.nat(400), { maxLength: 12 }), (parts, cuts) => {
        const bytes = Buffer.from(parts.join(''));
        expect(frame(cutAt(bytes, cuts), 20)).toEqual(frame([bytes], 20));
      }),
      { seed: 4242, numRuns: 1000 },
    );
  });

  describe('a long frame in many chunks', () => {
    afterEach(() => vi.restoreAllMocks());

    it.each([
      ['LF-framed', (n: number) => `<13>${'x'.repeat(n)}\n`],
      ['octet-counted', (n: number) => `${n + 4} <13>${'x'.repeat(n)}`],
      ['LF-framed, starting with a digit', (n: number) => `2026-11-22 ${'x'.repeat(n)}\n`],
    ])('%s: copies each byte a bounded number of times', (_name, make) => {
      const whole = Buffer.from(make(4 * 1024 * 1024));
      const frames: string[] = [];
      const framer = new SyslogFramer(8 * 1024 * 1024, () => expect.unreachable('no error'));
      const copies = countCopies();
      for (let at = 0; at < whole.length; at += 1448) framer.push(whole.subarray(at, at + 1448), (f) => frames.push(f));
      const copied = copies.bytes();
      expect(frames).toHaveLength(1);
      expect(frames[0].length).toBeGreaterThan(4 * 1024 * 1024);
      // Joined once when the frame is complete; re-joining on every read copies gigabytes here.
      // The last read's tail copied when held, then the whole frame once.
      expect(copied).toBeLessThanOrEqual(whole.length + 2 * 1448);
    });
  });
});
