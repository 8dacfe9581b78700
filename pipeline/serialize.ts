/**
 * Events as shipped: JSON without `@metadata`. Instead of copying every event to leave the key
 * out, the key is set to undefined for the one stringify call (JSON skips undefined values) and
 * put back; assigning keeps the object's shape, where `delete` would make it slow for good.
 */
import { METADATA, type Event } from './event.js';

export function serializeEvent(event: Event): string {
  const meta = event[METADATA];
  if (meta === undefined) return JSON.stringify(event);
  event[METADATA] = undefined;
  try {
    return JSON.stringify(event);
  } finally {
    event[METADATA] = meta;
  }
}
