/**
 * One JSON POST with retries and exponential backoff: network errors, timeouts, 429 and 5xx are
 * retried; any other status is final. Shared by the `http` output and alert webhooks.
 */
import { backoffDelay } from '../delivery/backoff.js';
export interface PostSettings {
  url: string;
  headers?: Record<string, string>;
  /** Seconds per attempt. */
  timeout: number;
  /** Attempts after the first. */
  retries: number;
  /** Seconds before the first retry; doubles, capped at `backoffMax`. */
  backoff: number;
  backoffMax: number;
}

export type PostResult = { ok: true; status: number } | { ok: false; retryable: boolean; reason: string };

export async function postWithRetries(settings: PostSettings, body: string, contentType: string, abort?: AbortSignal): Promise<PostResult> {
  let result: PostResult = { ok: false, retryable: true, reason: 'not sent' };
  for (let attempt = 0; attempt <= settings.retries; attempt++) {
    if (attempt > 0) {
      const wait = backoffDelay({ initialMs: settings.backoff * 1000, maxMs: settings.backoffMax * 1000 }, attempt - 1);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, wait);
        abort?.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
      });
    }
    if (abort?.aborted) return { ok: false, retryable: true, reason: `given up (stopping) after: ${result.ok ? '' : result.reason}` };
    try {
      const signals = [AbortSignal.timeout(settings.timeout * 1000), ...(abort ? [abort] : [])];
      const response = await fetch(settings.url, { method: 'POST', headers: { 'content-type': contentType, ...settings.headers }, body, signal: AbortSignal.any(signals) });
      const text = await response.text();
      if (response.ok) return { ok: true, status: response.status };
      const retryable = response.status === 429 || response.status >= 500;
      result = { ok: false, retryable, reason: `HTTP ${response.status}: ${text.slice(0, 200)}` };
      if (!retryable) return result;
    } catch (err) {
      result = { ok: false, retryable: true, reason: err instanceof Error ? (err.cause instanceof Error ? `${err.message}: ${err.cause.message}` : err.message) : String(err) };
    }
  }
  return result;
}
