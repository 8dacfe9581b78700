/**
 * Fuzzing the Lumberjack decoder: streams of window, JSON, data and compressed (zlib) frames,
 * nested too, decode to their frames however the socket cuts them; mutated and random streams
 * either decode or stop at a ProtocolError, the same one at the same offset whole or cut, and
 * nothing that comes out is over a limit.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { deflateSync } from 'node:zlib';
import { LumberjackDecoder, ProtocolError, type DecoderLimits } from '../../inputs/beats/protocol/decoder.js';
import type { Frame } from '../../inputs/beats/protocol/frames.js';
import { compressedFrame, dataFrame, jsonFrame, windowFrame } from '../inputs/beats/frames.js';
import { bytewise, chunked, cuts, fuzz, mutated, textWithout } from './fuzz.js';

const LIMITS: DecoderLimits = { maxFrameBytes: 1 << 20, maxDecompressedBytes: 1 << 20, maxWindowSize: 2048 };

type Spec =
  | { kind: 'window'; version: '1' | '2'; size: number }
  | { kind: 'json'; seq: number; doc: Record<string, string | number> }
  | { kind: 'data'; version: '1' | '2'; seq: number; pairs: Record<string, string> }
  | { kind: 'compressed'; version: '1' | '2'; inner: Spec[] };

const seq = fc.integer({ min: 0, max: 0xffffffff });
const version = fc.constantFrom('1' as const, '2' as const);
const text = textWithout('', { maxLength: 30 });
const json = fc.record({ kind: fc.constant('json' as const), seq, doc: fc.dictionary(text, fc.oneof(text, fc.integer()), { maxKeys: 4 }) });
const data = fc.record({ kind: fc.constant('data' as const), version, seq, pairs: fc.dictionary(text, text, { minKeys: 1, maxKeys: 4 }) });
const window = fc.record({ kind: fc.constant('window' as const), version, size: fc.integer({ min: 0, max: LIMITS.maxWindowSize }) });
const innerFrames = fc.array(fc.oneof(json, data), { minLength: 1, maxLength: 4 });
const compressed = fc.record({
  kind: fc.constant('compressed' as const),
  version,
  inner: fc.oneof({ weight: 4, arbitrary: innerFrames }, { weight: 1, arbitrary: innerFrames.map((frames): Spec[] => [...frames, { kind: 'compressed', version: '2', inner: frames }]) }),
});
const specs = fc.array(fc.oneof(window, json, data, compressed), { maxLength: 8 });

function encode(spec: Spec): Buffer {
  switch (spec.kind) {
    case 'window':
      return windowFrame(spec.size, spec.version);
    case 'json':
      return jsonFrame(spec.seq, spec.doc);
    case 'data':
      return Buffer.concat([Buffer.from(spec.version), dataFrame(spec.seq, spec.pairs).subarray(1)]);
    case 'compressed':
      return compressedFrame(Buffer.concat(spec.inner.map(encode)), spec.version);
  }
}

/** What the decoder must give for `list` encoded from `offset`: inner frames report their compressed frame's offset. */
function expectedFrames(list: readonly Spec[], offset: number, outer?: number): Frame[] {
  const out: Frame[] = [];
  let at = offset;
  for (const spec of list) {
    const where = outer ?? at;
    const bytes = encode(spec);
    if (spec.kind === 'window') out.push({ kind: 'window', version: spec.version.charCodeAt(0), offset: where, size: spec.size });
    if (spec.kind === 'json') out.push({ kind: 'json', version: 0x32, offset: where, seq: spec.seq, payload: Buffer.from(JSON.stringify(spec.doc)) });
    if (spec.kind === 'data') {
      const pairs = Object.entries(spec.pairs);
      const size = 10 + pairs.length * 8 + pairs.reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
      out.push({ kind: 'data', version: spec.version.charCodeAt(0), offset: where, seq: spec.seq, pairs, bytes: size });
    }
    if (spec.kind === 'compressed') out.push(...expectedFrames(spec.inner, 0, where));
    at += bytes.length;
  }
  return out;
}

interface Outcome {
  frames: Frame[];
  error?: { code: string; offset: number; message: string };
}

function decode(chunks: readonly Buffer[], limits: DecoderLimits): Outcome {
  const decoder = new LumberjackDecoder(limits);
  const frames: Frame[] = [];
  try {
    for (const chunk of chunks) decoder.decode(chunk, frames);
  } catch (err) {
    // The only error the decoder may throw: anything else escapes the test as a failure.
    if (!(err instanceof ProtocolError)) throw err;
    return { frames, error: { code: err.code, offset: err.offset, message: err.message } };
  }
  return { frames };
}

const validStream = specs.map((list) => Buffer.concat(list.map(encode)));
/** A compressed frame whose inflated bytes are broken, not only its zlib stream. */
const brokenInside = fc.tuple(mutated(innerFrames.map((list) => Buffer.concat(list.map(encode))), 4), version).map(([inner, v]) => {
  const body = deflateSync(inner);
  const head = Buffer.alloc(6);
  head.write(`${v}C`);
  head.writeUInt32BE(body.length, 2);
  return Buffer.concat([windowFrame(1, v), head, body]);
});
const stream = fc.oneof(mutated(validStream, 5), brokenInside, fc.uint8Array({ maxLength: 200 }).map((a) => Buffer.from(a)));
const limits = fc.record({
  maxFrameBytes: fc.integer({ min: 1, max: 600 }),
  maxDecompressedBytes: fc.integer({ min: 1, max: 1200 }),
  maxWindowSize: fc.integer({ min: 0, max: 4096 }),
});

describe('fuzz: Lumberjack decoder', () => {
  it('decodes valid streams, compressed and nested frames included, however they are cut', () => {
    fuzz(
      fc.property(specs, cuts, (list, at) => {
        const data = Buffer.concat(list.map(encode));
        const want = { frames: expectedFrames(list, 0) };
        expect(decode([data], LIMITS)).toEqual(want);
        expect(decode(chunked(data, at), LIMITS)).toEqual(want);
      }),
      300,
    );
  });

  it('stops any bytes at the same ProtocolError whole, cut or bytewise, and keeps every limit', () => {
    fuzz(
      fc.property(stream, limits, cuts, (data, l, at) => {
        const whole = decode([data], l);
        expect(decode(chunked(data, at), l)).toEqual(whole);
        expect(decode(bytewise(data), l)).toEqual(whole);
        for (const frame of whole.frames) {
          if (frame.kind === 'window') expect(frame.size).toBeLessThanOrEqual(l.maxWindowSize);
          if (frame.kind === 'json') expect(frame.payload.length).toBeLessThanOrEqual(l.maxFrameBytes);
          if (frame.kind === 'data') expect(frame.bytes).toBeLessThanOrEqual(l.maxFrameBytes);
          expect(frame.offset).toBeGreaterThanOrEqual(0);
          expect(frame.offset).toBeLessThan(data.length);
        }
        if (whole.error) expect(whole.error.offset).toBeLessThanOrEqual(data.length);
      }),
      500,
    );
  });
});
