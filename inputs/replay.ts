/**
 * A batch's recording (pipeline/batch.ts `BatchSource`) decoded again into the same events the
 * input pushed: the same framing and codec over the same bytes, then finishEvents with the
 * recorded receive time, connection facts and ids. The persisted queue calls this for records
 * it reads back from disk (after a restart, or what spilled past its memory share).
 */
import type { Event } from '../pipeline/event.js';
import type { BatchSource } from '../pipeline/batch.js';
import { idsFollowing, nextEventId } from '../pipeline/id.js';
import { LineSplitter } from './framing/line_splitter.js';
import { jsonLinesCodec } from './codecs/json_lines.js';
import { linesCodec } from './codecs/lines.js';
import { eventFromJson } from './beats/events.js';
import { finishEvents } from './finish.js';

export function replayRecording(source: BatchSource): Event[] {
  const events: Event[] = [];
  if (source.form === 'lines') {
    const codec = source.codec === 'json_lines' ? jsonLinesCodec : linesCodec;
    // Lines that were too long were skipped when received and are skipped again, unreported.
    const splitter = new LineSplitter(source.maxLineBytes, () => undefined);
    const onLine = (line: string): void => {
      codec.decode(line, events);
    };
    for (const piece of source.raw) splitter.push(piece, onLine);
    splitter.end(onLine);
  } else {
    for (const payload of source.payloads) events.push(eventFromJson(payload).event);
  }
  let given = 0;
  const following = source.firstId === undefined ? undefined : idsFollowing(source.firstId);
  // Recorded only when the ids followed on from the first; past the counter a fresh id beats none.
  const replayedId = (now: number): string => following?.(given++) ?? nextEventId(now);
  finishEvents(events, 0, source.input, source.now, replayedId);
  return events;
}
