/**
 * Events out of a .conf pipeline, field for field, for cases Logstash's documentation
 * describes (input `type` and `tags`, mutate's fixed order, a conditional evaluated once for its
 * branch, on-success options, date, one level of json, drop); then the same events out of the
 * YAML `sluice convert` printed for it. `sluice check` and `convert` on a .conf by extension.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, SLUICE_BIN, startSluice, type JsonObject } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';

afterAll(killAllSluices);

const CONF = `
input {
  tcp { id => "app" port => 0 codec => json_lines type => "django" tags => ["shop"] }
}
filter {
  if [kind] == "a" {
    mutate { replace => { "kind" => "b" } }
    mutate { add_tag => ["was_a"] }
  } else if [kind] == "b" {
    mutate { add_tag => ["was_b"] }
  }
  mutate { copy => { "level" => "level_seen" } lowercase => ["level"] }
  grok { match => { "message" => "^GET %{URIPATH:path}$" } add_tag => ["http"] }
  date { match => ["ts", "dd/MMM/yyyy:HH:mm:ss Z"] }
  json { source => "payload" target => "data" }
  if [path] == "/health" { drop { } }
}
output { stdout { codec => json_lines } }
`;

const INPUT = [
  { n: 1, kind: 'a', level: 'ERROR', message: 'GET /cart' },
  { n: 2, kind: 'b', type: 'given', level: 'INFO', message: 'not http' },
  { n: 3, message: 'GET /health' },
  { n: 4, ts: '01/Dec/2026:10:11:12 +0100', payload: '{"inner":"{\\"deep\\":1}"}', message: 'x' },
];

/** What Logstash gives for INPUT (its documentation's semantics), without @timestamp where it is the ingest time. */
const EXPECTED: JsonObject[] = [
  { n: 1, kind: 'b', type: 'django', level: 'error', level_seen: 'error', message: 'GET /cart', path: '/cart', tags: ['shop', 'was_a', 'http'] },
  { n: 2, kind: 'b', type: 'given', level: 'info', level_seen: 'info', message: 'not http', tags: ['shop', 'was_b', '_grokparsefailure'] },
  { n: 4, type: 'django', ts: '01/Dec/2026:10:11:12 +0100', '@timestamp': '2026-12-01T09:11:12.000Z', payload: '{"inner":"{\\"deep\\":1}"}', data: { inner: '{"deep":1}' }, message: 'x', tags: ['shop', '_grokparsefailure'] },
];

async function eventsOf(config: string, args: string[]): Promise<JsonObject[]> {
  const sluice = await startSluice(config, { args });
  await sendTcp(sluice.port('app'), `${INPUT.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const events = await sluice.waitForStdoutEvents(3);
  expect(await sluice.stop()).toBe(0);
  return events
    .map((e) => (e.n === 4 ? e : Object.fromEntries(Object.entries(e).filter(([k]) => k !== '@timestamp'))))
    .sort((a, b) => Number(a.n) - Number(b.n));
}

function cli(args: string[]) {
  return spawnSync(process.execPath, [SLUICE_BIN, ...args], { encoding: 'utf8', timeout: 20_000 });
}

describe('a .conf pipeline gives Logstash\'s events', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-logstash-'));
  const confPath = join(dir, 'pipeline.conf');
  writeFileSync(confPath, CONF);

  it('field for field, and the converted YAML gives the same', async () => {
    expect(await eventsOf(CONF, ['--format', 'logstash'])).toEqual(EXPECTED);
    const converted = cli(['convert', confPath]);
    expect(converted.status, converted.stderr).toBe(0);
    expect(converted.stdout).toContain('# evaluates the if once');
    expect(await eventsOf(`${converted.stdout}\napi: { port: 0 }\n`, [])).toEqual(EXPECTED);
  });

  it('run logs an option without effect as a warning with its position, and runs', async () => {
    const sluice = await startSluice('input { udp { id => "u" port => 0 workers => 2 } }\noutput { stdout { codec => json_lines } }\n', { args: ['--format', 'logstash'] });
    const line = await sluice.waitForLog((l) => l.code === 'SLUICE_CONFIG_LOGSTASH_IGNORED');
    expect(line.warning).toMatch(/:1:35: input udp: option workers has no effect in sluice/);
    expect(await sluice.stop()).toBe(0);
  });

  it('check reads a .conf by its extension; --format yaml overrides it', () => {
    const ok = cli(['check', '-c', confPath]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^ok: .*pipeline\.conf: 1 input \(tcp\), \d+ filters \((mutate, )+grok, mutate, date, json, drop\), 1 output \(stdout\)\n$/);
    const asYaml = cli(['check', '-c', confPath, '--format', 'yaml']);
    expect(asYaml.status).toBe(2);
    expect(asYaml.stderr).toContain('SLUICE_CONFIG_');
  });

  it('check prints warnings and refusals with their positions', () => {
    const path = join(dir, 'bad.conf');
    writeFileSync(path, 'input {\n  udp { port => 0 workers => 2 }\n}\noutput {\n  stdout { codec => dots }\n}\n');
    const bad = cli(['check', '-c', path]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain(`sluice: warning: ${path}:2:19: input udp: option workers has no effect in sluice`);
    expect(bad.stderr).toContain(`${path}:5:21: output stdout: codec "dots" is not supported here`);
    expect(bad.stderr).toContain('[SLUICE_CONFIG_LOGSTASH_UNSUPPORTED]');
    const convert = cli(['convert', path]);
    expect(convert.status).toBe(2);
    expect(convert.stdout).toBe('');
  });
});
