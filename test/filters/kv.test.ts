import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { kvFilter } from '../../filters/kv/index.js';
import { kvFilterSchema } from '../../filters/kv/config.js';
import type { Event } from '../../pipeline/event.js';
import { makeFilter } from './helpers.js';

const one = (settings: Record<string, unknown>, event: Event) => makeFilter(kvFilter, settings).run([event])[0];

describe('kv filter', () => {
  it('reads a logfmt line with quoted values and escapes', () => {
    const message = 'level=info msg="request done" path=/api/x status=200 dur=1.5ms user=\'ann o\' note="say \\"hi\\"" bare';
    expect(one({}, { message })).toEqual({ message, level: 'info', msg: 'request done', path: '/api/x', status: '200', dur: '1.5ms', user: 'ann o', note: 'say "hi"' });
  });

  it('splits a query string into a target, keeping repeated keys as arrays', () => {
    expect(one({ source: 'q', target: '[url][params]', field_split: '&' }, { q: 'a=1&b=2&a=3&empty=' })).toEqual({ q: 'a=1&b=2&a=3&empty=', url: { params: { a: ['1', '3'], b: '2', empty: '' } } });
    expect(one({ source: 'q', field_split: '&', allow_duplicate_values: false }, { q: 'a=1&a=3' })).toMatchObject({ a: '1' });
  });

  it('keeps, drops, prefixes, trims and defaults keys', () => {
    const message = 'user=ann password=hunter2 ip=10.0.0.1 port=22';
    expect(one({ include_keys: ['user', 'ip'], prefix: 'ssh_' }, { message })).toEqual({ message, ssh_user: 'ann', ssh_ip: '10.0.0.1' });
    expect(one({ exclude_keys: ['password'], default_keys: { proto: 'tcp', port: '0' } }, { message })).toEqual({ message, user: 'ann', ip: '10.0.0.1', port: '22', proto: 'tcp' });
    expect(one({ field_split: ',', trim_key: ' ', trim_value: ' <>' }, { message: ' a = <x> , b=y' })).toMatchObject({ a: 'x', b: 'y' });
  });

  it('reads bracketed values whole, lenient spaces around the separator, and several separator characters', () => {
    expect(one({}, { message: 'list=[a b c] fn=(x y) k = v' })).toMatchObject({ list: 'a b c', fn: 'x y', k: 'v' });
    expect(one({ whitespace: 'strict' }, { message: 'k = v j=w' })).toEqual({ message: 'k = v j=w', j: 'w' });
    expect(one({ field_split: ' ,;', value_split: '=:' }, { message: 'a:1,b=2;c:3' })).toMatchObject({ a: '1', b: '2', c: '3' });
  });

  it('tags an unterminated quote but keeps the pairs before it', () => {
    const filter = makeFilter(kvFilter, {});
    const [event] = filter.run([{ message: 'a=1 b="open' }]);
    expect(event).toEqual({ message: 'a=1 b="open', a: '1', tags: ['_kv_filter_error'] });
    expect(filter.metrics.sum('kv_failures_total')).toBe(1);
  });

  it('refuses a character that splits both fields and values', () => {
    const issues = kvFilterSchema.safeParse({ field_split: ' =', value_split: '=' }).error?.issues;
    expect(issues?.[0].message).toContain('in both field_split and value_split');
  });

  it('round-trips any map of simple keys to quoted values (property)', () => {
    const filter = makeFilter(kvFilter, { target: 'kv' });
    const key = fc.stringMatching(/^[a-z][a-z0-9_]{0,8}$/);
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ maxLength: 16 }), { maxKeys: 6 }), (pairs) => {
        const message = Object.entries(pairs).map(([k, v]) => `${k}="${v.replaceAll('\\', '\\\\').replaceAll('"', '\\"')}"`).join(' ');
        const [event] = filter.run([{ message }]);
        expect(event.kv ?? {}).toEqual(pairs);
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
