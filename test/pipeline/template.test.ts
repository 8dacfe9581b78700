import { describe, expect, it } from 'vitest';
import { compileTemplate } from '../../pipeline/template.js';
import { getField, parseFieldReference, removeField, setField } from '../../pipeline/fields.js';
import type { Event } from '../../pipeline/event.js';

const event: Event = { '@timestamp': '2026-03-04T05:06:07.089Z', trace: { id: 'abc' }, service: 'web', n: 3, '@metadata': { beat: 'filebeat', version: '8.15.0' } };

describe('templates', () => {
  it.each([
    ['sluice-%{+yyyy.MM.dd}', 'sluice-2026.03.04'],
    ['%{[trace][id]}/%{service}', 'abc/web'],
    ['%{[@metadata][beat]}-%{[@metadata][version]}-%{+yyyy.MM.dd}', 'filebeat-8.15.0-2026.03.04'],
    ['n=%{n} t=%{+HH:mm:ss.SSS}', 'n=3 t=05:06:07.089'],
    ['missing-%{[no][such]}', 'missing-%{[no][such]}'],
    ['plain', 'plain'],
  ])('%s', (text, expected) => {
    expect(compileTemplate(text)(event)).toBe(expected);
  });

  it('rejects a malformed reference at compile time', () => {
    expect(() => compileTemplate('%{[a][b}')).toThrow(/malformed field reference/);
  });
});

describe('field references', () => {
  it('parses nested and bare references', () => {
    expect(parseFieldReference('[log][level]')).toEqual(['log', 'level']);
    expect(parseFieldReference('message')).toEqual(['message']);
    expect(() => parseFieldReference('[a]b')).toThrow();
  });

  it('gets, sets and removes nested fields', () => {
    const e: Event = { host: 'web-1' };
    setField(e, ['host', 'name'], 'web-1');
    expect(e).toEqual({ host: { name: 'web-1' } });
    expect(getField(e, ['host', 'name'])).toBe('web-1');
    expect(removeField(e, ['host', 'name'])).toBe('web-1');
    expect(getField(e, ['host', 'name'])).toBeUndefined();
  });
});
