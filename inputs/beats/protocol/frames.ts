/**
 * Lumberjack frames (v1: logstash-forwarder, v2: Beats). Every frame is a version byte, a type
 * byte and a big-endian payload; see ../../../../shared/notes/lumberjack.md for what clients do.
 */

export const VERSION_1 = 0x31; // '1'
export const VERSION_2 = 0x32; // '2'
export const FRAME_WINDOW = 0x57; // 'W'
export const FRAME_JSON = 0x4a; // 'J'
export const FRAME_DATA = 0x44; // 'D'
export const FRAME_COMPRESSED = 0x43; // 'C'
export const FRAME_ACK = 0x41; // 'A'

/** `offset`: where the frame starts in the connection's stream (for a frame inside a compressed one, where that starts). */
export type Frame =
  | { kind: 'window'; version: number; offset: number; size: number }
  | { kind: 'json'; version: number; offset: number; seq: number; payload: Buffer }
  /** `bytes`: the frame's size, for the queue's byte bound. */
  | { kind: 'data'; version: number; offset: number; seq: number; pairs: Array<[string, string]>; bytes: number };

export function ackFrame(version: number, seq: number): Buffer {
  const frame = Buffer.allocUnsafe(6);
  frame[0] = version;
  frame[1] = FRAME_ACK;
  frame.writeUInt32BE(seq >>> 0, 2);
  return frame;
}
