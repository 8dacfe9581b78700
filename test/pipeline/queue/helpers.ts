import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PersistedQueue, type PersistedQueueOptions } from '../../../pipeline/queue/persisted/index.js';
import type { AckMode } from '../../../pipeline/queue/contract.js';
import { createLogger } from '../../../pipeline/logger.js';
import type { Event, InputMetadata } from '../../../pipeline/event.js';
import { makeBatch, type Batch, type BatchOutcome, type BatchSource } from '../../../pipeline/batch.js';
import { LineSplitter } from '../../../inputs/framing/line_splitter.js';
import { jsonLinesCodec } from '../../../inputs/codecs/json_lines.js';
import { eventFromJson } from '../../../inputs/beats/events.js';
import { finishEvents } from '../../../inputs/finish.js';

export function queueDir(): string {
  return mkdtempSync(join(tmpdir(), 'sluice-pq-'));
}

export function persistedQueue(path: string, overrides: Partial<PersistedQueueOptions> = {}, ackMode: AckMode = 'queue'): PersistedQueue {
  return new PersistedQueue(
    {
      path,
      index: 0,
      count: 1,
      maxBytes: 64 * 1024 * 1024,
      memory: { maxEvents: 1000, maxBytes: 1024 * 1024 },
      segmentBytes: 4096,
      sync: 'batch',
      syncIntervalMs: 5,
      ...overrides,
    },
    ackMode,
    createLogger('silent'),
  );
}

/** Numbered events of one input: `{ input, n }`, with an id in @metadata as inputs stamp it. */
export function numbered(input: string, from: number, count: number): Event[] {
  return Array.from({ length: count }, (_, i) => ({ message: `${input}-${from + i}`, input, n: from + i, '@metadata': { _id: `${input}-${from + i}` } }));
}

/** Reads everything the queue holds (its depth says what is waiting), acking each read. */
export async function drain(queue: PersistedQueue, ack = true): Promise<Event[]> {
  const out: Event[] = [];
  while (queue.depth > 0) {
    const read = await queue.read(1000);
    if (!read) break;
    out.push(...read.events);
    if (ack) read.done({ ok: true });
  }
  return out;
}

/** How a test batch reaches the queue: events only (stored as JSON), or with the recording a line or Beats input attaches. */
export type PushForm = 'json' | 'lines' | 'json_frames';

const FACTS: InputMetadata = { type: 'tcp', id: 'queue-test', remote: { ip: '192.0.2.1', port: 40000 } };

/**
 * The numbered events of `numbered` as an input would push them in `form`: decoded from their
 * JSON lines (or Beats payloads) by the real framing and codec, finished with generated ids and
 * the connection facts, the recording attached.
 */
export function numberedBatch(input: string, from: number, count: number, form: PushForm, ack?: (outcome: BatchOutcome) => void): Batch {
  if (form === 'json') return makeBatch(numbered(input, from, count), 0, ack);
  const documents = Array.from({ length: count }, (_, i) => JSON.stringify({ message: `${input}-${from + i}`, input, n: from + i }));
  const events: Event[] = [];
  const now = Date.now();
  let source: BatchSource;
  if (form === 'lines') {
    const raw: Buffer[] = [];
    new LineSplitter(1 << 20, () => undefined).push(Buffer.from(`${documents.join('\n')}\n`), (line) => jsonLinesCodec.decode(line, events), raw);
    const ids = finishEvents(events, 0, FACTS, now);
    source = { form, codec: 'json_lines', maxLineBytes: 1 << 20, input: FACTS, now, firstId: ids.first, raw };
  } else {
    const payloads = documents.map((d) => Buffer.from(d));
    for (const payload of payloads) events.push(eventFromJson(payload).event);
    const ids = finishEvents(events, 0, FACTS, now);
    source = { form, input: FACTS, now, firstId: ids.first, payloads };
  }
  return makeBatch(events, 0, ack, source);
}
