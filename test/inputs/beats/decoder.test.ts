import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { LumberjackDecoder, ProtocolError } from '../../../inputs/beats/protocol/decoder.js';
import type { Frame } from '../../../inputs/beats/protocol/frames.js';
import { compressedFrame, dataFrame, jsonFrame, windowFrame } from './frames.js';

const limits = { maxFrameBytes: 1 << 20, maxDecompressedBytes: 1 << 20, maxWindowSize: 1000 };

function decodeIn(chunks: Buffer[], l = limits): Frame[] {
  const decoder = new LumberjackDecoder(l);
  return chunks.flatMap((c) => decoder.push(c));
}

function errorOf(chunks: Buffer[], l = limits): ProtocolError {
  try {
    decodeIn(chunks, l);
  } catch (err) {
    return err as ProtocolError;
  }
  throw new Error('no error');
}

describe('Lumberjack decoder', () => {
  const v2 = Buffer.concat([windowFrame(2), jsonFrame(1, { message: 'a' }), compressedFrame(jsonFrame(2, { message: 'b' }))]);

  it('decodes v2 window, JSON and compressed frames, split at every byte', () => {
    for (let cut = 1; cut < v2.length; cut++) {
      const frames = decodeIn([v2.subarray(0, cut), v2.subarray(cut)]);
      expect(frames.map((f) => f.kind)).toEqual(['window', 'json', 'json']);
      expect(frames.map((f) => (f.kind === 'json' ? JSON.parse(f.payload.toString()).message : f.kind === 'window' ? f.size : undefined))).toEqual([2, 'a', 'b']);
    }
  });

  it('decodes v1 data frames, compressed or not', () => {
    const frames = decodeIn([windowFrame(2, '1'), dataFrame(7, { line: 'x', file: '/f' }), compressedFrame(dataFrame(8, { line: 'y' }), '1')]);
    expect(frames).toEqual([
      { kind: 'window', version: 0x31, size: 2 },
      { kind: 'data', version: 0x31, seq: 7, pairs: [['line', 'x'], ['file', '/f']] },
      { kind: 'data', version: 0x31, seq: 8, pairs: [['line', 'y']] },
    ]);
  });

  it.each([
    ['an unknown version byte', [Buffer.from('3W\0\0\0\1')], 'unknown protocol version byte', 0],
    ['an unknown frame type', [windowFrame(1), Buffer.from('2Z\0\0')], "unknown frame type 'Z'", 7],
    ['a JSON frame in v1', [Buffer.concat([Buffer.from('1J'), Buffer.alloc(8)])], 'JSON frame in protocol version 1', 0],
    ['an empty JSON frame', [Buffer.concat([Buffer.from('2J'), Buffer.alloc(8)])], 'empty JSON frame', 0],
    ['a window over the limit', [windowFrame(5000)], 'larger than max_window_size', 0],
    ['a frame over the limit', [Buffer.concat([Buffer.from('2J\0\0\0\1'), Buffer.from([0x7f, 0xff, 0xff, 0xff])])], 'larger than max_frame_bytes', 0],
    ['a broken zlib stream', [Buffer.concat([Buffer.from('2C\0\0\0\4'), Buffer.from('nope')])], 'not a valid zlib stream', 0],
  ])('refuses %s with the byte offset', (_name, chunks, message, offset) => {
    const err = errorOf(chunks as Buffer[]);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toContain(message);
    expect(err.offset).toBe(offset);
  });

  it('stops a zip bomb at the decompressed cap', () => {
    const bomb = deflateSync(Buffer.alloc(64 << 20));
    const frame = Buffer.concat([Buffer.from('2C'), Buffer.from([0, 0, 0, 0]), bomb]);
    frame.writeUInt32BE(bomb.length, 2);
    const err = errorOf([windowFrame(1), frame]);
    expect(err.code).toBe('SLUICE_DECOMPRESSED_TOO_LARGE');
    expect(err.offset).toBe(6);
    expect(bomb.length).toBeLessThan(1 << 20);
  });
});
