/**
 * Runs the alert rules where the summed metrics are: the one process of a single-process
 * pipeline, or the cluster primary. Every second it reads the metrics; each rule is judged once
 * per window; what fires or resolves is logged and posted to Alertmanager.
 */
import type { Logger } from '../logger.js';
import type { Metrics } from '../metrics.js';
import type { AlertsSettings } from './config.js';
import { AlertEvaluator, type AlertState } from './evaluate.js';
import { postAlerts, postWebhook } from './alertmanager.js';
import type { Event } from '../event.js';
import { alertEvent } from './event.js';

export interface Alerting {
  stop(): Promise<void>;
}

const TICK_MS = 1000;

/**
 * `emit` puts the alert events into the pipeline (through the filters, to the outputs); it
 * returns false when the queue refused them, which is logged.
 */
export function startAlerting(settings: AlertsSettings, metrics: () => Metrics | Promise<Metrics>, logger: Logger, emit: (events: Event[]) => boolean): Alerting | undefined {
  if (settings.rules.length === 0) return undefined;
  const evaluator = new AlertEvaluator(settings.rules);
  const log = logger.child({ component: 'alerts' });
  let lastPost = 0;
  let first = true;
  let running: Promise<void> | undefined;

  const describe = (alert: AlertState) => ({ alert: alert.labels, value: alert.value, rule: alert.rule.name });
  const tick = async () => {
    const now = Date.now();
    const changed = evaluator.tick(await metrics(), now);
    if (first) log.info({ rules: settings.rules.map((r) => r.name) }, 'alert rules judged once (the baseline of their first window)');
    first = false;
    for (const alert of changed) {
      if (alert.endsAt === undefined) log.warn(describe(alert), 'alert firing');
      else log.info(describe(alert), 'alert resolved');
    }
    if (changed.length > 0 && !emit(changed.map(alertEvent))) log.error({ alerts: changed.length }, 'alert events not put into the pipeline: the queue refused them (full or stopping); the alerts are logged above');
    if (settings.webhook !== undefined && changed.length > 0) await postWebhook(settings.webhook, changed, log);
    const manager = settings.alertmanager;
    if (manager === undefined) return;
    const resend = now - lastPost >= manager.resend_interval * 1000;
    if (changed.length === 0 && !resend) return;
    const resolved = changed.filter((a) => a.endsAt !== undefined);
    const toSend = [...evaluator.firing(), ...resolved];
    if (toSend.length === 0) return;
    lastPost = now;
    await postAlerts(manager, toSend, log);
  };

  const timer = setInterval(() => {
    // One tick at a time: while a slow Alertmanager holds one, the next seconds are skipped, not queued.
    if (running !== undefined) return;
    running = tick()
      .catch((err: unknown) => log.error({ err: String(err) }, 'alert rules not judged'))
      .finally(() => (running = undefined));
  }, TICK_MS);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
