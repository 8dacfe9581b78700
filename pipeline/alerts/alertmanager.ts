/** Posts alerts to Prometheus Alertmanager's API v2 and to webhooks, with retries; failures are logged, never thrown. */
import type { Logger } from '../logger.js';
import { postWithRetries } from '../../outputs/http/post.js';
import type { AlertState } from './evaluate.js';

export interface AlertmanagerSettings {
  url: string;
  timeout: number;
}

function summaryOf(alert: AlertState): string {
  const { rule } = alert;
  return rule.summary ?? `${rule.metric} ${rule.op} ${rule.threshold} over ${rule.window}s (now ${alert.value})`;
}

/** The JSON Alertmanager's `POST /api/v2/alerts` takes: a resolved alert carries its endsAt. */
export function alertmanagerBody(alerts: readonly AlertState[]): unknown[] {
  return alerts.map((alert) => ({
    labels: alert.labels,
    annotations: { summary: summaryOf(alert), value: String(alert.value) },
    startsAt: new Date(alert.startsAt).toISOString(),
    ...(alert.endsAt !== undefined ? { endsAt: new Date(alert.endsAt).toISOString() } : {}),
  }));
}

const RETRIES = { retries: 3, backoff: 0.5, backoffMax: 4 };

/** Posts to Alertmanager's `/api/v2/alerts`; false (and a log line) when it failed after the retries. */
export async function postAlerts(settings: AlertmanagerSettings, alerts: readonly AlertState[], logger: Logger): Promise<boolean> {
  if (alerts.length === 0) return true;
  const url = `${settings.url.replace(/\/+$/, '')}/api/v2/alerts`;
  const result = await postWithRetries({ url, timeout: settings.timeout, ...RETRIES }, JSON.stringify(alertmanagerBody(alerts)), 'application/json');
  if (!result.ok) logger.error({ url, alerts: alerts.length, err: result.reason }, 'alerts not posted to Alertmanager');
  return result.ok;
}

/** Posts alert changes to a webhook, each with its status. */
export async function postWebhook(settings: { url: string; headers: Record<string, string>; timeout: number }, alerts: readonly AlertState[], logger: Logger): Promise<boolean> {
  if (alerts.length === 0) return true;
  const body = alertmanagerBody(alerts).map((alert, i) => ({ status: alerts[i].endsAt === undefined ? 'firing' : 'resolved', ...(alert as object) }));
  const result = await postWithRetries({ url: settings.url, headers: settings.headers, timeout: settings.timeout, ...RETRIES }, JSON.stringify({ alerts: body }), 'application/json');
  if (!result.ok) logger.error({ url: settings.url, alerts: alerts.length, err: result.reason }, 'alerts not posted to the webhook');
  return result.ok;
}
