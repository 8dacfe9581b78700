import { describe, expect, it } from 'vitest';
import { mutateFilter } from '../../filters/mutate/index.js';
import { dropFilter } from '../../filters/drop/index.js';
import type { Event } from '../../pipeline/event.js';
import { makeFilter } from './helpers.js';

describe('mutate filter', () => {
  it('applies every operation in the fixed order', () => {
    const [event] = makeFilter(mutateFilter, {
      rename: { lvl: '[log][level]' },
      copy: { '[log][level]': 'level_copy' },
      replace: { service: 'svc-%{env}' },
      convert: { status: 'integer', ratio: 'float', ok: 'boolean', code: 'string', list: 'integer' },
      lowercase: ['level_copy'],
      uppercase: ['env'],
      strip: ['padded'],
      add_field: { 'from_%{env}': 'level is %{[log][level]}', env: 'second' },
      remove_field: ['secret'],
      add_tag: ['seen', 'env-%{env}'],
      remove_tag: ['old'],
    }).run([{ lvl: 'WARN', env: 'prod', status: '503', ratio: '0.25', ok: 'yes', code: 7, list: ['1', '2'], padded: '  x ', secret: 'pw', tags: ['old', 'keep'] } as Event]);
    expect(event).toEqual({
      log: { level: 'WARN' },
      level_copy: 'warn',
      service: 'svc-prod',
      status: 503,
      ratio: 0.25,
      ok: true,
      code: '7',
      list: [1, 2],
      padded: 'x',
      env: ['PROD', 'second'],
      from_PROD: 'level is WARN',
      // add_field ran first, so env is an array by the time add_tag reads it.
      tags: ['keep', 'seen', 'env-["PROD","second"]'],
    });
  });

  it('tags a value that does not convert and leaves it as it was', () => {
    const [event] = makeFilter(mutateFilter, { convert: { n: 'integer' } }).run([{ n: 'twelve' } as Event]);
    expect(event).toEqual({ n: 'twelve', tags: ['_mutate_error'] });
  });
});

describe('drop filter', () => {
  it('drops everything by default and counts it', () => {
    const drop = makeFilter(dropFilter, {});
    expect(drop.run([{ message: 'a' }, { message: 'b' }])).toEqual([]);
    expect(drop.metrics.sum('filter_events_dropped_total')).toBe(2);
  });

  it('drops about the configured percentage', () => {
    const drop = makeFilter(dropFilter, { percentage: 25 });
    const events: Event[] = Array.from({ length: 4000 }, (_, i) => ({ message: String(i) }));
    const kept = drop.run(events).length;
    expect(kept).toBeGreaterThan(2700);
    expect(kept).toBeLessThan(3300);
    expect(drop.metrics.sum('filter_events_dropped_total')).toBe(4000 - kept);
  });
});
