/**
 * `sluice top`: the status page in a terminal, for a running sluice's API. Polls /status.json
 * once a second and redraws the screen (the alternate screen, as top does, so the shell's
 * scrollback is left as it was); q or Ctrl-C quits. Without a terminal it prints one screen.
 */
import { StatusHistory, type StatusSnapshot } from './model.js';
import { ansiPaint, noPaint, renderScreen } from './render.js';
import { errorMessage } from '../errors.js';

export const DEFAULT_API = 'http://127.0.0.1:9600';
const POLL_MS = 1000;

async function fetchSnapshot(api: string): Promise<StatusSnapshot> {
  const response = await fetch(new URL('/status.json', api), { signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`${api}/status.json answered HTTP ${response.status} (a sluice older than the status page?)`);
  return (await response.json()) as StatusSnapshot;
}

export async function runTop(api: string, out: NodeJS.WriteStream = process.stdout, input: NodeJS.ReadStream = process.stdin): Promise<number> {
  try {
    new URL(api);
  } catch {
    process.stderr.write(`sluice top: --api: expected a URL such as ${DEFAULT_API}, got ${JSON.stringify(api)}\n`);
    return 2;
  }
  const history = new StatusHistory();
  const paint = out.isTTY && !process.env.NO_COLOR ? ansiPaint : noPaint;
  if (!out.isTTY) {
    // A pipe (a script, a log): one screen, or the reason there is none.
    try {
      const snapshot = await fetchSnapshot(api);
      history.remember(snapshot);
      out.write(`${renderScreen(snapshot, history, api, paint, Number.MAX_SAFE_INTEGER).join('\n')}\n`);
      return 0;
    } catch (err) {
      process.stderr.write(`sluice top: cannot read ${api}: ${errorMessage(err)}\n`);
      return 1;
    }
  }

  return new Promise<number>((resolve) => {
    let timer: NodeJS.Timeout | undefined;
    let done = false;
    const quit = (code: number) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      if (input.isTTY) input.setRawMode(false);
      input.pause();
      out.write('\x1b[?25h\x1b[?1049l');
      resolve(code);
    };
    const draw = (lines: string[]) => out.write(`\x1b[H${lines.map((l) => `${l}\x1b[K`).join('\n')}\x1b[J`);
    const tick = async () => {
      try {
        const snapshot = await fetchSnapshot(api);
        history.remember(snapshot);
        const rows = out.rows ?? 40;
        draw(renderScreen(snapshot, history, api, paint, out.columns ?? 120, Math.max(3, rows - 30)).slice(0, rows));
      } catch (err) {
        // sluice restarting or not up yet: say so and keep trying, as top keeps running.
        draw([`${paint.bold('sluice top')}  ${api}  ${paint.level('unreachable', 'bad')}: ${errorMessage(err)}`, paint.dim('retrying every second; q to quit')]);
      }
      if (!done) timer = setTimeout(() => void tick(), POLL_MS);
    };
    out.write('\x1b[?1049h\x1b[?25l\x1b[2J');
    if (input.isTTY) input.setRawMode(true);
    input.setEncoding('utf8');
    input.on('data', (key: string) => {
      if (key === 'q' || key === 'Q' || key === '\x03' || key === '\x1b') quit(0);
    });
    input.resume();
    process.once('SIGTERM', () => quit(0));
    void tick();
  });
}
