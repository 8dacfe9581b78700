import { describe, expect, it } from 'vitest';
import { alertRuleSchema } from '../../pipeline/alerts/config.js';
import { AlertEvaluator, type AlertState } from '../../pipeline/alerts/evaluate.js';
import { Metrics } from '../../pipeline/metrics.js';

const MINUTE = 60_000;
const rule = (settings: Record<string, unknown>) => alertRuleSchema.parse({ name: 'http_5xx', metric: 'http_5xx_total', op: '>', threshold: 50, window: 60, ...settings });
const seen = (changes: AlertState[]) => changes.map((c) => `${c.endsAt === undefined ? 'fire' : 'resolve'} ${JSON.stringify(c.labels)} ${c.value}`);

/** Drives an evaluator window by window: `increases[i]` per service is what window i adds. */
function timeline(settings: Record<string, unknown>, increases: Array<Record<string, number>>): string[][] {
  const metrics = new Metrics();
  const evaluator = new AlertEvaluator([rule(settings)]);
  const out: string[][] = [];
  evaluator.tick(metrics, 0); // the baseline
  increases.forEach((window, i) => {
    for (const [service, n] of Object.entries(window)) metrics.derivedCounter('http_5xx_total', 'h', { service }).inc(n);
    out.push(seen(evaluator.tick(metrics, (i + 1) * MINUTE)));
  });
  return out;
}

describe('alert rules', () => {
  it('fires when a window\'s increase passes the threshold, per `by` label, and resolves', () => {
    expect(timeline({ by: ['service'] }, [{ shop: 10, cart: 60 }, { shop: 51, cart: 5 }, { shop: 0 }])).toEqual([
      ['fire {"alertname":"http_5xx","service":"cart"} 60'],
      ['fire {"alertname":"http_5xx","service":"shop"} 51', 'resolve {"alertname":"http_5xx","service":"cart"} 5'],
      ['resolve {"alertname":"http_5xx","service":"shop"} 0'],
    ]);
  });

  it('waits for `for` consecutive breaching windows', () => {
    expect(timeline({ for: 2, match: { service: 'shop' } }, [{ shop: 60 }, { shop: 10 }, { shop: 60 }, { shop: 70 }, { shop: 80 }])).toEqual([[], [], [], ['fire {"alertname":"http_5xx"} 70'], []]);
  });

  it('does not fire again within the cooldown after resolving', () => {
    expect(timeline({ cooldown: 150 }, [{ shop: 60 }, { shop: 0 }, { shop: 60 }, { shop: 60 }, { shop: 60 }])).toEqual([['fire {"alertname":"http_5xx"} 60'], ['resolve {"alertname":"http_5xx"} 0'], [], [], ['fire {"alertname":"http_5xx"} 60']]);
  });

  it('catches a flatline, also of a metric never seen', () => {
    expect(timeline({ op: '<', threshold: 1, for: 2 }, [{ shop: 3 }, {}, {}, { shop: 1 }])).toEqual([[], [], ['fire {"alertname":"http_5xx"} 0'], ['resolve {"alertname":"http_5xx"} 1']]);
    expect(timeline({ metric: 'never_total', op: '<', threshold: 1 }, [{}])).toEqual([['fire {"alertname":"http_5xx"} 0']]);
  });

  it('judges a rule once per window, whatever the tick rate, and lists what is firing', () => {
    const metrics = new Metrics();
    const evaluator = new AlertEvaluator([rule({})]);
    const counter = metrics.derivedCounter('http_5xx_total', 'h', {});
    evaluator.tick(metrics, 0);
    counter.inc(100);
    expect(evaluator.tick(metrics, 30_000)).toEqual([]);
    expect(seen(evaluator.tick(metrics, MINUTE))).toEqual(['fire {"alertname":"http_5xx"} 100']);
    expect(evaluator.firing().map((a) => a.labels.alertname)).toEqual(['http_5xx']);
  });
});
