/** Alert rules on the metrics filter's series: the schema is their documentation. */
import { z } from 'zod';

const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

export const alertRuleSchema = z.strictObject({
  name: z.string().regex(NAME, { error: 'expected letters, digits and _, not starting with a digit' }).describe('The alert\'s name (`alertname` in Alertmanager).'),
  metric: z.string().min(1).describe('A metric of a `metrics` filter. A counter or histogram is judged by its increase over the window (a histogram by its count), a gauge by its value.'),
  match: z.record(z.string(), z.string()).default({}).describe('Only series whose labels have these values, e.g. `service: shop`.'),
  by: z.array(z.string()).default([]).describe('Labels that split the rule: one alert per value (e.g. `[service]`). Default: the matching series summed, one alert.'),
  op: z.enum(['>', '>=', '<', '<=']).describe('How the value compares with `threshold` when the rule breaches. A flatline is `op: "<"`, `threshold: 1`.'),
  threshold: z.number().describe('The bound.'),
  window: z.number().positive().default(60).describe('Seconds per window: the increase is taken over it, and the rule is judged once per window.'),
  for: z.int().min(1).default(1).describe('Consecutive breaching windows before the alert fires.'),
  cooldown: z.number().nonnegative().default(300).describe('Seconds after an alert resolves during which the same alert does not fire again (flapping).'),
  summary: z.string().optional().describe('Text of the alert (Alertmanager annotation `summary`). Default: the rule in words.'),
});

export type AlertRule = z.output<typeof alertRuleSchema>;

export const alertsSchema = z
  .strictObject({
    rules: z.array(alertRuleSchema).default([]).describe('Alert rules, judged on the summed metrics of all workers (where the API serves `/metrics`).'),
    alertmanager: z
      .strictObject({
        url: z.url().describe('Base URL of Prometheus Alertmanager, e.g. `http://alertmanager:9093`; alerts go to its `/api/v2/alerts`.'),
        timeout: z.number().positive().default(5).describe('Seconds per request; a failed post is retried 3 times with backoff, then logged.'),
        resend_interval: z.number().positive().default(60).describe('Seconds between two posts of alerts still firing (Alertmanager resolves alerts that are not repeated).'),
      })
      .optional()
      .describe('Where firing and resolved alerts are posted. Without it they are only logged.'),
    webhook: z
      .strictObject({
        url: z.url().describe('Receives a JSON POST per judgement that changed something: `{"alerts": [{"status": "firing"|"resolved", "labels", "annotations", "startsAt", "endsAt"}]}`.'),
        headers: z.record(z.string(), z.string()).default({}).describe('Extra request headers (a token).'),
        timeout: z.number().positive().default(5).describe('Seconds per request; retried 3 times with backoff on network errors, 429 and 5xx, then logged.'),
      })
      .optional()
      .describe('A generic webhook for alert changes (the `http` output\'s request, retries and backoff).'),
  })
  .describe('Alerts on the metrics of `metrics` filters: a firing or resolved alert is logged, and posted to Alertmanager when set.');

export type AlertsSettings = z.output<typeof alertsSchema>;
