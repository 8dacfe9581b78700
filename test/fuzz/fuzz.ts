/**
 * What the decoders' fuzzers share: a fixed seed and a bounded number of cases (so a run is
 * repeatable and fits the suite's time), random chunkings of a byte stream, and mutations that
 * turn a valid message into a nearly valid one, which reaches deeper than random bytes.
 *
 * SLUICE_FUZZ_RUNS=N runs every property N times instead of its default; SLUICE_FUZZ_SEED=S
 * replays another seed (fast-check prints the seed and path of a failure).
 */
import fc from 'fast-check';
import { splitAtPoints } from '../inputs/framing/chunks.js';

const SEED = Number(process.env.SLUICE_FUZZ_SEED ?? 20261201);

// fast-check's default size keeps arrays and strings to about ten elements whatever their
// maxLength: far too short to reach the limits of a decoder. The bounds given are meant.
fc.configureGlobal({ ...fc.readConfigureGlobal(), defaultSizeToMaxWhenMaxSpecified: true });

/** fast-check parameters: the fixed seed and `defaultRuns`, or SLUICE_FUZZ_RUNS. */
export function fuzzParameters(defaultRuns: number): fc.Parameters<unknown> {
  const asked = Number(process.env.SLUICE_FUZZ_RUNS);
  return { seed: SEED, numRuns: Number.isInteger(asked) && asked > 0 ? asked : defaultRuns };
}

/** Runs `property` under the fuzz parameters. */
export function fuzz<T>(property: fc.IPropertyWithHooks<T>, defaultRuns: number): void {
  fc.assert(property, fuzzParameters(defaultRuns) as fc.Parameters<T>);
}

/** Cut points for a buffer, as fractions of its length, so one arbitrary serves any length. */
export const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 12 });

/** `data` cut at the given fractions: what a socket may hand over, in order. */
export function chunked(data: Buffer, at: readonly number[]): Buffer[] {
  const points = [...new Set(at.map((f) => Math.floor(f * data.length)))].filter((p) => p > 0 && p < data.length).sort((a, b) => a - b);
  return splitAtPoints(data, points);
}

/** Every byte on its own: the worst a network can do. */
export function bytewise(data: Buffer): Buffer[] {
  return [...data].map((b) => Buffer.from([b]));
}

/** Bytes that mean something to one decoder or another: delimiters, digits, brackets, quotes, broken UTF-8. */
const INTERESTING = [0x00, 0x0a, 0x0d, 0x20, 0x30, 0x31, 0x39, 0x3c, 0x3e, 0x5b, 0x5d, 0x22, 0x5c, 0x3a, 0x2d, 0x7b, 0x7d, 0x25, 0x24, 0xc3, 0xe2, 0xf0, 0x80, 0xbf, 0xff];

const byte = fc.oneof(fc.integer({ min: 0, max: 255 }), fc.constantFrom(...INTERESTING));

type Mutation =
  | { kind: 'set'; at: number; byte: number }
  | { kind: 'insert'; at: number; bytes: number[] }
  | { kind: 'delete'; at: number; length: number }
  | { kind: 'repeat'; at: number; length: number; times: number }
  | { kind: 'truncate'; at: number };

const position = fc.double({ min: 0, max: 1, noNaN: true });

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), at: position, byte }),
  fc.record({ kind: fc.constant('insert' as const), at: position, bytes: fc.array(byte, { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.integer({ min: 1, max: 8 }) }),
  fc.record({ kind: fc.constant('repeat' as const), at: position, length: fc.integer({ min: 1, max: 16 }), times: fc.integer({ min: 2, max: 6 }) }),
  fc.record({ kind: fc.constant('truncate' as const), at: position }),
);

function apply(data: Buffer, m: Mutation): Buffer {
  const at = Math.min(data.length, Math.floor(m.at * (data.length + 1)));
  switch (m.kind) {
    case 'set':
      if (data.length === 0) return Buffer.from([m.byte]);
      return Buffer.concat([data.subarray(0, Math.min(at, data.length - 1)), Buffer.from([m.byte]), data.subarray(Math.min(at, data.length - 1) + 1)]);
    case 'insert':
      return Buffer.concat([data.subarray(0, at), Buffer.from(m.bytes), data.subarray(at)]);
    case 'delete':
      return Buffer.concat([data.subarray(0, at), data.subarray(at + m.length)]);
    case 'repeat': {
      const piece = data.subarray(at, at + m.length);
      return Buffer.concat([data.subarray(0, at), ...Array.from({ length: m.times }, () => piece), data.subarray(at + m.length)]);
    }
    case 'truncate':
      return data.subarray(0, at);
  }
}

/** `valid` with up to `max` random edits: a byte changed, bytes inserted, deleted, repeated, or the tail cut. */
export function mutated(valid: fc.Arbitrary<Buffer>, max = 4): fc.Arbitrary<Buffer> {
  return fc.tuple(valid, fc.array(mutation, { maxLength: max })).map(([data, edits]) => edits.reduce(apply, data));
}

/** The same for text (mutated as UTF-8 bytes, read back as a decoder would). */
export function mutatedText(valid: fc.Arbitrary<string>, max = 4): fc.Arbitrary<string> {
  return mutated(
    valid.map((s) => Buffer.from(s)),
    max,
  ).map((b) => b.toString('utf8'));
}

/** Text of printable ASCII and some multi-byte characters, without the given characters. */
export function textWithout(excluded: string, options: { minLength?: number; maxLength?: number } = {}): fc.Arbitrary<string> {
  const chars = fc.oneof(
    { weight: 8, arbitrary: fc.integer({ min: 0x20, max: 0x7e }).map((c) => String.fromCharCode(c)) },
    { weight: 1, arbitrary: fc.constantFrom('é', 'ü', '✓', '€', '日', '😀', '\t') },
  ).filter((c) => !excluded.includes(c));
  return fc.array(chars, { minLength: options.minLength ?? 0, maxLength: options.maxLength ?? 40 }).map((a) => a.join(''));
}
