/**
 * Conformance: every case of the shared syslog corpus (real messages with expected fields),
 * plus variants the corpus does not have yet, through the syslog codec.
 */
import { describe, expect, it } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseSyslog } from '../../../inputs/codecs/syslog/index.js';
import { zoneOffset } from '../../../pipeline/zone.js';
import { getField } from '../../../pipeline/fields.js';
import type { Event, FieldValue } from '../../../pipeline/event.js';
import { REPO_ROOT } from '../../helpers/sluice.js';

interface Case {
  id: string;
  raw: string;
  received: string;
  timezone?: string;
  expect: Array<[string[], FieldValue]>;
}

// The shared corpus lives beside the repository (it is test data, not ours to copy in);
// SLUICE_SYSLOG_CORPUS points elsewhere.
const corpusFile = [process.env.SLUICE_SYSLOG_CORPUS, resolve(REPO_ROOT, '..', 'shared', 'corpus', 'syslog', 'messages.jsonl'), '/work/shared/corpus/syslog/messages.jsonl'].find(
  (candidate): candidate is string => candidate !== undefined && existsSync(candidate),
);
const corpus: Case[] =
  corpusFile === undefined
    ? []
    : readFileSync(corpusFile, 'utf8')
        .split('\n')
        .filter((line) => line.trim().length > 0)
        .map((line) => JSON.parse(line) as Case);

/** Variants the shared corpus lacks; the same format. */
const extra: Case[] = [
  { id: 'bsd-fraction', raw: '<13>Nov 22 10:01:02.250 host app: x', received: '2026-11-22T12:00:00Z', expect: [[['@timestamp'], '2026-11-22T10:01:02.250Z']] },
  { id: 'bsd-timezone', raw: '<13>Jul  4 10:00:00 host app: summer', received: '2026-07-04T12:00:00Z', timezone: 'Europe/Paris', expect: [[['@timestamp'], '2026-07-04T08:00:00.000Z']] },
  { id: 'bsd-january-in-december', raw: '<13>Jan  1 00:00:01 host app: early', received: '2026-12-31T23:59:58Z', expect: [[['@timestamp'], '2027-01-01T00:00:01.000Z']] },
  { id: 'pri-only', raw: '<13>just some text', received: '2026-11-22T12:00:00Z', expect: [[['message'], 'just some text'], [['log', 'syslog', 'priority'], 13], [['@timestamp'], '2026-11-22T12:00:00.000Z']] },
  { id: 'pri-leading-zero', raw: '<013>Nov 22 10:01:02 host app: x', received: '2026-11-22T12:00:00Z', expect: [[['tags'], ['_syslogparsefailure']]] },
  { id: 'no-pri-no-header', raw: 'hello world', received: '2026-11-22T12:00:00Z', expect: [[['tags'], ['_syslogparsefailure']], [['message'], 'hello world'], [['event', 'original'], 'hello world']] },
  { id: 'no-pri-tagged', raw: 'Nov 22 10:01:02 web-1 app: no pri', received: '2026-11-22T12:00:00Z', expect: [[['tags'], ['_syslognopri']]] },
  { id: '5424-repeated-param', raw: '<14>1 2026-11-22T10:00:00Z h a - - [x@1 ip="10.0.0.1" ip="10.0.0.2"] m', received: '2026-11-22T12:00:00Z', expect: [[['log', 'syslog', 'structured_data', 'x@1', 'ip'], ['10.0.0.1', '10.0.0.2']]] },
  { id: '5424-bad-sd', raw: '<14>1 2026-11-22T10:00:00Z h a - - [x@1 ip="unterminated] m', received: '2026-11-22T12:00:00Z', expect: [[['tags'], ['_syslogparsefailure']]] },
  { id: '5424-no-offset-uses-zone', raw: '<14>1 2026-11-22T10:00:00 h a - - - m', received: '2026-11-22T12:00:00Z', timezone: '+02:00', expect: [[['@timestamp'], '2026-11-22T08:00:00.000Z']] },
  { id: '5424-fields', raw: '<14>1 2026-11-22T10:00:00Z web-1 app worker.3 M1 - m', received: '2026-11-22T12:00:00Z', expect: [[['host', 'hostname'], 'web-1'], [['process', 'name'], 'app'], [['log', 'syslog', 'procid'], 'worker.3'], [['log', 'syslog', 'severity', 'name'], 'informational'], [['log', 'syslog', 'facility', 'name'], 'user-level']] },
  { id: 'crlf-and-nul', raw: '<13>Nov 22 10:01:02 host app: trailing\r\u0000', received: '2026-11-22T12:00:00Z', expect: [[['message'], 'trailing']] },
  { id: 'cisco-seq-field', raw: '<189>52: *Mar  1 00:05:12.345: %LINK-3-UPDOWN: up', received: '2026-11-22T12:00:00Z', expect: [[['event', 'sequence'], 52], [['message'], '%LINK-3-UPDOWN: up'], [['@timestamp'], '2026-03-01T00:05:12.345Z']] },
];

function check(c: Case): void {
  const event: Event = parseSyslog(c.raw, Date.parse(c.received), zoneOffset(c.timezone ?? 'UTC'));
  for (const [path, expected] of c.expect) {
    const actual = getField(event, path);
    if (path.length === 1 && path[0] === '@timestamp') {
      expect(Date.parse(String(actual)), `${c.id}: @timestamp ${String(actual)}`).toBe(Date.parse(String(expected)));
    } else if (Array.isArray(expected) && path[path.length - 1] === 'tags') {
      expect(actual, `${c.id}: tags`).toEqual(expect.arrayContaining(expected));
    } else {
      expect(actual, `${c.id}: ${path.join('.')}`).toEqual(expected);
    }
  }
  const failed = Array.isArray(event.tags) && event.tags.includes('_syslogparsefailure');
  const expectsFailure = c.expect.some(([path, value]) => path[0] === 'tags' && Array.isArray(value) && value.includes('_syslogparsefailure'));
  expect(failed, `${c.id}: parse failure tag`).toBe(expectsFailure);
  if (failed) expect(getField(event, ['event', 'original'])).toBe(c.raw.replace(/[\r\n\0]+$/, ''));
}

describe('syslog conformance corpus', () => {
  // Skipped (and shown as skipped) only where the shared corpus is not checked out beside the repo.
  describe.skipIf(corpusFile === undefined)('shared corpus (../shared/corpus/syslog)', () => {
    it('has every case', () => {
      expect(corpus.length).toBeGreaterThanOrEqual(31);
    });
    it.each(corpus.map((c) => [c.id, c] as const))('%s', (_id, c) => check(c));
  });
  it.each(extra.map((c) => [c.id, c] as const))('extra: %s', (_id, c) => check(c));
});
