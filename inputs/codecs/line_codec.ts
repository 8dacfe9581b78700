/**
 * Line codecs turn one line of text into events. They are shared by the line-oriented inputs
 * (tcp, udp); each decodes into the caller's array so that a batch is built without copies.
 */
import type { Event } from '../../pipeline/event.js';

export interface LineCodec {
  readonly name: string;
  /** Appends the events decoded from `line` to `out`; returns how many failed to decode cleanly. */
  decode(line: string, out: Event[]): number;
}
