/**
 * Inflating a compressed frame with a cap on its output. zlib stops at the cap, so a zip bomb
 * costs at most `maxBytes` of memory and the time to produce them, and only to its connection.
 */
import { inflateSync } from 'node:zlib';

export type InflateResult = { ok: true; data: Buffer } | { ok: false; tooLarge: true } | { ok: false; tooLarge: false; reason: string };

export function inflateCapped(body: Buffer, maxBytes: number): InflateResult {
  try {
    return { ok: true, data: inflateSync(body, { maxOutputLength: maxBytes }) };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    // Node reports the cap as ERR_BUFFER_TOO_LARGE (a RangeError); anything else is a broken stream.
    if (code === 'ERR_BUFFER_TOO_LARGE' || err instanceof RangeError) return { ok: false, tooLarge: true };
    return { ok: false, tooLarge: false, reason: (err as Error).message };
  }
}
