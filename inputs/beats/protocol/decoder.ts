/**
 * The Lumberjack decoder: a state machine fed with socket reads of any size, emitting whole
 * frames. Each step waits for exactly the bytes it needs, so nothing is parsed twice and a body
 * spanning reads is copied once. Lengths are checked against the limits before their bytes are
 * buffered; a compressed frame is inflated under a cap and decoded by a nested machine. Any
 * violation throws a ProtocolError with the byte offset in the connection's stream.
 */
import { InputError } from '../../../pipeline/errors.js';
import { ByteQueue } from './bytes.js';
import { inflateCapped } from './inflate.js';
import { FRAME_COMPRESSED, FRAME_DATA, FRAME_JSON, FRAME_WINDOW, VERSION_1, VERSION_2, type Frame } from './frames.js';

export interface DecoderLimits {
  /** Largest JSON payload, data frame or compressed frame, in bytes. */
  maxFrameBytes: number;
  /** Largest output of one compressed frame, in bytes. */
  maxDecompressedBytes: number;
  /** Largest window a client may announce. */
  maxWindowSize: number;
}

export type ProtocolErrorCode = 'SLUICE_PROTOCOL' | 'SLUICE_SEQUENCE' | 'SLUICE_FRAME_TOO_LARGE' | 'SLUICE_DECOMPRESSED_TOO_LARGE';

export class ProtocolError extends InputError {
  constructor(
    message: string,
    /** Offset of the offending frame (or byte) in the connection's stream; -1 when not about a byte. */
    readonly offset: number,
    code: ProtocolErrorCode = 'SLUICE_PROTOCOL',
  ) {
    super(code, message, { offset });
  }
}

/** Beats nest nothing; logstash-forwarder sends one level. Two allows a client's own wrapping, no more. */
const MAX_NESTING = 2;

const enum Step {
  Header,
  Window,
  JsonHead,
  JsonBody,
  DataHead,
  KeyLength,
  Key,
  ValueLength,
  Value,
  CompressedHead,
  CompressedBody,
}

function printable(byte: number): string {
  return byte >= 32 && byte < 127 ? `'${String.fromCharCode(byte)}' (0x${byte.toString(16)})` : `0x${byte.toString(16).padStart(2, '0')}`;
}

/** What a wrong first byte usually means, for the operator reading the log. */
function versionHint(byte: number): string {
  if (byte === 0x16) return ': a TLS handshake; the client uses TLS and this input does not';
  if (byte >= 0x41 && byte <= 0x5a) return ': text, perhaps HTTP or a line protocol sent to the beats port';
  return '';
}

export class LumberjackDecoder {
  private readonly bytes = new ByteQueue();
  private step = Step.Header;
  private need = 2;
  /** Stream offset of the next unread byte, and of the first byte of the frame being read. */
  private offset = 0;
  private frameOffset = 0;
  private version = 0;
  private seq = 0;
  private length = 0;
  private pairsLeft = 0;
  private frameBytes = 0;
  private pairs: Array<[string, string]> = [];
  private key = '';

  constructor(
    private readonly limits: DecoderLimits,
    private readonly depth = 0,
    /** For a nested decoder: where its compressed frame starts in the stream. */
    private readonly outerOffset = -1,
  ) {}

  /** Where the current frame is, as frames report it. */
  private get at(): number {
    return this.depth > 0 ? this.outerOffset : this.frameOffset;
  }

  /** The frames completed by `chunk`, in order. */
  push(chunk: Buffer): Frame[] {
    const out: Frame[] = [];
    this.decode(chunk, out);
    return out;
  }

  /** Appends the frames completed by `chunk` to `out` (no intermediate arrays for large windows). */
  decode(chunk: Buffer, out: Frame[]): void {
    this.bytes.append(chunk);
    while (this.bytes.length >= this.need) this.advance(out);
  }

  /** Between frames with nothing buffered: where the inside of a compressed frame must end. */
  get atFrameBoundary(): boolean {
    return this.step === Step.Header && this.bytes.length === 0;
  }

  /**
   * The frame begun and not finished, for a stream that ends here: where it starts and how many
   * of its bytes arrived. Undefined between frames.
   */
  get partialFrame(): { offset: number; bytes: number } | undefined {
    if (this.atFrameBoundary) return undefined;
    // In Step.Header the frame's first bytes are still buffered; frameOffset is the previous frame's.
    const start = this.step === Step.Header ? this.offset : this.frameOffset;
    return { offset: start, bytes: this.offset + this.bytes.length - start };
  }

  private expect(step: Step, need: number): void {
    this.step = step;
    this.need = need;
  }

  private uint32(): number {
    const value = this.bytes.uint32At(0);
    this.bytes.skip(4);
    this.offset += 4;
    return value;
  }

  private take(n: number): Buffer {
    this.offset += n;
    return n === 0 ? Buffer.alloc(0) : this.bytes.take(n);
  }

  private tooLarge(what: string, bytes: number): ProtocolError {
    return new ProtocolError(`${what} of ${bytes} bytes is larger than max_frame_bytes (${this.limits.maxFrameBytes})`, this.frameOffset, 'SLUICE_FRAME_TOO_LARGE');
  }

  private advance(out: Frame[]): void {
    switch (this.step) {
      case Step.Header:
        return this.header();
      case Step.Window: {
        const size = this.uint32();
        if (size > this.limits.maxWindowSize) {
          throw new ProtocolError(`window of ${size} events is larger than max_window_size (${this.limits.maxWindowSize})`, this.frameOffset, 'SLUICE_FRAME_TOO_LARGE');
        }
        out.push({ kind: 'window', version: this.version, offset: this.at, size });
        return this.expect(Step.Header, 2);
      }
      case Step.JsonHead: {
        this.seq = this.uint32();
        this.length = this.uint32();
        // Logstash refuses these too: an empty event is a broken client, not an event.
        if (this.length === 0) throw new ProtocolError(`empty JSON frame (seq ${this.seq})`, this.frameOffset);
        if (this.length > this.limits.maxFrameBytes) throw this.tooLarge('JSON frame', this.length);
        return this.expect(Step.JsonBody, this.length);
      }
      case Step.JsonBody:
        out.push({ kind: 'json', version: this.version, offset: this.at, seq: this.seq, payload: this.take(this.length) });
        return this.expect(Step.Header, 2);
      case Step.DataHead: {
        this.seq = this.uint32();
        this.pairsLeft = this.uint32();
        if (this.pairsLeft === 0) throw new ProtocolError(`data frame without pairs (seq ${this.seq})`, this.frameOffset);
        this.frameBytes = 10 + this.pairsLeft * 8;
        if (this.frameBytes > this.limits.maxFrameBytes) throw this.tooLarge(`data frame of ${this.pairsLeft} pairs`, this.frameBytes);
        this.pairs = [];
        return this.expect(Step.KeyLength, 4);
      }
      case Step.KeyLength:
      case Step.ValueLength: {
        this.length = this.uint32();
        this.frameBytes += this.length;
        if (this.frameBytes > this.limits.maxFrameBytes) throw this.tooLarge('data frame', this.frameBytes);
        return this.expect(this.step === Step.KeyLength ? Step.Key : Step.Value, this.length);
      }
      case Step.Key:
        this.key = this.take(this.length).toString('utf8');
        return this.expect(Step.ValueLength, 4);
      case Step.Value: {
        this.pairs.push([this.key, this.take(this.length).toString('utf8')]);
        if (--this.pairsLeft > 0) return this.expect(Step.KeyLength, 4);
        out.push({ kind: 'data', version: this.version, offset: this.at, seq: this.seq, pairs: this.pairs, bytes: this.frameBytes });
        this.pairs = [];
        return this.expect(Step.Header, 2);
      }
      case Step.CompressedHead:
        this.length = this.uint32();
        if (this.length > this.limits.maxFrameBytes) throw this.tooLarge('compressed frame', this.length);
        return this.expect(Step.CompressedBody, this.length);
      case Step.CompressedBody:
        this.inflateInto(this.take(this.length), out);
        return this.expect(Step.Header, 2);
    }
  }

  private header(): void {
    this.frameOffset = this.offset;
    const version = this.bytes.byteAt(0);
    const type = this.bytes.byteAt(1);
    if (version !== VERSION_1 && version !== VERSION_2) throw new ProtocolError(`unknown protocol version byte ${printable(version)}${versionHint(version)}`, this.offset);
    const v = String.fromCharCode(version);
    switch (type) {
      case FRAME_WINDOW:
        if (this.depth > 0) throw new ProtocolError('window frame inside a compressed frame', this.offset);
        this.expect(Step.Window, 4);
        break;
      case FRAME_JSON:
        if (version !== VERSION_2) throw new ProtocolError('JSON frame in protocol version 1', this.offset);
        this.expect(Step.JsonHead, 8);
        break;
      case FRAME_DATA:
        // Logstash reads key/value frames under either version byte; so do we.
        this.expect(Step.DataHead, 8);
        break;
      case FRAME_COMPRESSED:
        if (this.depth >= MAX_NESTING) throw new ProtocolError('compressed frames nested too deep', this.offset);
        this.expect(Step.CompressedHead, 4);
        break;
      default:
        throw new ProtocolError(`unknown frame type ${printable(type)} for version ${v}`, this.offset + 1);
    }
    this.version = version;
    this.bytes.skip(2);
    this.offset += 2;
  }

  private inflateInto(body: Buffer, out: Frame[]): void {
    const inflated = inflateCapped(body, this.limits.maxDecompressedBytes);
    if (!inflated.ok) {
      if (inflated.tooLarge) throw new ProtocolError(`compressed frame inflates to more than max_decompressed_bytes (${this.limits.maxDecompressedBytes})`, this.frameOffset, 'SLUICE_DECOMPRESSED_TOO_LARGE');
      throw new ProtocolError(`compressed frame is not a valid zlib stream: ${inflated.reason}`, this.frameOffset);
    }
    const inner = new LumberjackDecoder(this.limits, this.depth + 1, this.at);
    try {
      inner.decode(inflated.data, out);
    } catch (err) {
      if (!(err instanceof ProtocolError)) throw err;
      throw new ProtocolError(`in the compressed frame, at byte ${err.offset} of its ${inflated.data.length} inflated bytes: ${err.message}`, this.frameOffset, err.code as ProtocolErrorCode);
    }
    if (!inner.atFrameBoundary) throw new ProtocolError(`compressed frame ends inside a frame (${inflated.data.length} inflated bytes)`, this.frameOffset);
  }
}
