import { describe, expect, it } from 'vitest';
import { jsonFilter } from '../../filters/json/index.js';
import type { Event } from '../../pipeline/event.js';
import { makeFilter } from './helpers.js';

const ingest = '2026-11-23T00:00:00.000Z';

describe('json filter', () => {
  it('merges a JSON message into the root, expands a structlog line nested in it, and normalizes shapes', () => {
    const structlog = JSON.stringify({ event: 'user logged in', user_id: 42, level: 'info', timestamp: '2026-11-23T01:02:03Z' });
    const record = JSON.stringify({ '@timestamp': '2026-11-23T01:02:03.456+01:00', message: structlog, host: 'web-1', path: '/app/views.py', level: 'INFO', logger_name: 'django.request', tags: 'x' });
    const [event] = makeFilter(jsonFilter, {}).run([{ '@timestamp': ingest, message: record }]);
    expect(event).toMatchObject({
      '@timestamp': '2026-11-23T00:02:03.456Z',
      message: 'user logged in',
      user_id: 42,
      level: 'info',
      host: { name: 'web-1' },
      path: '/app/views.py',
      logger_name: 'django.request',
      tags: ['x'],
    });
    expect(event).not.toHaveProperty('event');
  });

  it('keeps message a string whatever the JSON held there', () => {
    const run = makeFilter(jsonFilter, {}).run;
    const [a, b, c] = run([{ message: '{"message": {"nested": true}}' }, { message: '{"message": 12}' }, { message: '{"msg": "pino line", "level": 30}' }]);
    expect(a.message).toBe('{"nested":true}');
    expect(b.message).toBe('12');
    expect(c.message).toBe('pino line');
    expect(c).not.toHaveProperty('msg');
  });

  it('stops expanding at max_depth', () => {
    const deep = JSON.stringify({ message: JSON.stringify({ payload: JSON.stringify({ inner: JSON.stringify({ x: 1 }) }) }) });
    const [shallow] = makeFilter(jsonFilter, { max_depth: 1 }).run([{ message: deep }]);
    expect(typeof shallow.message).toBe('string');
    expect(shallow).not.toHaveProperty('payload');
    const [two] = makeFilter(jsonFilter, { max_depth: 2 }).run([{ message: deep }]);
    expect(typeof two.payload).toBe('string');
    const [three] = makeFilter(jsonFilter, { max_depth: 3 }).run([{ message: deep }]);
    expect(three.payload).toEqual({ inner: JSON.stringify({ x: 1 }) });
  });

  it('tags invalid JSON, or skips it quietly when asked, and counts failures', () => {
    const filter = makeFilter(jsonFilter, {});
    const [bad, notObject] = filter.run([{ message: '{"broken": ' }, { message: '[1, 2]' }]);
    expect(bad.tags).toEqual(['_jsonparsefailure']);
    expect(notObject.tags).toEqual(['_jsonparsefailure']);
    expect(filter.metrics.sum('json_parse_failures_total')).toBe(2);
    const [quiet] = makeFilter(jsonFilter, { skip_on_invalid_json: true }).run([{ message: 'plain text' }]);
    expect(quiet).toEqual({ message: 'plain text' });
  });

  it('keeps a document nested deeper than can be written back as text, tagged', () => {
    const deep = `{"a":${'['.repeat(6000)}1${']'.repeat(6000)}}`;
    const [event] = makeFilter(jsonFilter, {}).run([{ message: deep }]);
    expect(event.message).toBe(deep);
    expect(event.tags).toEqual(['_jsonparsefailure']);
    expect(() => JSON.stringify(event)).not.toThrow();
  });

  it('writes to a target, removes the source, keeps the original', () => {
    const [event] = makeFilter(jsonFilter, { source: '[raw]', target: '[doc]', remove_source: true, keep_original: true }).run([{ raw: '{"a": {"b": "{\\"c\\": 1}"}}' } as Event]);
    expect(event).toEqual({ doc: { a: { b: { c: 1 } } }, event: { original: '{"a": {"b": "{\\"c\\": 1}"}}' } });
  });

  it('moves a bad parsed @timestamp aside and keeps the input time', () => {
    const [event] = makeFilter(jsonFilter, {}).run([{ '@timestamp': ingest, message: '{"@timestamp": "yesterday", "message": "m"}' }]);
    expect(event['@timestamp']).toBe(ingest);
    expect(event['_@timestamp']).toBe('yesterday');
    expect(event.tags).toEqual(['_timestampparsefailure']);
  });
});
