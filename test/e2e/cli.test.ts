import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import { REPO_ROOT, killAllSluices, runSluiceCommand, startSluice, writeConfig } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';

afterAll(killAllSluices);
import { referenceMarkdown } from '../../pipeline/docs.js';

describe('sluice CLI', () => {
  it('check: exits 0 with a one-line summary on a good file', async () => {
    const path = writeConfig('inputs:\n  - type: tcp\noutputs:\n  - type: stdout\n');
    const { code, stdout } = await runSluiceCommand(['check', '-c', path]);
    expect(code).toBe(0);
    expect(stdout.trim().split('\n')).toEqual([`ok: ${path}: 1 input (tcp), 0 filters, 1 output (stdout)`]);
  });

  it('check: exits 2 and prints every error with its path and value', async () => {
    const path = writeConfig('inputs:\n  - type: tcp\n    port: abc\n    bogus: 1\n  - type: carrier_pigeon\noutputs:\n  - type: stdout\n');
    const { code, stderr } = await runSluiceCommand(['check', '-c', path]);
    expect(code).toBe(2);
    expect(stderr).toContain('inputs[0].port: expected an integer 0..65535 (0: the OS picks a free port), got "abc"');
    expect(stderr).toContain('inputs[0].bogus: unknown key');
    expect(stderr).toMatch(/inputs\[1\]\.type: unknown input type "carrier_pigeon" \(known: [^)]*tcp/);
  });

  it('run: refuses a bad file before opening any port', async () => {
    const path = writeConfig('inputs:\n  - type: tcp\n    port: 99999\noutputs:\n  - type: stdout\n');
    const { code, stderr } = await runSluiceCommand(['run', '-c', path]);
    expect(code).toBe(2);
    expect(stderr).toContain('inputs[0].port');
    expect(stderr).not.toContain('listening');
  });

  it('check: a missing file is a clear error', async () => {
    const { code, stderr } = await runSluiceCommand(['check', '-c', '/nonexistent/pipeline.yml']);
    expect(code).toBe(2);
    expect(stderr).toContain('/nonexistent/pipeline.yml: cannot read: no such file');
  });

  it('--help, --version and bad flags', async () => {
    const help = await runSluiceCommand(['--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('run [-c FILE]');
    const version = await runSluiceCommand(['--version']);
    const pkg = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(version.stdout.trim()).toBe(`sluice ${pkg.version}`);
    expect((await runSluiceCommand(['run', '--log-level', 'loud'])).code).toBe(2);
    expect((await runSluiceCommand(['frobnicate'])).code).toBe(2);
  });

  it('run without -c starts the built-in default pipeline: JSON over TCP and UDP, json and trace_id filters, stdout', async () => {
    // The default listens on 5000 and 9600; the variables let the OS pick so tests never collide.
    const sluice = await startSluice(null, { env: { SLUICE_TCP_PORT: '0', SLUICE_UDP_PORT: '0', SLUICE_API_PORT: '0', ELASTICSEARCH_URL: '' } });
    expect(sluice.inputs.map((i) => i.id)).toEqual(['tcp_json', 'udp_json']);
    const nested = JSON.stringify({ event: 'from the default pipeline', request_id: 'req-77' });
    await sendTcp(sluice.port('tcp_json'), `${JSON.stringify({ message: nested, host: 'web-1' })}\nplain text line\n`);
    const [event, plain] = await sluice.waitForStdoutEvents(2);
    expect(event).toMatchObject({ message: 'from the default pipeline', request_id: 'req-77', trace: { id: 'req-77' }, host: { name: 'web-1' }, tags: ['traced'] });
    // Not JSON: the json_lines codec keeps the text in message, tagged once; the json filter (skip_on_invalid_json) adds nothing.
    expect(plain.tags).toEqual(['_jsonparsefailure']);
    expect(await sluice.stop()).toBe(0);
  });

  it('README plugin reference matches the schemas', () => {
    const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- plugin-reference:start -->');
    const end = readme.indexOf('<!-- plugin-reference:end -->');
    expect(start, 'README has the plugin reference markers').toBeGreaterThan(-1);
    const section = readme.slice(start + '<!-- plugin-reference:start -->'.length, end).trim();
    expect(section, 'run `npm run docs` to regenerate the README plugin reference').toBe(referenceMarkdown().trim());
  });
});
