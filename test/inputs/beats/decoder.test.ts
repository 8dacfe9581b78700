import { describe, expect, it } from 'vitest';
import { deflateSync } from 'node:zlib';
import { randomBytes } from 'node:crypto';
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
      { kind: 'window', version: 0x31, offset: 0, size: 2 },
      { kind: 'data', version: 0x31, offset: 6, seq: 7, pairs: [['line', 'x'], ['file', '/f']], bytes: 37 },
      // Inside a compressed frame, a frame reports where that compressed frame starts.
      { kind: 'data', version: 0x31, offset: 43, seq: 8, pairs: [['line', 'y']], bytes: 23 },
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

describe('Lumberjack decoder, more of what clients and attackers send', () => {
  it('decodes v1 data frames and nested compressed frames split at every byte', () => {
    const stream = Buffer.concat([
      windowFrame(3, '1'),
      dataFrame(41, { line: 'first', host: 'lsf' }),
      compressedFrame(Buffer.concat([dataFrame(42, { line: 'second' }), compressedFrame(dataFrame(43, { line: 'third', k: '' }), '1')]), '1'),
    ]);
    for (let cut = 1; cut < stream.length; cut++) {
      const frames = decodeIn([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(frames.map((f) => (f.kind === 'data' ? `${f.seq}:${f.pairs[0][1]}` : f.kind))).toEqual(['window', '41:first', '42:second', '43:third']);
    }
    // One byte per read too: the worst a network can do.
    const frames = decodeIn([...stream].map((b) => Buffer.from([b])));
    expect(frames).toHaveLength(4);
  });

  it('keeps a frame split over many reads in one piece, and copies it once (linear in its size)', () => {
    // Random text barely compresses: a compressed window of ~3.7 MB, as a Filebeat window of big events.
    const events: Buffer[] = [];
    for (let i = 1; i <= 8000; i++) events.push(jsonFrame(i, { message: `${i} ${randomBytes(450).toString('base64')}` }));
    const stream = Buffer.concat([windowFrame(8000), compressedFrame(Buffer.concat(events))]);
    const big = { maxFrameBytes: 16 << 20, maxDecompressedBytes: 64 << 20, maxWindowSize: 8000 };
    const timed = (size: number): number => {
      const decoder = new LumberjackDecoder(big);
      const started = process.hrtime.bigint();
      let count = 0;
      for (let at = 0; at < stream.length; at += size) count += decoder.push(stream.subarray(at, at + size)).length;
      expect(count).toBe(8001);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const whole = timed(stream.length);
    // MSS-sized reads, as from a real network. Re-joining the buffered part on every read made
    // this O(n^2): 1.4 s here against 50 ms in one read.
    const segments = timed(1448);
    expect(segments).toBeLessThan(whole * 10 + 250);
  });

  it.each([
    ['a data frame without pairs', [Buffer.concat([Buffer.from('1D'), Buffer.from([0, 0, 0, 1, 0, 0, 0, 0])])], 'data frame without pairs', 0, 'SLUICE_PROTOCOL'],
    ['a data frame over the limit', [windowFrame(1, '1'), dataFrame(1, { line: 'x'.repeat(2 << 20) })], 'larger than max_frame_bytes', 6, 'SLUICE_FRAME_TOO_LARGE'],
    ['a data frame claiming 2^32-1 pairs', [Buffer.concat([Buffer.from('1D'), Buffer.from([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff])])], 'larger than max_frame_bytes', 0, 'SLUICE_FRAME_TOO_LARGE'],
    ['a window frame inside a compressed frame', [compressedFrame(windowFrame(1))], 'window frame inside a compressed frame', 0, 'SLUICE_PROTOCOL'],
    ['a compressed frame ending inside a frame', [windowFrame(1), compressedFrame(jsonFrame(1, { m: 1 }).subarray(0, 12))], 'compressed frame ends inside a frame', 6, 'SLUICE_PROTOCOL'],
    ['compressed frames nested three deep', [compressedFrame(compressedFrame(compressedFrame(jsonFrame(1, {}))))], 'nested too deep', 0, 'SLUICE_PROTOCOL'],
    ['an ACK frame from a client', [Buffer.from('2A\0\0\0\1')], "unknown frame type 'A'", 1, 'SLUICE_PROTOCOL'],
    ['a TLS handshake on a plain port', [Buffer.from([0x16, 0x03, 0x01, 0x02, 0x00])], 'the client uses TLS and this input does not', 0, 'SLUICE_PROTOCOL'],
    ['an HTTP request', [Buffer.from('GET / HTTP/1.1\r\n')], 'perhaps HTTP', 0, 'SLUICE_PROTOCOL'],
  ])('refuses %s', (_name, chunks, message, offset, code) => {
    const err = errorOf(chunks as Buffer[]);
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.message).toContain(message);
    expect(err.offset).toBe(offset);
    expect(err.code).toBe(code);
  });

  it('names the byte inside the inflated data when a compressed frame holds garbage', () => {
    const err = errorOf([windowFrame(2), jsonFrame(1, { a: 1 }), compressedFrame(Buffer.concat([jsonFrame(2, { b: 2 }), Buffer.from('2Q')]))]);
    expect(err.offset).toBe(6 + jsonFrame(1, { a: 1 }).length);
    expect(err.message).toMatch(/at byte 18 of its 19 inflated bytes: unknown frame type 'Q'/);
  });

  it('refuses a declared length before buffering it', () => {
    // 60 bytes arrive of a frame announced at 1 GiB: refused at once, nothing waits for the rest.
    const err = errorOf([Buffer.concat([Buffer.from('2C'), Buffer.from([0x40, 0, 0, 0]), Buffer.alloc(54)])]);
    expect(err.code).toBe('SLUICE_FRAME_TOO_LARGE');
  });

  it('tells where a stream that ends inside a frame was cut, and how much of the frame came', () => {
    const decoder = new LumberjackDecoder(limits);
    const first = Buffer.concat([windowFrame(2), jsonFrame(1, { a: 1 })]);
    const second = jsonFrame(2, { b: 2 });
    decoder.push(first);
    expect(decoder.partialFrame).toBeUndefined();
    for (let cut = 1; cut < second.length; cut++) {
      const partial = new LumberjackDecoder(limits);
      partial.push(first);
      partial.push(second.subarray(0, cut));
      expect(partial.partialFrame).toEqual({ offset: first.length, bytes: cut });
    }
    decoder.push(second);
    expect(decoder.partialFrame).toBeUndefined();
  });
});
