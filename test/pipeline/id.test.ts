import { describe, expect, it } from 'vitest';
import { eventIdTime, followingId, nextEventId } from '../../pipeline/id.js';

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('event ids', () => {
  it('are UUIDv7 carrying their creation time', () => {
    const now = Date.now();
    const id = nextEventId(now);
    expect(id).toMatch(UUID_V7);
    expect(eventIdTime(id)).toBe(now);
  });

  it('are unique and time-ordered over many ids in the same millisecond', () => {
    const now = Date.now() + 10_000;
    const ids = Array.from({ length: 10_000 }, () => nextEventId(now));
    expect(new Set(ids).size).toBe(ids.length);
    const sorted = [...ids].sort();
    expect(sorted).toEqual(ids);
  });

  it('stay ordered when the clock steps back', () => {
    const first = nextEventId(Date.now() + 20_000);
    const second = nextEventId(Date.now());
    expect(second > first).toBe(true);
  });

  it('are followed on only from an id of their own form: what follows is written unescaped', () => {
    const now = Date.now() + 30_000;
    const first = nextEventId(now);
    const second = nextEventId(now);
    expect(followingId(first, 1)).toBe(second);
    // Same length and counter place, but not an id sluice gives: no id is made from its pieces.
    for (const forged of [`${first.slice(0, 19)}"${first.slice(20)}`, first.toUpperCase(), `${first.slice(0, 14)}4${first.slice(15)}`]) {
      expect(forged).toHaveLength(36);
      expect(followingId(forged, 1)).toBeUndefined();
    }
  });
});
