/**
 * grok, dissect and kv in a running sluice (two worker processes, where the patterns are
 * compiled and V8's fallback is switched on by each worker): a hostile line does not hold up
 * the good lines behind it, and each filter's fields reach the output.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';

afterAll(killAllSluices);

describe('grok, dissect and kv in a running pipeline', () => {
  it('parses lines in the workers; a line built to backtrack is tagged and does not stall the rest', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
pipeline: { workers: 2 }
inputs:
  - { type: tcp, id: in, port: 0, codec: lines }
filters:
  - type: grok
    when: '[message] =~ /^GROK /'
    match: { message: ['^GROK %{WORDS}$', '^GROK %{COMBINEDAPACHELOG}'] }
    pattern_definitions: { WORDS: '(?<words>(?:\\w+\\s?)+)' }
  - type: dissect
    when: '[message] =~ /^DISSECT /'
    mapping: { message: 'DISSECT %{hash} %{content_length} %{content_type}' }
    convert_datatype: { content_length: int }
  - type: kv
    when: '[message] =~ /^KV /'
    target: kv
outputs:
  - { type: stdout, id: out }
`);
    const hostile = `GROK ${'a'.repeat(5000)}!`;
    const lines = [
      hostile,
      'GROK 10.0.0.7 - - [01/Dec/2026:19:46:11 +0000] "GET /x HTTP/1.1" 200 5 "-" "curl/8"',
      'DISSECT 371679e24301dc140fbb7d0fd7957adb9ad32e41 1625 audio/mpeg',
      'KV a=1 b="two words"',
    ];
    await sendTcp(sluice.port('in'), `${lines.join('\n')}\n`);
    const events = await sluice.waitForStdoutEvents(4, 20_000);
    const byStart = (prefix: string) => events.find((e) => typeof e.message === 'string' && e.message.startsWith(prefix));
    expect(byStart(`GROK ${'a'.repeat(10)}`)?.tags).toEqual(['_grokparsefailure']);
    expect(byStart('GROK 10.0.0.7')).toMatchObject({ source: { address: '10.0.0.7' }, http: { response: { status_code: 200 } } });
    expect(byStart('DISSECT')).toMatchObject({ hash: '371679e24301dc140fbb7d0fd7957adb9ad32e41', content_length: 1625, content_type: 'audio/mpeg' });
    expect(byStart('KV')).toMatchObject({ kv: { a: '1', b: 'two words' } });
    expect(await sluice.stop()).toBe(0);
  }, 30_000);
});
