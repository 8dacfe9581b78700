/**
 * The README's "Metrics and alerts" pipeline runs: it is validated as `sluice check` does, and
 * Django runserver lines through its filters (with their `when:`) give the series it promises.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { standaloneContext } from '../../pipeline/plugin_context.js';
import { validateConfig } from '../../config/validate.js';
import { Metrics } from '../../pipeline/metrics.js';
import type { Event } from '../../pipeline/event.js';

const readme = readFileSync(join(import.meta.dirname, '..', '..', 'README.md'), 'utf8');
const start = readme.indexOf('## Metrics and alerts');
const section = readme.slice(start, readme.indexOf('\n## ', start + 3));
const [yaml, outputsYaml, alertsYaml] = [...section.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);

const line = (service: string, status: number, bytes: number): Event => ({ message: `[01/Dec/2026 19:46:11] "GET /cart/ HTTP/1.1" ${status} ${bytes}`, fields: { service } }) as Event;

describe('README metrics example', () => {
  it('counts 5xx per service and response sizes from Django runserver lines', () => {
    const config = validateConfig(parseYaml(yaml), 'README.md');
    const metrics = new Metrics();
    let events: Event[] = [line('shop', 502, 1234), line('shop', 200, 50_000), line('cart', 500, 10), line('shop', 503, 99), { message: 'not a request line', fields: { service: 'shop' } } as Event];
    for (const entry of config.filters) {
      const filter = entry.plugin.create(entry.config, standaloneContext(entry.id, metrics));
      const when = entry.when;
      events = when ? [...filter.process(events.filter((e) => when(e))), ...events.filter((e) => !when(e))] : filter.process(events);
    }
    const text = metrics.toPrometheus();
    expect(text).toContain('# HELP django_http_5xx_total Django responses with a 5xx status, per service\n# TYPE django_http_5xx_total counter\n');
    expect(text).toContain('django_http_5xx_total{service="shop"} 2\ndjango_http_5xx_total{service="cart"} 1\n');
    expect(text).toContain('django_response_bytes_bucket{service="shop",le="1000"} 1\ndjango_response_bytes_bucket{service="shop",le="10000"} 2\ndjango_response_bytes_bucket{service="shop",le="100000"} 3\n');
    expect(metrics.sum('metrics_value_invalid_total')).toBe(0);
  });

  it('shows statsd and graphite outputs that validate', () => {
    const config = validateConfig({ ...(parseYaml(yaml) as object), ...(parseYaml(outputsYaml) as object) }, 'README.md');
    expect(config.outputs.map((o) => o.plugin.type)).toEqual(['graphite', 'statsd']);
  });

  it('shows alert rules that validate', () => {
    const config = validateConfig({ ...(parseYaml(yaml) as object), ...(parseYaml(alertsYaml) as object) }, 'README.md');
    expect(config.alerts.rules.map((r) => [r.name, r.window, r.for])).toEqual([
      ['django_5xx_burst', 60, 2],
      ['shop_silent', 600, 1],
    ]);
  });
});
