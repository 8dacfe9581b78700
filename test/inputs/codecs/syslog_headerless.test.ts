/**
 * Messages with a PRI and no header, as Python's logging.handlers.SysLogHandler sends them:
 * `<PRI>tag[pid]: msg`, `<PRI>tag: msg` (an `ident`), `<PRI>msg` (the default formatter), with
 * the NUL it appends. The tag and pid are read as rsyslog reads them.
 */
import { describe, expect, it } from 'vitest';
import { parseSyslog } from '../../../inputs/codecs/syslog/index.js';
import { zoneOffset } from '../../../pipeline/zone.js';

const RECEIVED = Date.parse('2026-11-22T12:00:00Z');
const parse = (raw: string) => parseSyslog(raw, RECEIVED, zoneOffset('UTC'));

describe('syslog without a header (Python SysLogHandler)', () => {
  it('reads tag[pid]: into process.name and process.pid, and keeps the rest as the message', () => {
    const event = parse('<155>django.request[4242]: Internal Server Error: /api/orders/42\u0000');
    expect(event).toEqual({
      '@timestamp': '2026-11-22T12:00:00.000Z',
      message: 'Internal Server Error: /api/orders/42',
      process: { name: 'django.request', pid: 4242 },
      log: { syslog: { priority: 155, facility: { code: 19, name: 'local3' }, severity: { code: 3, name: 'error' }, appname: 'django.request', procid: 4242 } },
    });
  });

  it('reads an ident (tag:) without a pid', () => {
    const event = parse('<14>orders: order 42 created\u0000');
    expect(event.process).toEqual({ name: 'orders' });
    expect(event.message).toBe('order 42 created');
    expect(event.tags).toBeUndefined();
  });

  it('keeps a message without a tag whole, as before', () => {
    expect(parse('<14>order 42 created\u0000')).toMatchObject({ message: 'order 42 created', log: { syslog: { priority: 14 } } });
    expect(parse('<14>order 42 created').process).toBeUndefined();
  });

  it('reads a non-numeric pid as a procid only, and keeps an empty message', () => {
    const event = parse('<14>worker[main]:');
    expect(event.process).toEqual({ name: 'worker' });
    expect(event.log).toMatchObject({ syslog: { appname: 'worker', procid: 'main' } });
    expect(event.message).toBe('');
  });

  it('gives no host: the sender wrote none', () => {
    expect(parse('<14>app[1]: x').host).toBeUndefined();
  });
});
