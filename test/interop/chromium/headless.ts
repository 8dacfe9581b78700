/**
 * Debian's chromium, headless, driven over its DevTools protocol (a WebSocket, undici's client):
 * open a page, wait for a condition in it, read its DOM, take a screenshot. No driver library.
 * (`--dump-dom` with `--virtual-time-budget` dumps after the first load in the new headless mode,
 * before a polling page has polled twice, so the test drives the page itself.)
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { WebSocket } from 'undici';

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

interface Reply {
  id?: number;
  result?: Record<string, unknown>;
  error?: { message: string };
}

export class HeadlessPage {
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: Reply) => void>();

  private constructor(private readonly browser: ChildProcess, private readonly socket: WebSocket, private readonly profile: string) {
    socket.addEventListener('message', (event) => {
      const reply = JSON.parse(String(event.data)) as Reply;
      if (reply.id !== undefined) this.waiting.get(reply.id)?.(reply);
    });
  }

  /** Starts chromium with one blank page of `width` x `height` CSS pixels. */
  static async launch(width = 1280, height = 1000, timeoutMs = 30_000): Promise<HeadlessPage> {
    const profile = mkdtempSync(join(tmpdir(), 'sluice-chromium-'));
    const browser = spawn(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--hide-scrollbars', '--remote-debugging-port=0', `--user-data-dir=${profile}`, `--window-size=${width},${height}`, 'about:blank'], {
      stdio: ['ignore', 'ignore', 'pipe'],
      // Its own process group: close() stops chromium's helper processes with it, and only them.
      detached: true,
    });
    try {
      return await HeadlessPage.connect(browser, profile, width, height, timeoutMs);
    } catch (err) {
      // Whatever failed, no chromium is left behind.
      if (browser.pid !== undefined && browser.exitCode === null) process.kill(-browser.pid, 'SIGKILL');
      rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
      throw err;
    }
  }

  private static async connect(browser: ChildProcess, profile: string, width: number, height: number, timeoutMs: number): Promise<HeadlessPage> {
    const endpoint = await new Promise<string>((resolve, reject) => {
      let text = '';
      const timer = setTimeout(() => reject(new Error(`chromium did not open its DevTools port in ${timeoutMs} ms: ${text.slice(-1000)}`)), timeoutMs);
      browser.stderr?.setEncoding('utf8');
      browser.stderr?.on('data', (chunk: string) => {
        text += chunk;
        const found = /DevTools listening on ws:\/\/([^/\s]+)\//.exec(text);
        if (found) {
          clearTimeout(timer);
          resolve(found[1]);
        }
      });
      browser.once('exit', (code) => reject(new Error(`chromium exited with ${code}: ${text.slice(-1000)}`)));
    });
    const targets = (await (await fetch(`http://${endpoint}/json/list`)).json()) as Array<{ type: string; webSocketDebuggerUrl: string }>;
    const target = targets.find((t) => t.type === 'page');
    if (!target) throw new Error(`chromium has no page target: ${JSON.stringify(targets)}`);
    const socket = new WebSocket(target.webSocketDebuggerUrl);
    await new Promise<void>((resolve, reject) => {
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () => reject(new Error('DevTools WebSocket failed')));
    });
    const page = new HeadlessPage(browser, socket, profile);
    await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    return page;
  }

  send(method: string, params: Record<string, unknown> = {}, timeoutMs = 30_000): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`DevTools ${method}: no answer in ${timeoutMs} ms`)), timeoutMs);
      this.waiting.set(id, (reply) => {
        clearTimeout(timer);
        this.waiting.delete(id);
        if (reply.error) reject(new Error(`DevTools ${method}: ${reply.error.message}`));
        else resolve(reply.result ?? {});
      });
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  async goto(url: string): Promise<void> {
    await this.send('Page.navigate', { url });
  }

  /** The value of a JavaScript expression in the page (JSON-serializable). */
  async evaluate<T>(expression: string): Promise<T> {
    const result = await this.send('Runtime.evaluate', { expression, returnByValue: true, awaitPromise: true });
    if (result.exceptionDetails) throw new Error(`in the page: ${JSON.stringify(result.exceptionDetails)}`);
    return (result.result as { value: T }).value;
  }

  /** Waits until `expression` is truthy in the page, re-checking every 100 ms. */
  async waitFor(expression: string, timeoutMs = 20_000, describe = 'document.body.innerText.slice(0, 300)'): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await this.evaluate<boolean>(`Boolean(${expression})`).catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${expression} in the page; ${describe}: ${await this.evaluate<string>(describe).catch((err: unknown) => String(err))}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /** The whole page (not only the window) as a PNG file. */
  async screenshot(path: string): Promise<void> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png', captureBeyondViewport: true })) as { data: string };
    writeFileSync(path, Buffer.from(data, 'base64'));
  }

  async close(): Promise<void> {
    this.socket.close();
    const exited = new Promise<void>((resolve) => (this.browser.exitCode !== null ? resolve() : this.browser.once('exit', () => resolve())));
    if (this.browser.pid !== undefined) process.kill(-this.browser.pid, 'SIGTERM');
    await exited;
    // Helpers may still be writing the profile for a moment after the browser process is gone.
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}
