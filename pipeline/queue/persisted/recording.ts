/**
 * A record's payload in one of its forms; the first byte says which.
 *
 * - `[` (0x5b): a JSON array of the events, `@metadata` kept: what every record of a version 1
 *   segment holds, and the form of any batch without a recording (events a filter or a stage
 *   changed, inputs whose decoding is not repeatable, ids that did not follow on).
 * - 0x01 `lines` and 0x02 `json_frames`: an input's recording (pipeline/batch.ts `BatchSource`):
 *
 *     form u8 | codec u8 | now f64 | max_line_bytes u32 | facts length u16 | facts (JSON)
 *     | first id length u8 | first id (ASCII) | body
 *
 *   where the body is the lines' bytes (`lines`) or each JSON document as `length u32 | bytes`
 *   (`json_frames`), all little-endian. Recorded bytes are copied once and never serialized;
 *   they are decoded again only when the record is read back from disk.
 */
import type { Event, InputMetadata } from '../../event.js';
import type { BatchSource } from '../../batch.js';
import { replayRecording } from '../../../inputs/replay.js';

const FORM_JSON = 0x5b;
const FORM_LINES = 0x01;
const FORM_JSON_FRAMES = 0x02;
const CODECS = ['json_lines', 'lines'] as const;
/** form, codec, now, max_line_bytes, facts length, first id length. */
const FIXED_BYTES = 1 + 1 + 8 + 4 + 2 + 1;
const MAX_FACTS_BYTES = 0xffff;

/** Facts are the same for every batch of a connection: their JSON is made once. */
const factsJson = new WeakMap<InputMetadata, Buffer>();

function factsBytes(input: InputMetadata): Buffer {
  let bytes = factsJson.get(input);
  if (bytes === undefined) {
    bytes = Buffer.from(JSON.stringify(input));
    factsJson.set(input, bytes);
  }
  return bytes;
}

/** Bytes the payload of `source` takes, or undefined if it cannot be recorded (the JSON form is used instead). */
export function recordingBytes(source: BatchSource): number | undefined {
  const facts = factsBytes(source.input);
  if (facts.length > MAX_FACTS_BYTES || (source.firstId !== undefined && source.firstId.length > 0xff)) return undefined;
  let body = 0;
  if (source.form === 'lines') for (const piece of source.raw) body += piece.length;
  else for (const payload of source.payloads) body += 4 + payload.length;
  if (body === 0) return undefined;
  return FIXED_BYTES + facts.length + (source.firstId?.length ?? 0) + body;
}

/** Writes the payload of `source` at `offset` of `target` (room for recordingBytes(source) is there); returns its end. */
export function writeRecording(source: BatchSource, target: Buffer, offset: number): number {
  const facts = factsBytes(source.input);
  let at = offset;
  target[at++] = source.form === 'lines' ? FORM_LINES : FORM_JSON_FRAMES;
  target[at++] = source.form === 'lines' ? CODECS.indexOf(source.codec) : 0;
  at = target.writeDoubleLE(source.now, at);
  at = target.writeUInt32LE(source.form === 'lines' ? source.maxLineBytes : 0, at);
  at = target.writeUInt16LE(facts.length, at);
  at += facts.copy(target, at);
  const id = source.firstId ?? '';
  target[at++] = id.length;
  at += target.write(id, at, 'latin1');
  if (source.form === 'lines') {
    for (const piece of source.raw) at += piece.copy(target, at);
  } else {
    for (const payload of source.payloads) {
      at = target.writeUInt32LE(payload.length, at);
      at += payload.copy(target, at);
    }
  }
  return at;
}

/** The events of the payload `bytes[start, end)`, whichever its form. */
export function readPayload(bytes: Buffer, start: number, end: number): Event[] {
  const form = bytes[start];
  if (form === FORM_JSON) return JSON.parse(bytes.toString('utf8', start, end)) as Event[];
  if (form !== FORM_LINES && form !== FORM_JSON_FRAMES) throw new Error(`record payload of unknown form ${form}`);
  const codec = CODECS[bytes[start + 1]];
  const now = bytes.readDoubleLE(start + 2);
  const maxLineBytes = bytes.readUInt32LE(start + 10);
  const factsLength = bytes.readUInt16LE(start + 14);
  let at = start + 16;
  const input = JSON.parse(bytes.toString('utf8', at, at + factsLength)) as InputMetadata;
  at += factsLength;
  const idLength = bytes[at++];
  const firstId = idLength > 0 ? bytes.toString('latin1', at, at + idLength) : undefined;
  at += idLength;
  if (form === FORM_LINES) {
    if (codec === undefined) throw new Error(`record payload of unknown codec ${bytes[start + 1]}`);
    return replayRecording({ form: 'lines', codec, maxLineBytes, input, now, firstId, raw: [bytes.subarray(at, end)] });
  }
  const payloads: Buffer[] = [];
  while (at + 4 <= end) {
    const length = bytes.readUInt32LE(at);
    payloads.push(bytes.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return replayRecording({ form: 'json_frames', input, now, firstId, payloads });
}
