import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { libraryDefinitions } from '../../filters/grok/library.js';
import { compilePattern } from '../../filters/grok/compile.js';
import { grokFilter } from '../../filters/grok/index.js';
import { makeFilter } from './helpers.js';

const definitions = libraryDefinitions();
const whole = (name: string) => compilePattern(`^%{${name}}$`, name, definitions, true).regex;

describe('grok pattern library', () => {
  it('every pattern compiles, and every one can fall back to the linear engine', () => {
    const names = [...definitions.keys()];
    expect(names.length).toBeGreaterThan(120);
    for (const name of names) expect(compilePattern(`%{${name}}`, name, definitions, true).linear, name).toBe(true);
  });

  it.each([
    ['INT', ['0', '-12', '+7'], ['1.5', 'x']],
    ['NUMBER', ['3.14', '-0.5', '.5', '10'], ['1e', '--1']],
    ['POSINT', ['1', '42'], ['0', '-1']],
    ['WORD', ['hello_1'], ['two words']],
    ['IPV4', ['10.0.0.1', '255.255.255.255'], ['256.1.1.1', '1.2.3']],
    ['IPV6', ['::1', '::', '2001:db8::ff00:42:8329', 'fe80::1%eth0', '::ffff:192.0.2.1', '2001:0db8:0000:0000:0000:ff00:0042:8329'], ['12:30', '1:2:3']],
    ['HOSTNAME', ['example.com', 'a-b.c_d.example.org.', 'localhost'], ['-bad', 'a b']],
    ['IPORHOST', ['10.1.2.3', 'db-1.internal'], ['']],
    ['UUID', ['4bf92f35-77b3-4da6-a3ce-929d0e0e4736'], ['4bf92f35-77b3-4da6-a3ce']],
    ['MAC', ['00:1a:2b:3c:4d:5e', '00-1A-2B-3C-4D-5E', '001a.2b3c.4d5e'], ['00:1a:2b']],
    ['UNIXPATH', ['/var/log/nginx/access.log', '/'], ['relative/path']],
    ['WINPATH', ['C:\\Windows\\System32', '\\\\server\\share'], ['/unix']],
    ['URI', ['https://user:pw@example.com:8443/a/b?x=1&y=2', 'ftp://10.0.0.1/file', 'mailto://a@b'], ['not a uri']],
    ['URIPATHPARAM', ['/api/v1/orders?id=42&sort=-date'], ['api']],
    ['TIMESTAMP_ISO8601', ['2026-12-01T19:46:11Z', '2026-12-01 19:46:11,123', '2026-12-01T19:46:11.123456+05:30'], ['2026-13-01T00:00:00']],
    ['HTTPDATE', ['10/Oct/2000:13:55:36 -0700'], ['10/10/2000:13:55:36']],
    ['SYSLOGTIMESTAMP', ['Dec  1 19:46:11', 'Jan 15 01:02:03'], ['Dec 1 25:00:00']],
    ['DATESTAMP', ['12/01/2026 19:46:11', '01.12.2026 19:46:11'], ['2026/12/01']],
    ['DATESTAMP_RFC2822', ['Tue, 1 Dec 2026 19:46:11 +0000'], ['1 Dec 2026']],
    ['LOGLEVEL', ['INFO', 'warn', 'Warning', 'ERROR', 'err', 'CRITICAL', 'debug', 'DEBUG2', 'fatal', 'notice', 'EMERG', 'TRACE', 'PANIC'], ['LOUD']],
    ['QUOTEDSTRING', ['"a \\"b\\" c"', "'single'"], ['"open']],
  ])('%s', (name, good, bad) => {
    const regex = whole(name);
    for (const text of good) expect(regex.test(text), `${name} should match ${text}`).toBe(true);
    for (const text of bad) expect(regex.test(text), `${name} should not match ${text}`).toBe(false);
  });

  it('COMBINEDAPACHELOG recovers every field of any line in that format (property)', () => {
    const filter = makeFilter(grokFilter, { match: { message: '%{COMBINEDAPACHELOG}' } });
    const token = fc.stringMatching(/^[a-zA-Z0-9._-]{1,12}$/);
    const quoted = fc.stringMatching(/^[ -!#-\[\]-~]{1,30}$/); // printable, no quote or backslash
    const path = fc.stringMatching(/^\/[a-zA-Z0-9\/._?=&%-]{0,30}$/);
    fc.assert(
      fc.property(fc.ipV4(), token, fc.constantFrom('GET', 'POST', 'DELETE'), path, fc.integer({ min: 100, max: 599 }), fc.nat(10_000_000), quoted, quoted, (ip, user, method, url, status, bytes, referrer, agent) => {
        const message = `${ip} - ${user} [01/Dec/2026:19:46:11 +0000] "${method} ${url} HTTP/1.1" ${status} ${bytes} "${referrer}" "${agent}"`;
        const [event] = filter.run([{ message }]);
        expect(event).toEqual({
          message,
          source: { address: ip },
          ...(user === '-' ? {} : { user: { name: user } }),
          timestamp: '01/Dec/2026:19:46:11 +0000',
          http: { request: { method, ...(referrer === '-' ? {} : { referrer }) }, version: '1.1', response: { status_code: status, body: { bytes } } },
          url: { original: url },
          ...(agent === '-' ? {} : { user_agent: { original: agent } }),
        });
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('never throws and always answers on arbitrary text (fuzz)', () => {
    const filter = makeFilter(grokFilter, { match: { message: ['%{COMBINEDAPACHELOG}', '%{SYSLOGLINE}', '%{HAPROXYHTTP}', '%{NGINX_ERRORLOG}', '%{POSTGRESQL}'] } });
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (message) => {
        const [event] = filter.run([{ message }]);
        expect(event.message === message || Array.isArray(event.message) || event.tags !== undefined || Object.keys(event).length >= 1).toBe(true);
      }),
      { seed: 13, numRuns: Number(process.env.SLUICE_FUZZ_RUNS ?? 500) },
    );
  });
});
