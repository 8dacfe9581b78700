import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { killAllSluices, SLUICE_BIN, startSluice, writeConfig } from '../helpers/sluice.js';

afterAll(killAllSluices);

// A tmux server of this test's own (its own socket), so nobody else's sessions are touched.
const SOCKET = `sluice-tty-logs-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // no session left
  }
});

/** The pane's text, wrapped lines joined (-J); with `escapes`, the colours too (-e). */
const pane = (name: string, escapes = false) => tmux('capture-pane', '-p', '-J', ...(escapes ? ['-e'] : []), '-t', name, '-S', '-200');

/** Reads the pane until `check` holds on its text, or fails with what the pane showed. */
async function waitForPane(name: string, check: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = pane(name);
    if (check(text)) return text;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the pane never showed what was expected; it showed:\n${text}`);
}

/** `sluice run` in a terminal of its own; the shell stays after it exits, to read its last lines. */
function runInTerminal(name: string, args: string): void {
  tmux('new-session', '-d', '-s', name, '-x', '200', '-y', '50', `NO_COLOR= node ${SLUICE_BIN} run ${args} 2>&1; echo "exit=$?"; sleep 120`);
}

// Linux grants twice min(asked, rmem_max): asking for more than twice the cap is always cut.
const rmemMax = Number(readFileSync('/proc/sys/net/core/rmem_max', 'utf8'));
const TWO_WORKERS = `
api: { port: 0 }
pipeline: { workers: 2 }
inputs:
  - { type: tcp, id: app, port: 0 }
  - { type: udp, id: capped, port: 0, receive_buffer_bytes: ${2 * rmemMax + 65536} }
outputs:
  - { type: stdout, id: console }
`;

const count = (text: string, needle: string | RegExp) => text.split('\n').filter((l) => (typeof needle === 'string' ? l.includes(needle) : needle.test(l))).length;

describe("sluice's own logs on a terminal", () => {
  it('are readable lines, coloured, with one start-up summary and one UDP warning for two workers', async () => {
    runInTerminal('pretty', `-c ${writeConfig(TWO_WORKERS)}`);
    const text = await waitForPane('pretty', (t) => t.includes('status page'));
    // No JSON: every line of sluice's is time, level, message.
    expect(text).not.toContain('{"level"');
    // Once, by the primary: the summary, and the kernel's cap on the socket both workers share.
    expect(count(text, 'started: 2 workers')).toBe(1);
    expect(count(text, /\blistening\b/)).toBe(1);
    expect(count(text, 'SLUICE_UDP_BUFFER_CAPPED')).toBe(1);
    const warning = text.split('\n').find((l) => l.includes('SLUICE_UDP_BUFFER_CAPPED')) ?? '';
    expect(warning).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}UDP receive buffer on port \d+ is \d+ bytes/);
    expect(warning).toContain(`asked=${2 * rmemMax + 65536} granted=${2 * rmemMax} workers=2`);
    // The summary: what listens where, where events go, the API and the status page.
    expect(text).toMatch(/INFO {2}sluice \S+ started: 2 workers, pid \d+, config \S+/);
    expect(text).toMatch(/listening +app +tcp +0\.0\.0\.0:\d+\n +capped +udp +0\.0\.0\.0:\d+/);
    expect(text).toMatch(/events to +console +stdout/);
    const statusPage = /status page +(http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
    expect(statusPage).toBeDefined();
    expect(text).toContain(`API          ${statusPage}stats`);
    // The URL the summary gives is the status page.
    const page = await fetch(statusPage!);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toContain('text/html');
    // Coloured: the level is painted (yellow for a warning).
    expect(pane('pretty', true)).toContain('\u001b[33mWARN');

    tmux('send-keys', '-t', 'pretty', 'C-c');
    const after = await waitForPane('pretty', (t) => t.includes('exit='));
    expect(after).toContain('exit=0');
    expect(after).toMatch(/INFO {2}stopped workers=2 /);
    expect(after).not.toContain('{"level"');
  });

  it('are JSON on a terminal with --log-format json, which overrides log_format in the file', async () => {
    runInTerminal('json', `-c ${writeConfig(`log_format: pretty\n${TWO_WORKERS}`)} --log-format json`);
    const text = await waitForPane('json', (t) => t.includes('"sluice started"'));
    const records = text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(records.find((r) => r.msg === 'sluice started')).toMatchObject({ workers: 2, outputs: [{ id: 'console', type: 'stdout' }] });
    tmux('send-keys', '-t', 'json', 'C-c');
    expect(await waitForPane('json', (t) => t.includes('exit='))).toContain('exit=0');
  });
});

describe("sluice's own logs with stderr piped", () => {
  it('stay JSON lines: the UDP warning once for two workers, a listening line per worker, the start-up facts', async () => {
    const sluice = await startSluice(TWO_WORKERS);
    const started = sluice.logLines.find((l) => l.msg === 'sluice started');
    expect(started).toMatchObject({ workers: 2, outputs: [{ id: 'console', type: 'stdout' }] });
    expect(started?.status_page).toBe(`${String(started?.api_url)}/`);
    expect(await (await fetch(String(started?.status_page))).text()).toContain('<html');
    const capped = sluice.logLines.filter((l) => l.code === 'SLUICE_UDP_BUFFER_CAPPED');
    expect(capped).toHaveLength(1);
    expect(capped[0]).toMatchObject({ level: 40, workers: 2, port: sluice.port('capped'), granted: 2 * rmemMax });
    // The status page's recent warnings have it once too (not once per worker, nor once more by the primary).
    const status = (await (await fetch(`${String(started?.api_url)}/status.json`)).json()) as { logs: Array<{ fields: Record<string, unknown> }> };
    expect(status.logs.filter((l) => l.fields.code === 'SLUICE_UDP_BUFFER_CAPPED')).toHaveLength(1);
    // Tools reading JSON still see each worker bind (a replacement worker's line says it is back).
    expect(new Set(sluice.logLines.filter((l) => l.msg === 'listening').map((l) => l.worker))).toEqual(new Set([0, 1]));
    expect(sluice.rawStderr.every((l) => l.startsWith('{'))).toBe(true);
    // A replacement worker is announced by the primary (its `listening` lines are not shown on a terminal).
    const [first] = execFileSync('pgrep', ['-P', String(sluice.pid)], { encoding: 'utf8' }).trim().split('\n').map(Number);
    process.kill(first!, 'SIGKILL');
    expect(await sluice.waitForLog((l) => l.msg === 'replacement worker started')).toMatchObject({ level: 30 });
    // It does not say the start warnings again: the first line said them for every worker.
    expect(sluice.logLines.filter((l) => l.code === 'SLUICE_UDP_BUFFER_CAPPED')).toHaveLength(1);
    expect(await sluice.stop()).toBe(0);
  });

  it('are readable, without colour, with log_format: pretty in the file', async () => {
    const child = spawn(process.execPath, [SLUICE_BIN, 'run', '-c', writeConfig(`log_format: pretty\n${TWO_WORKERS.replace('workers: 2', 'workers: 1')}`)], { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    const summary = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no summary; stderr:\n${stderr}`)), 20_000);
      child.stderr.on('data', (text: string) => {
        stderr += text;
        if (stderr.includes('status page')) {
          clearTimeout(timer);
          resolve();
        }
      });
    });
    await summary;
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stderr).not.toContain('\u001b[');
    expect(stderr).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}sluice \S+ started: 1 worker, pid \d+/m);
    expect(stderr).toMatch(/^\d\d:\d\d:\d\d\.\d{3} WARN {2}UDP receive buffer .* input=capped code=SLUICE_UDP_BUFFER_CAPPED/m);
    expect(stderr).toMatch(/^\d\d:\d\d:\d\d\.\d{3} INFO {2}pipeline stopped elapsed_ms=\d+/m);
  });

  it('refuses an unknown --log-format', () => {
    let failure: { status?: number; stderr?: string } = {};
    try {
      execFileSync(process.execPath, [SLUICE_BIN, 'run', '--log-format', 'xml'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      failure = err as { status?: number; stderr?: string };
    }
    expect(failure.status).toBe(2);
    expect(failure.stderr).toContain('--log-format: expected json or pretty, got "xml"');
  });
});
