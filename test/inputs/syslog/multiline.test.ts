/**
 * The syslog input's multi-line routing: a stream per sender program, header-less TCP frames on
 * the stream before them, and the message's text with the indentation the codec trims.
 */
import { describe, expect, it } from 'vitest';
import { parseSyslog } from '../../../inputs/codecs/syslog/index.js';
import { connectionStreamOf, messageAsSent, senderStreamOf } from '../../../inputs/syslog/multiline.js';
import { zoneOffset } from '../../../pipeline/zone.js';

const parse = (raw: string) => parseSyslog(raw, 0, zoneOffset('UTC'));

describe('syslog multi-line routing', () => {
  it('restores the indentation rsyslog forwarded, in RFC 3164 and RFC 5424', () => {
    const cases: Array<[string, string]> = [
      ['<133>Dec  1 20:41:58 vm orders: Traceback (most recent call last):', 'Traceback (most recent call last):'],
      ['<133>Dec  1 20:41:58 vm orders:  File "/srv/app/views.py", line 12, in checkout', '  File "/srv/app/views.py", line 12, in checkout'],
      ['<133>Dec  1 20:41:58 vm orders:    total = price / qty', '    total = price / qty'],
      ['<133>Dec  1 20:41:58 vm orders: \tat com.example.A.run(A.java:3)', '\tat com.example.A.run(A.java:3)'],
      ['<133>1 2026-12-01T20:42:01.618465+00:00 vm orders - - -   File "/srv/app/views.py", line 12, in checkout', '  File "/srv/app/views.py", line 12, in checkout'],
      ['<133>1 2026-12-01T20:42:01.618465+00:00 vm orders - - - ZeroDivisionError: division by zero', 'ZeroDivisionError: division by zero'],
      ['<133>1 2026-12-01T20:42:01.618465+00:00 vm orders - - - \tat com.example.A.run(A.java:3)\n', '\tat com.example.A.run(A.java:3)'],
      ['  File "/a.py", line 1, in f\u0000', '  File "/a.py", line 1, in f'],
    ];
    for (const [raw, text] of cases) expect(messageAsSent(raw, parse(raw)), raw).toBe(text);
  });

  it('keys a stream by the sender and the header\'s host, app and pid; header-less frames continue the one before', () => {
    const first = '<11>django.request[42]: boom';
    const a = connectionStreamOf(first, parse(first), '10.0.0.1:5000', undefined);
    expect(connectionStreamOf('Traceback (most recent call last):', parse('Traceback (most recent call last):'), '10.0.0.1:5000', a)).toBe(a);
    const other = '<11>django.request[43]: boom';
    expect(connectionStreamOf(other, parse(other), '10.0.0.1:5000', a)).not.toBe(a);
    expect(senderStreamOf(first, parse(first), '10.0.0.1:1', { address: '10.0.0.1' })).toBe(senderStreamOf(first, parse(first), '10.0.0.1:2', { address: '10.0.0.1' }));
  });
});
