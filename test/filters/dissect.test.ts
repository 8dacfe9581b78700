import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { dissectFilter } from '../../filters/dissect/index.js';
import { dissectFilterSchema } from '../../filters/dissect/config.js';
import type { Event } from '../../pipeline/event.js';
import { makeFilter } from './helpers.js';

const one = (settings: Record<string, unknown>, event: Event) => makeFilter(dissectFilter, settings).run([event])[0];

describe('dissect filter', () => {
  it('splits the fixed layout of the issue', () => {
    const event = one(
      { mapping: { message: '%{hash} %{content_length} %{content_type}' }, convert_datatype: { content_length: 'int' } },
      { message: '371679e24301dc140fbb7d0fd7957adb9ad32e41 1625 audio/mpeg' },
    );
    expect(event).toEqual({ message: '371679e24301dc140fbb7d0fd7957adb9ad32e41 1625 audio/mpeg', hash: '371679e24301dc140fbb7d0fd7957adb9ad32e41', content_length: 1625, content_type: 'audio/mpeg' });
  });

  it('appends, skips, pads and writes nested references', () => {
    const event = one(
      { mapping: { message: '%{+ts->} %{+ts} %{+ts} %{[host][name]} %{?noise} %{[process][name]}[%{[process][pid]}]: %{msg}' }, convert_datatype: { '[process][pid]': 'int' } },
      { message: 'Mar  1 00:01:25 evita x postfix/smtpd[1713]: connect from [10.0.0.1]' },
    );
    // `Mar  1`: the padded key absorbs the second space; appends are joined by their delimiter.
    expect(event).toMatchObject({ ts: 'Mar 1 00:01:25', host: { name: 'evita' }, process: { name: 'postfix/smtpd', pid: 1713 }, msg: 'connect from [10.0.0.1]' });
    expect(event).not.toHaveProperty('noise');
  });

  it('orders appends by /n and names fields indirectly', () => {
    const event = one({ mapping: { message: '%{+name/2} %{+name/1} %{?k}=%{&k}' } }, { message: 'world hello color=blue' });
    expect(event).toMatchObject({ name: 'hello world', color: 'blue' });
  });

  it('honours a literal prefix and a trailing delimiter', () => {
    expect(one({ mapping: { message: '[%{level}] %{msg};' } }, { message: '[WARN] disk low; rest' })).toMatchObject({ level: 'WARN', msg: 'disk low' });
    expect(one({ mapping: { message: '[%{level}] %{msg}' } }, { message: 'WARN disk low' }).tags).toEqual(['_dissectfailure']);
  });

  it('tags and counts a line without the delimiters, and sets nothing', () => {
    const filter = makeFilter(dissectFilter, { mapping: { message: '%{a}|%{b}|%{c}' } });
    const [event] = filter.run([{ message: 'x|y' }]);
    expect(event).toEqual({ message: 'x|y', tags: ['_dissectfailure'] });
    expect(filter.metrics.sum('dissect_failures_total')).toBe(1);
  });

  it('leaves events without the source field alone, and tags a value that does not convert', () => {
    expect(one({ mapping: { message: '%{a} %{b}' } }, { other: 1 })).toEqual({ other: 1 });
    expect(one({ mapping: { message: '%{a} %{b}' }, convert_datatype: { b: 'float' } }, { message: 'x y' })).toMatchObject({ b: 'y', tags: ['_dissect_convert_failure'] });
  });

  it('refuses patterns that cannot split, with the position', () => {
    const problems = (pattern: string) => dissectFilterSchema.safeParse({ mapping: { message: pattern } }).error?.issues.map((i) => i.message);
    expect(problems('%{a}%{b}')).toEqual([expect.stringContaining('no delimiter between them at position 4')]);
    expect(problems('no keys')).toEqual([expect.stringContaining('no %{key}')]);
    expect(problems('%{a} %{&b}')).toEqual([expect.stringContaining('%{&b} has no %{?b}')]);
    expect(problems('%{a} %{b')).toEqual([expect.stringContaining('unclosed %{ at position 5')]);
  });

  it('recovers every field it was given, for any values without the delimiter (property)', () => {
    const filter = makeFilter(dissectFilter, { mapping: { message: '%{a} | %{b} | %{c}' } });
    const value = fc.string({ maxLength: 20 }).filter((s) => !s.includes(' | ') && !s.endsWith(' ') && !s.startsWith('| '));
    fc.assert(
      fc.property(value, value, fc.string({ maxLength: 20 }), (a, b, c) => {
        const [event] = filter.run([{ message: `${a} | ${b} | ${c}` }]);
        expect(event).toMatchObject({ a, b, c });
      }),
      { seed: 13, numRuns: 500 },
    );
  });
});
