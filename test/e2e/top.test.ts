import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { killAllSluices, SLUICE_BIN, startSluice } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';
import { statusPipeline } from '../helpers/status_pipeline.js';

afterAll(killAllSluices);

// A tmux server of this test's own (its own socket), so nobody else's sessions are touched.
const SOCKET = `sluice-top-${process.pid}`;
const tmux = (...args: string[]) => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
afterAll(() => {
  try {
    tmux('kill-server');
  } catch {
    // already gone with its last session
  }
});

function sessionAlive(name: string): boolean {
  try {
    tmux('has-session', '-t', name);
    return true;
  } catch {
    return false;
  }
}

/** Reads the pane until `check` holds on its text, or fails with what the pane showed. */
async function waitForPane(name: string, check: (text: string) => boolean, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  let text = '';
  while (Date.now() < deadline) {
    text = tmux('capture-pane', '-p', '-t', name);
    if (check(text)) return text;
    await new Promise((r) => setTimeout(r, 150));
  }
  throw new Error(`the pane never showed what was expected; it showed:\n${text}`);
}

/** The cells of the table row whose first cell is `id`, in the section headed `title` (a rate column is two cells: sparkline, rate). */
function rowOf(text: string, title: string, id: string): string[] {
  const section = text.slice(text.indexOf(`\n${title}\n`));
  const line = section.split('\n').find((l) => l.startsWith(`${id} `));
  return line ? line.trim().split(/\s{2,}/) : [];
}

const PIPELINE = statusPipeline();

describe('sluice top, under a real terminal (tmux)', () => {
  it('shows the numbers the API gives, refreshes as they change, and quits on q', async () => {
    const sluice = await startSluice(PIPELINE);
    const api = `http://${sluice.api!.host}:${sluice.api!.port}`;
    const send = (n: number, level: string) => sendTcp(sluice.port('app'), Array.from({ length: n }, (_, i) => JSON.stringify({ message: `m${i}`, level })).join('\n') + '\n');
    await send(70, 'info');
    await send(5, 'debug');
    await sluice.waitForStdoutEvents(70);

    tmux('new-session', '-d', '-s', 'top', '-x', '160', '-y', '50', `node ${SLUICE_BIN} top --api ${api}`);
    // OUTPUTS: id, type, sparkline, rate, in, delivered, dead-lettered, dropped, retries, bulk fail, engine.
    const delivered = (t: string) => rowOf(t, 'OUTPUTS', 'console')[5];
    let screen = await waitForPane('top', (t) => t.includes('OUTPUTS') && delivered(t) === '70');
    expect(screen).toContain(`sluice top  ${api}  healthy  2 worker processes`);
    // INPUTS: id, type, sparkline, rate, in, bytes, conns, decode fail, dropped.
    const input = rowOf(screen, 'INPUTS', 'app');
    expect([input[0], input[1], input[4], input[6], input[7], input[8]]).toEqual(['app', 'tcp', '75', '0', '0', '0']);
    const stats = (await sluice.stats()) as { plugins: Array<Record<string, unknown>> };
    expect(input[5]).toBe(`${(Number(stats.plugins.find((p) => p.id === 'app')?.bytes_in_total) / 1024).toFixed(1)} KiB`);
    expect(rowOf(screen, 'FILTERS', 'no_debug').slice(-3)).toEqual(['75', '70', '0']);
    expect(rowOf(screen, 'OUTPUTS', 'console').slice(4)).toEqual(['70', '70', '0', '0', '0', '0', '-']);
    expect(screen).toMatch(/filter no_debug\s+dropped\s+5\s+drop filter \(on purpose\)/);

    // More traffic: the screen follows without a key pressed, and the rate shows.
    await send(1200, 'info');
    await sluice.waitForStdoutEvents(1270);
    screen = await waitForPane('top', (t) => delivered(t) === '1,270');
    // The poll that saw them arrive draws its rate as the tallest bar.
    expect(rowOf(screen, 'OUTPUTS', 'console')[2]).toMatch(/█/);
    expect(rowOf(screen, 'OUTPUTS', 'console')[3]).toMatch(/^[\d.]+k?\/s$/);
    expect(rowOf(screen, 'OUTPUTS', 'console')[3]).not.toBe('0.0/s');

    tmux('send-keys', '-t', 'top', 'q');
    const deadline = Date.now() + 10_000;
    while (sessionAlive('top') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(sessionAlive('top')).toBe(false);
    expect(await sluice.stop()).toBe(0);
  }, 90_000);

  it('says so, and keeps trying, when no sluice answers; without a terminal it prints one screen or why not', async () => {
    tmux('new-session', '-d', '-s', 'nothing', '-x', '120', '-y', '20', `node ${SLUICE_BIN} top --api http://127.0.0.1:9`);
    await waitForPane('nothing', (t) => t.includes('unreachable') && t.includes('retrying every second'));
    tmux('send-keys', '-t', 'nothing', 'q');

    let failed: { status?: number; stderr?: string } = {};
    try {
      execFileSync('node', [SLUICE_BIN, 'top', '--api', 'http://127.0.0.1:9'], { encoding: 'utf8', stdio: 'pipe' });
    } catch (err) {
      failed = err as { status?: number; stderr?: string };
    }
    expect(failed.status).toBe(1);
    expect(failed.stderr).toContain('sluice top: cannot read http://127.0.0.1:9');

    const sluice = await startSluice('api: { port: 0 }\ninputs: [{ type: tcp, id: app, port: 0 }]\noutputs: [{ type: stdout, id: console }]\n');
    await sendTcp(sluice.port('app'), '{"message":"one"}\n{"message":"two"}\n');
    await sluice.waitForStdoutEvents(2);
    await sluice.settledCounter('output_events_delivered_total', 'console', 2);
    const once = execFileSync('node', [SLUICE_BIN, 'top', '--api', `http://${sluice.api!.host}:${sluice.api!.port}`], { encoding: 'utf8' });
    expect(once).not.toContain('\x1b[');
    expect(rowOf(once, 'OUTPUTS', 'console')[5]).toBe('2');
    expect(await sluice.stop()).toBe(0);
  }, 60_000);
});
