/** Lumberjack frames built by hand, for tests that must send what no well-behaved client would. */
import { deflateSync } from 'node:zlib';

function u32(value: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value);
  return b;
}

export function windowFrame(size: number, version = '2'): Buffer {
  return Buffer.concat([Buffer.from(`${version}W`), u32(size)]);
}

export function jsonFrame(seq: number, doc: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(doc));
  return Buffer.concat([Buffer.from('2J'), u32(seq), u32(body.length), body]);
}

export function dataFrame(seq: number, pairs: Record<string, string>): Buffer {
  const parts = [Buffer.from('1D'), u32(seq), u32(Object.keys(pairs).length)];
  for (const [k, v] of Object.entries(pairs)) parts.push(u32(Buffer.byteLength(k)), Buffer.from(k), u32(Buffer.byteLength(v)), Buffer.from(v));
  return Buffer.concat(parts);
}

export function compressedFrame(inner: Buffer, version = '2'): Buffer {
  const body = deflateSync(inner);
  return Buffer.concat([Buffer.from(`${version}C`), u32(body.length), body]);
}

/** Reads 6-byte ACK frames from a buffer: [version, seq] pairs. */
export function parseAcks(data: Buffer): Array<{ version: string; seq: number }> {
  const acks = [];
  for (let i = 0; i + 6 <= data.length; i += 6) acks.push({ version: String.fromCharCode(data[i]) + String.fromCharCode(data[i + 1]), seq: data.readUInt32BE(i + 2) });
  return acks;
}
