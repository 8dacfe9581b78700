/**
 * An incremental Lumberjack decoder: bytes in (any split), whole frames out. Compressed frames
 * are inflated with a cap on their output, so a zip bomb costs at most the cap, and what they
 * hold is decoded by the same machine. Any violation throws a ProtocolError naming the byte.
 */
import { inflateSync } from 'node:zlib';
import { FRAME_COMPRESSED, FRAME_DATA, FRAME_JSON, FRAME_WINDOW, VERSION_1, VERSION_2, type Frame } from './frames.js';

export interface DecoderLimits {
  /** Largest JSON/data payload or compressed frame, in bytes. */
  maxFrameBytes: number;
  /** Largest output of one compressed frame, in bytes. */
  maxDecompressedBytes: number;
  /** Largest window a client may announce. */
  maxWindowSize: number;
}

export class ProtocolError extends Error {
  constructor(
    message: string,
    /** Offset in the connection's byte stream (or in the inflated data of a compressed frame). */
    readonly offset: number,
    readonly code: 'SLUICE_PROTOCOL' | 'SLUICE_FRAME_TOO_LARGE' | 'SLUICE_DECOMPRESSED_TOO_LARGE' = 'SLUICE_PROTOCOL',
  ) {
    super(message);
  }
}

const MAX_NESTING = 2;

function printable(byte: number): string {
  return byte >= 32 && byte < 127 ? `'${String.fromCharCode(byte)}' (0x${byte.toString(16)})` : `0x${byte.toString(16).padStart(2, '0')}`;
}

/** Decodes every frame in a complete buffer (the inside of a compressed frame). */
function decodeAll(data: Buffer, limits: DecoderLimits, depth: number, out: Frame[]): void {
  let pos = 0;
  while (pos < data.length) {
    const next = decodeOne(data, pos, limits, depth, out);
    if (next === -1) throw new ProtocolError(`compressed frame ends inside a frame`, pos);
    pos = next;
  }
}

/** Decodes one frame at `pos`; returns the position after it, or -1 when more bytes are needed. */
function decodeOne(data: Buffer, pos: number, limits: DecoderLimits, depth: number, out: Frame[]): number {
  if (data.length - pos < 2) return -1;
  const version = data[pos];
  const type = data[pos + 1];
  if (version !== VERSION_1 && version !== VERSION_2) throw new ProtocolError(`unknown protocol version byte ${printable(version)}`, pos);
  switch (type) {
    case FRAME_WINDOW: {
      if (data.length - pos < 6) return -1;
      const size = data.readUInt32BE(pos + 2);
      if (size > limits.maxWindowSize) throw new ProtocolError(`window of ${size} events is larger than max_window_size (${limits.maxWindowSize})`, pos, 'SLUICE_FRAME_TOO_LARGE');
      if (depth > 0) throw new ProtocolError('window frame inside a compressed frame', pos);
      out.push({ kind: 'window', version, size });
      return pos + 6;
    }
    case FRAME_JSON: {
      if (version !== VERSION_2) throw new ProtocolError(`JSON frame in protocol version 1`, pos);
      if (data.length - pos < 10) return -1;
      const seq = data.readUInt32BE(pos + 2);
      const length = data.readUInt32BE(pos + 6);
      if (length === 0) throw new ProtocolError('empty JSON frame', pos);
      if (length > limits.maxFrameBytes) throw new ProtocolError(`JSON frame of ${length} bytes is larger than max_frame_bytes (${limits.maxFrameBytes})`, pos, 'SLUICE_FRAME_TOO_LARGE');
      if (data.length - pos - 10 < length) return -1;
      out.push({ kind: 'json', version, seq, payload: data.subarray(pos + 10, pos + 10 + length) });
      return pos + 10 + length;
    }
    case FRAME_DATA:
      return decodeData(data, pos, version, limits, out);
    case FRAME_COMPRESSED: {
      if (data.length - pos < 6) return -1;
      const length = data.readUInt32BE(pos + 2);
      if (length > limits.maxFrameBytes) throw new ProtocolError(`compressed frame of ${length} bytes is larger than max_frame_bytes (${limits.maxFrameBytes})`, pos, 'SLUICE_FRAME_TOO_LARGE');
      if (depth >= MAX_NESTING) throw new ProtocolError('compressed frames nested too deep', pos);
      if (data.length - pos - 6 < length) return -1;
      let inflated: Buffer;
      try {
        inflated = inflateSync(data.subarray(pos + 6, pos + 6 + length), { maxOutputLength: limits.maxDecompressedBytes });
      } catch (err) {
        const tooLarge = (err as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError;
        throw tooLarge
          ? new ProtocolError(`compressed frame inflates to more than max_decompressed_bytes (${limits.maxDecompressedBytes})`, pos, 'SLUICE_DECOMPRESSED_TOO_LARGE')
          : new ProtocolError(`compressed frame is not a valid zlib stream: ${(err as Error).message}`, pos);
      }
      decodeAll(inflated, limits, depth + 1, out);
      return pos + 6 + length;
    }
    default:
      throw new ProtocolError(`unknown frame type ${printable(type)} for version ${String.fromCharCode(version)}`, pos + 1);
  }
}

/** v1 `D`: seq, pair count, then key length, key, value length, value per pair. */
function decodeData(data: Buffer, pos: number, version: number, limits: DecoderLimits, out: Frame[]): number {
  if (data.length - pos < 10) return -1;
  const seq = data.readUInt32BE(pos + 2);
  const count = data.readUInt32BE(pos + 6);
  if (count === 0) throw new ProtocolError('data frame without pairs', pos);
  let at = pos + 10;
  const pairs: Array<[string, string]> = [];
  for (let i = 0; i < count; i++) {
    if (data.length - at < 4) return -1;
    const keyLength = data.readUInt32BE(at);
    if (keyLength > limits.maxFrameBytes || at - pos > limits.maxFrameBytes) throw new ProtocolError(`data frame larger than max_frame_bytes (${limits.maxFrameBytes})`, pos, 'SLUICE_FRAME_TOO_LARGE');
    if (data.length - at - 4 < keyLength + 4) return -1;
    const key = data.toString('utf8', at + 4, at + 4 + keyLength);
    at += 4 + keyLength;
    const valueLength = data.readUInt32BE(at);
    if (valueLength > limits.maxFrameBytes) throw new ProtocolError(`data frame larger than max_frame_bytes (${limits.maxFrameBytes})`, pos, 'SLUICE_FRAME_TOO_LARGE');
    if (data.length - at - 4 < valueLength) return -1;
    pairs.push([key, data.toString('utf8', at + 4, at + 4 + valueLength)]);
    at += 4 + valueLength;
  }
  out.push({ kind: 'data', version, seq, pairs });
  return at;
}

export class LumberjackDecoder {
  private carry: Buffer | undefined;
  /** Stream offset of the first byte of `carry` (or of the next chunk). */
  private offset = 0;

  constructor(private readonly limits: DecoderLimits) {}

  /** The frames completed by `chunk`, in order. Throws ProtocolError with a stream offset. */
  push(chunk: Buffer): Frame[] {
    const data = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = undefined;
    const frames: Frame[] = [];
    let pos = 0;
    try {
      for (;;) {
        const next = decodeOne(data, pos, this.limits, 0, frames);
        if (next === -1) break;
        pos = next;
      }
    } catch (err) {
      if (err instanceof ProtocolError) throw new ProtocolError(err.message, this.offset + Math.max(pos, err.offset), err.code);
      throw err;
    }
    if (pos < data.length) {
      const rest = data.length - pos;
      // A frame's header already tells its size: refuse one that could never fit before buffering it.
      if (rest > this.limits.maxFrameBytes + 16) throw new ProtocolError(`frame larger than max_frame_bytes (${this.limits.maxFrameBytes})`, this.offset + pos, 'SLUICE_FRAME_TOO_LARGE');
      this.carry = Buffer.from(data.subarray(pos));
    }
    this.offset += pos;
    return frames;
  }
}
