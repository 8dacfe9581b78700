/** An alert as an event, put into the pipeline so it lands where the logs go (engine, stdout). */
import type { Event } from '../event.js';
import type { AlertState } from './evaluate.js';

export const ALERT_TAG = 'alert';

export function alertEvent(alert: AlertState): Event {
  const firing = alert.endsAt === undefined;
  const { rule } = alert;
  const groups = Object.entries(alert.labels)
    .filter(([key]) => key !== 'alertname')
    .map(([key, value]) => `${key}=${value}`)
    .join(' ');
  return {
    '@timestamp': new Date(firing ? alert.startsAt : (alert.endsAt as number)).toISOString(),
    message: `alert ${firing ? 'firing' : 'resolved'}: ${rule.name}${groups ? ` ${groups}` : ''} (${rule.metric} ${alert.value}, rule ${rule.op} ${rule.threshold} over ${rule.window}s)`,
    event: { kind: 'alert', action: firing ? 'firing' : 'resolved', dataset: 'sluice.alerts' },
    rule: { name: rule.name },
    labels: { ...alert.labels },
    alert: { value: alert.value, threshold: rule.threshold, window_seconds: rule.window, started: new Date(alert.startsAt).toISOString() },
    tags: [ALERT_TAG],
  };
}
