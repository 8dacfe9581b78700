/**
 * An input's recording decodes again into the very events the input pushed: the bytes of the
 * lines a connection received (cut into reads anywhere, with lines too long, CRLF, empty lines,
 * text that is not JSON, arrays, broken UTF-8) and the Beats JSON payloads, through the record
 * encoding of the persisted queue and back.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { LineSplitter } from '../../inputs/framing/line_splitter.js';
import { jsonLinesCodec } from '../../inputs/codecs/json_lines.js';
import { linesCodec } from '../../inputs/codecs/lines.js';
import { eventFromJson } from '../../inputs/beats/events.js';
import { finishEvents } from '../../inputs/finish.js';
import { RecordEncoder, checkRecord, RECORD_HEADER_BYTES } from '../../pipeline/queue/persisted/record.js';
import { readPayload } from '../../pipeline/queue/persisted/recording.js';
import type { BatchSource } from '../../pipeline/batch.js';
import type { Event, InputMetadata } from '../../pipeline/event.js';
import { cutAt } from './framing/chunks.js';

const FACTS: InputMetadata = { type: 'tcp', id: 'replay-test', remote: { ip: '192.0.2.7', port: 41000 }, tls: { subject: 'CN=client é' } };

/** What the persisted queue would read back from disk for `source`. */
function throughRecord(source: BatchSource, count: number): Event[] {
  const record = new RecordEncoder().encodeRecording(7, count, source);
  if (!record) throw new Error('no recording');
  const check = checkRecord(record, 0);
  if (check.kind !== 'record') throw new Error(`record does not check: ${check.kind}`);
  return readPayload(record, RECORD_HEADER_BYTES, check.end);
}

const line = fc.oneof(
  fc.record({ message: fc.string({ unit: 'binary' }), n: fc.integer(), '@timestamp': fc.constantFrom(undefined, '2026-12-01T10:00:00Z', 'yesterday') }).map((o) => JSON.stringify(o)),
  fc.array(fc.record({ a: fc.string() }), { maxLength: 3 }).map((a) => JSON.stringify(a)),
  fc.record({ host: fc.string(), '@metadata': fc.record({ _id: fc.string({ minLength: 1 }) }) }).map((o) => JSON.stringify(o)),
  fc.string({ unit: 'binary', maxLength: 120 }).map((s) => s.replace(/\n/g, ' ')),
  fc.constantFrom('', '\r', '{"broken": ', '[1, "two"]', 'x'.repeat(300)),
);

describe('input recordings', () => {
  it('decode the lines a connection received into the same events, whatever the reads', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 25 }),
        fc.array(fc.nat(), { maxLength: 8 }),
        fc.boolean(),
        fc.constantFrom('json_lines' as const, 'lines' as const),
        fc.uint8Array({ maxLength: 6 }),
        (lines, cuts, crlf, codecName, junk) => {
          const codec = codecName === 'json_lines' ? jsonLinesCodec : linesCodec;
          // Broken UTF-8 and a last line without its newline (the connection's end) ride along.
          const bytes = Buffer.concat([Buffer.from(lines.join(crlf ? '\r\n' : '\n')), Buffer.from(junk)]);
          const splitter = new LineSplitter(200, () => undefined);
          const reads = cutAt(bytes, cuts).map((chunk) => ({ chunk, end: false })).concat([{ chunk: Buffer.alloc(0), end: true }]);
          for (const { chunk, end } of reads) {
            const events: Event[] = [];
            const raw: Buffer[] = [];
            const onLine = (text: string): void => {
              codec.decode(text, events);
            };
            if (end) splitter.end(onLine, raw);
            else splitter.push(chunk, onLine, raw);
            if (events.length === 0) continue;
            const now = 1796160000000 + events.length;
            const ids = finishEvents(events, 0, FACTS, now);
            expect(ids.followOn).toBe(true);
            const source: BatchSource = { form: 'lines', codec: codecName, maxLineBytes: 200, input: FACTS, now, firstId: ids.first, raw };
            expect(throughRecord(source, events.length)).toEqual(events);
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('decode the Beats JSON payloads into the same events, ids and receive time included', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.json(), fc.record({ message: fc.string(), '@metadata': fc.record({ beat: fc.constant('filebeat') }) }).map((o) => JSON.stringify(o))), { minLength: 1, maxLength: 20 }), (documents) => {
        const payloads = documents.map((d) => Buffer.from(d));
        const events = payloads.map((p) => eventFromJson(p).event);
        const now = Date.now();
        const ids = finishEvents(events, 0, FACTS, now);
        const source: BatchSource = { form: 'json_frames', input: FACTS, now, firstId: ids.first, payloads };
        expect(throughRecord(source, events.length)).toEqual(events);
      }),
      { numRuns: 200 },
    );
  });

  it('says when ids did not follow on from the first (a millisecond ran out of counter), so the batch is stored as JSON', () => {
    const events: Event[] = Array.from({ length: 5000 }, (_, i) => ({ message: String(i) }));
    expect(finishEvents(events, 0, FACTS, 1796160000000).followOn).toBe(false);
  });
});
