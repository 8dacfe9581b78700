/**
 * Time zones for wall-clock times that carry no offset: an IANA name (`Europe/Paris`, with its
 * daylight-saving rules) or a fixed offset (`+05:30`). Offsets come from Intl, cached per hour.
 */

const FIXED = /^([+-])(\d{2}):?(\d{2})$/;

export function isValidZone(zone: string): boolean {
  if (zone === 'UTC' || zone === 'Z' || FIXED.test(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export type ZoneOffset = (utcMs: number) => number;

/** Minutes east of UTC in `zone` at the instant `utcMs`. */
export function zoneOffset(zone: string): ZoneOffset {
  if (zone === 'UTC' || zone === 'Z') return () => 0;
  const fixed = FIXED.exec(zone);
  if (fixed) {
    const minutes = (fixed[1] === '-' ? -1 : 1) * (Number(fixed[2]) * 60 + Number(fixed[3]));
    return () => minutes;
  }
  const format = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' });
  const cache = new Map<number, number>();
  return (utcMs) => {
    const hour = Math.floor(utcMs / 3_600_000);
    const hit = cache.get(hour);
    if (hit !== undefined) return hit;
    const parts: Record<string, number> = {};
    for (const part of format.formatToParts(new Date(hour * 3_600_000))) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const wall = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second);
    const offset = Math.round((wall - hour * 3_600_000) / 60_000);
    if (cache.size > 1000) cache.clear();
    cache.set(hour, offset);
    return offset;
  };
}

/** The UTC instant of a wall-clock time in a zone (the zone's offset is looked up twice around DST changes). */
export function wallClockToUtc(wallMs: number, offsetAt: ZoneOffset): number {
  const guess = wallMs - offsetAt(wallMs) * 60_000;
  return wallMs - offsetAt(guess) * 60_000;
}
