/**
 * Fuzzing RFC 6587 framing: a stream of octet-counted and LF/NUL-ended frames gives back its
 * messages however it is cut; any bytes give the same frames and errors whole, cut or one byte
 * at a time; no frame is over the limit, and every skipped one is reported.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SyslogFramer } from '../../inputs/framing/syslog_framer.js';
import type { FrameError } from '../../inputs/framing/framer.js';
import { bytewise, chunked, cuts, fuzz, mutated, textWithout } from './fuzz.js';

interface Framed {
  frames: string[];
  errors: FrameError[];
}

function frame(chunks: readonly Buffer[], max: number): Framed {
  const out: Framed = { frames: [], errors: [] };
  const framer = new SyslogFramer(max, (error) => out.errors.push(error));
  for (const chunk of chunks) framer.push(chunk, (f) => out.frames.push(f));
  framer.end((f) => out.frames.push(f));
  return out;
}

interface Message {
  text: string;
  octetCounted: boolean;
  delimiter: string;
}

const pri = fc.integer({ min: 0, max: 191 }).map((p) => `<${p}>`);
/** An LF-framed message cannot hold its delimiters, nor end in CR (dropped before the LF). */
const lfMessage = fc.tuple(pri, textWithout('\n\r\u0000')).map(([p, body]) => p + body);
/** An octet-counted one can hold anything, newlines included. */
const octetMessage = fc.tuple(pri, fc.oneof(textWithout(''), fc.string({ unit: 'binary', maxLength: 40 }))).map(([p, body]) => p + body);

const message: fc.Arbitrary<Message> = fc.oneof(
  fc.record({ text: lfMessage, octetCounted: fc.constant(false), delimiter: fc.constantFrom('\n', '\r\n', '\u0000') }),
  fc.record({ text: octetMessage, octetCounted: fc.constant(true), delimiter: fc.constantFrom('', '\n') }),
);

function encode(messages: readonly Message[]): Buffer {
  return Buffer.concat(
    messages.map((m) => {
      const body = Buffer.from(m.text);
      return Buffer.concat([m.octetCounted ? Buffer.from(`${body.length} `) : Buffer.alloc(0), body, Buffer.from(m.delimiter)]);
    }),
  );
}

const messages = fc.array(message, { maxLength: 12 });
const validStream = messages.map(encode);
const anyBytes = fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a));
const stream = fc.oneof(validStream, mutated(validStream, 6), anyBytes);
const limit = fc.integer({ min: 1, max: 150 });

describe('fuzz: syslog framer', () => {
  it('gives back the messages of a valid stream, however it is cut', () => {
    fuzz(
      fc.property(messages, cuts, (sent, at) => {
        const data = encode(sent);
        const want = { frames: sent.map((m) => m.text), errors: [] };
        expect(frame([data], 1 << 20)).toEqual(want);
        expect(frame(chunked(data, at), 1 << 20)).toEqual(want);
      }),
      400,
    );
  });

  it('frames any bytes the same whole, cut and one byte at a time, within the limit', () => {
    fuzz(
      fc.property(stream, limit, cuts, (data, max, at) => {
        const whole = frame([data], max);
        expect(frame(chunked(data, at), max)).toEqual(whole);
        expect(frame(bytewise(data), max)).toEqual(whole);
        // A frame's text has at most one UTF-16 unit per wire byte (a broken byte becomes one U+FFFD).
        for (const f of whole.frames) expect(f.length).toBeLessThanOrEqual(max);
        for (let i = 1; i < whole.errors.length; i++) expect(whole.errors[i].frame).toBeGreaterThan(whole.errors[i - 1].frame);
      }),
      600,
    );
  });
});
