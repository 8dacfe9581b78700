/** Posts alerts to Prometheus Alertmanager's API v2, with retries; failures are logged, never thrown. */
import type { Logger } from '../logger.js';
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

export async function postAlerts(settings: AlertmanagerSettings, alerts: readonly AlertState[], logger: Logger): Promise<boolean> {
  if (alerts.length === 0) return true;
  const url = `${settings.url.replace(/\/+$/, '')}/api/v2/alerts`;
  const body = JSON.stringify(alertmanagerBody(alerts));
  let failure = '';
  for (let attempt = 0; attempt < 4; attempt++) {
    if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 500 * 2 ** (attempt - 1)));
    try {
      const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(settings.timeout * 1000) });
      const text = await response.text();
      if (response.ok) return true;
      failure = `HTTP ${response.status}: ${text.slice(0, 200)}`;
      // A 4xx says the body is wrong: sending it again would not help.
      if (response.status < 500) break;
    } catch (err) {
      failure = err instanceof Error ? err.message : String(err);
    }
  }
  logger.error({ url, alerts: alerts.length, err: failure }, 'alerts not posted to Alertmanager');
  return false;
}
