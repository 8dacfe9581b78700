import { describe, expect, it } from 'vitest';
import { jsonLinesCodec } from '../../../inputs/codecs/json_lines.js';
import { linesCodec } from '../../../inputs/codecs/lines.js';
import type { Event } from '../../../pipeline/event.js';

function decode(line: string) {
  const out: Event[] = [];
  const failures = jsonLinesCodec.decode(line, out);
  return { out, failures };
}

describe('json_lines codec', () => {
  it('decodes an object into one event', () => {
    expect(decode('{"message":"hi","log":{"level":"info"}}')).toEqual({ out: [{ message: 'hi', log: { level: 'info' } }], failures: 0 });
  });

  it('turns an array into one event per element', () => {
    expect(decode('[{"a":1},{"b":2}]').out).toEqual([{ a: 1 }, { b: 2 }]);
  });

  it('keeps invalid JSON whole in message with _jsonparsefailure', () => {
    expect(decode('{"message": "cut')).toEqual({ out: [{ message: '{"message": "cut', tags: ['_jsonparsefailure'] }], failures: 1 });
  });

  it('treats a JSON scalar as a parse failure, keeping the text', () => {
    expect(decode('42').out).toEqual([{ message: '42', tags: ['_jsonparsefailure'] }]);
  });

  it('keeps non-object array elements as tagged events', () => {
    const { out, failures } = decode('[{"a":1},"text"]');
    expect(out).toEqual([{ a: 1 }, { message: '"text"', tags: ['_jsonparsefailure'] }]);
    expect(failures).toBe(1);
  });
});

describe('lines codec', () => {
  it('puts the line in message', () => {
    const out: Event[] = [];
    linesCodec.decode('plain text', out);
    expect(out).toEqual([{ message: 'plain text' }]);
  });
});
