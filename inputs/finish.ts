/**
 * What every input does to what it decoded before the batch leaves it: a valid `@timestamp` and indexable shapes (normalize.ts),
 * a stable id (kept when the source sent one, as Beats do), and the connection facts.
 */
import { GIVEN_ID, isFieldObject, METADATA, type Event, type InputMetadata } from '../pipeline/event.js';
import { followingId, nextEventId } from '../pipeline/id.js';
import { normalizeEvent } from '../pipeline/normalize.js';

let lastNow = -1;
let lastIngestTime = '';

/** The ingest time as ISO text, formatted once per millisecond: UDP calls this per datagram. */
function ingestTimeOf(now: number): string {
  if (now !== lastNow) {
    lastNow = now;
    lastIngestTime = new Date(now).toISOString();
  }
  return lastIngestTime;
}

/** The ids finishEvents gave: the first one, and whether every later one followed it in one run (what a recording can replay). */
export interface GivenIds {
  first: string | undefined;
  followOn: boolean;
}

/** `newId` gives UUIDs of pipeline/id.ts (fresh, or a recording's replayed): they are marked as sluice's own (GIVEN_ID). */
export function finishEvents(events: Event[], from: number, input: InputMetadata, now: number = Date.now(), newId: (now: number) => string = nextEventId): GivenIds {
  const ingestTime = ingestTimeOf(now);
  let first: string | undefined;
  let last: string | undefined;
  let given = 0;
  for (let i = from; i < events.length; i++) {
    const event = events[i];
    normalizeEvent(event, ingestTime);
    const meta = event[METADATA];
    if (isFieldObject(meta)) {
      if (typeof meta._id !== 'string' || meta._id.length === 0) {
        meta._id = meta[GIVEN_ID] = last = newId(now);
        first ??= last;
        given++;
      }
      // Shared by the connection's events: treat as read-only (filters copy before they change it).
      meta.input = input as InputMetadata & Record<string, never>;
    } else {
      last = newId(now);
      first ??= last;
      given++;
      event[METADATA] = { _id: last, input: input as InputMetadata & Record<string, never>, [GIVEN_ID]: last };
    }
  }
  return { first, followOn: given <= 1 || (first !== undefined && followingId(first, given - 1) === last) };
}
