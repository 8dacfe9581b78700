/**
 * Event ids: UUIDv7 (RFC 9562), time-ordered. Within one millisecond a 12-bit counter in
 * `rand_a` keeps ids ordered (the RFC's method 1); `rand_b` is fresh randomness per millisecond,
 * which keeps two processes (or threads) apart. The per-millisecond work is done once, so an
 * id costs two string concatenations.
 */
import { randomBytes } from 'node:crypto';

const SEQ_HEX: string[] = Array.from({ length: 4096 }, (_, i) => i.toString(16).padStart(3, '0'));

// Randomness is drawn in blocks: a randomBytes call per millisecond cost more than the ids it served.
const RANDOM_BLOCK = 8 * 512;
let randomPool = Buffer.alloc(0);
let randomOffset = RANDOM_BLOCK;

function nextRandom8(): Buffer {
  if (randomOffset >= RANDOM_BLOCK) {
    randomPool = randomBytes(RANDOM_BLOCK);
    randomOffset = 0;
  }
  const rand = randomPool.subarray(randomOffset, randomOffset + 8);
  randomOffset += 8;
  return rand;
}

let currentMs = -1;
let sequence = 0;
let prefix = '';
let suffix = '';

function startMillisecond(ms: number): void {
  currentMs = ms;
  const hex = ms.toString(16).padStart(12, '0');
  prefix = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7`;
  const rand = nextRandom8();
  rand[0] = (rand[0] & 0x3f) | 0x80; // RFC 9562 variant bits 10xx
  const r = rand.toString('hex');
  suffix = `-${r.slice(0, 4)}-${r.slice(4, 16)}`;
  // Start the counter low but random so that concurrent producers rarely share a prefix+counter.
  sequence = rand[1] & 0x3ff;
}

export function nextEventId(now: number = Date.now()): string {
  if (now > currentMs) {
    startMillisecond(now);
  } else if (sequence >= 4095) {
    // Counter exhausted (over 3000 ids in one ms) or the clock went back: borrow the next millisecond.
    startMillisecond(currentMs + 1);
  } else {
    sequence++;
  }
  return prefix + SEQ_HEX[sequence] + suffix;
}

/** What nextEventId gives: version 7, variant 10xx, lower-case hex. */
const EVENT_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** Where an id's 12-bit counter sits: `xxxxxxxx-xxxx-7` before it, the millisecond's randomness after. */
const COUNTER_AT = 15;

/**
 * The ids that calls of nextEventId after `id` gave when no millisecond started in between (same
 * prefix and randomness, counter moved on by `steps`), or undefined past the counter's end.
 */
export function idsFollowing(id: string): (steps: number) => string | undefined {
  const prefix = id.slice(0, COUNTER_AT);
  const counter = parseInt(id.slice(COUNTER_AT, COUNTER_AT + 3), 16);
  const suffix = id.slice(COUNTER_AT + 3);
  // Only an id of ours is followed on: what follows it is marked as sluice's own, quoted unescaped (event.ts GIVEN_ID).
  const valid = EVENT_ID.test(id);
  return (steps) => (valid && counter + steps <= 4095 ? prefix + SEQ_HEX[counter + steps] + suffix : undefined);
}

/** The id `steps` calls of nextEventId after `id` in one run (see idsFollowing). */
export function followingId(id: string, steps: number): string | undefined {
  return idsFollowing(id)(steps);
}

/** Milliseconds since the epoch encoded in a UUIDv7. */
export function eventIdTime(id: string): number {
  return parseInt(id.slice(0, 8) + id.slice(9, 13), 16);
}
