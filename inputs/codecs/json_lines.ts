/**
 * One JSON document per line. An object is an event; an array is one event per element; text
 * that is not JSON, or JSON that is not an object, becomes an event with the raw text in
 * `message` and the tag `_jsonparsefailure` (Logstash's json codec does the same), as does a
 * document nested deeper than sluice can write back (json_depth.ts).
 */
import { isFieldObject, type Event } from '../../pipeline/event.js';
import type { LineCodec } from './line_codec.js';
import { NOT_JSON, parseJsonDocument } from './json_depth.js';

export const JSON_FAILURE_TAG = '_jsonparsefailure';

function failed(raw: string): Event {
  return { message: raw, tags: [JSON_FAILURE_TAG] };
}

export const jsonLinesCodec: LineCodec = {
  name: 'json_lines',
  decode(line, out) {
    const value = parseJsonDocument(line);
    if (value === NOT_JSON) {
      out.push(failed(line));
      return 1;
    }
    if (isFieldObject(value)) {
      out.push(value as Event);
      return 0;
    }
    if (Array.isArray(value)) {
      let failures = 0;
      for (const element of value) {
        if (isFieldObject(element)) {
          out.push(element as Event);
        } else {
          out.push(failed(JSON.stringify(element)));
          failures++;
        }
      }
      return failures;
    }
    out.push(failed(line));
    return 1;
  },
};
