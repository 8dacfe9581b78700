/**
 * What every input does to what it decoded before the batch leaves it: a valid `@timestamp` and indexable shapes (normalize.ts),
 * a stable id (kept when the source sent one, as Beats do), and the connection facts.
 */
import { isFieldObject, METADATA, type Event, type InputMetadata } from '../pipeline/event.js';
import { nextEventId } from '../pipeline/id.js';
import { normalizeEvent } from '../pipeline/normalize.js';

export function finishEvents(events: Event[], from: number, input: InputMetadata, now: number = Date.now()): void {
  const ingestTime = new Date(now).toISOString();
  for (let i = from; i < events.length; i++) {
    const event = events[i];
    normalizeEvent(event, ingestTime);
    const meta = event[METADATA];
    if (isFieldObject(meta)) {
      if (typeof meta._id !== 'string' || meta._id.length === 0) meta._id = nextEventId(now);
      // Shared by the connection's events: treat as read-only (filters copy before they change it).
      meta.input = input as InputMetadata & Record<string, never>;
    } else {
      event[METADATA] = { _id: nextEventId(now), input: input as InputMetadata & Record<string, never> };
    }
  }
}
