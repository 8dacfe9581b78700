import { describe, expect, it } from 'vitest';
import { normalizeEvent } from '../../pipeline/normalize.js';
import type { Event } from '../../pipeline/event.js';

const now = '2026-11-23T00:00:00.000Z';

function normalized(event: Event): Event {
  normalizeEvent(event, now);
  return event;
}

describe('event normalization', () => {
  it.each([
    [{ host: 'web-1' }, { host: { name: 'web-1' } }],
    [{ service: 'api', user: 'bob', agent: 'x', process: 'java', observer: 'fw' }, { service: { name: 'api' }, user: { name: 'bob' }, agent: { name: 'x' }, process: { name: 'java' }, observer: { name: 'fw' } }],
    [{ trace: 'abc', span: 'def', transaction: 't' }, { trace: { id: 'abc' }, span: { id: 'def' }, transaction: { id: 't' } }],
    [{ error: 'boom', url: '/x', file: '/var/log/a', event: 'login' }, { error: { message: 'boom' }, url: { original: '/x' }, file: { path: '/var/log/a' }, event: { action: 'login' } }],
    [{ process: 27144 }, { process: { pid: 27144 } }],
    [{ log: 'WARN' }, { log: { level: 'WARN' } }],
    [{ log: 'a docker line\n' }, { message: 'a docker line\n' }],
    [{ message: 'm', log: 'extra text' }, { message: 'm', log: { original: 'extra text' } }],
    [{ message: { a: 1 } }, { message: '{"a":1}' }],
    [{ message: 42 }, { message: '42' }],
    [{ message: true }, { message: 'true' }],
    [{ tags: 'one' }, { tags: ['one'] }],
    [{ tags: ['a', 1] }, { tags: ['a', '1'] }],
    [{ _id: 7, _index: 'x', _source: { a: 1 } }, { labels: { _id: '7', _index: 'x', _source: '{"a":1}' } }],
    [{ host: { name: 'ok' }, _private: 1 }, { host: { name: 'ok' }, _private: 1 }],
  ] as Array<[Event, Event]>)('%j', (input, expected) => {
    expect(normalized({ '@timestamp': now, ...input })).toEqual({ '@timestamp': now, ...expected });
  });

  it('applies each rule by key when one event after another puts other keys at the same positions', () => {
    // The rule for a position is remembered from the event before: each of these would be normalized wrongly if it were read by position alone.
    expect(normalized({ host: 'web-1', level: 'INFO' })).toEqual({ '@timestamp': now, host: { name: 'web-1' }, level: 'INFO' });
    expect(normalized({ message: 7, host: 'web-2' })).toEqual({ '@timestamp': now, message: '7', host: { name: 'web-2' } });
    expect(normalized({ level: 'INFO', tags: 'x' })).toEqual({ '@timestamp': now, level: 'INFO', tags: ['x'] });
    expect(normalized({ host: { name: 'web-3' }, _id: 1 })).toEqual({ '@timestamp': now, host: { name: 'web-3' }, labels: { _id: '1' } });
    expect(normalized({ host: 'web-4', level: 'INFO' })).toEqual({ '@timestamp': now, host: { name: 'web-4' }, level: 'INFO' });
  });
});
