/** Helpers of the framing tests: a stream cut into reads, and the bytes a framer copies. */
import { vi } from 'vitest';

/** `bytes` cut at the given points (taken modulo its length, in order), as a socket might deliver it. */
export function cutAt(bytes: Buffer, cuts: number[]): Buffer[] {
  return splitAtPoints(bytes, [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b));
}

/** `bytes` split at ascending offsets: the piece before each, then the rest. */
export function splitAtPoints(bytes: Buffer, points: readonly number[]): Buffer[] {
  const pieces: Buffer[] = [];
  let from = 0;
  for (const p of points) {
    pieces.push(bytes.subarray(from, p));
    from = p;
  }
  pieces.push(bytes.subarray(from));
  return pieces;
}

/**
 * Counts the bytes copied through the two calls that copy buffers (Buffer.concat, and
 * Buffer.from of a buffer) until vi.restoreAllMocks().
 */
export function countCopies(): { bytes: () => number } {
  let copied = 0;
  const concat = Buffer.concat.bind(Buffer);
  const from = Buffer.from.bind(Buffer) as (...args: unknown[]) => Buffer;
  vi.spyOn(Buffer, 'concat').mockImplementation((list: readonly Uint8Array[], total?: number) => {
    const out = concat(list, total);
    copied += out.length;
    return out;
  });
  vi.spyOn(Buffer, 'from').mockImplementation(((...args: unknown[]) => {
    const out = from(...args);
    if (args[0] instanceof Uint8Array) copied += out.length;
    return out;
  }) as typeof Buffer.from);
  return { bytes: () => copied };
}
