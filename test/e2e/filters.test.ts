import { afterAll, describe, expect, it } from 'vitest';
import { killAllSluices, startSluice } from '../helpers/sluice.js';
import { sendTcp } from '../helpers/net.js';

afterAll(killAllSluices);

describe('filters and conditions in a running pipeline', () => {
  it('runs filters and outputs only where their `when` holds, and counts what drop discards', async () => {
    const sluice = await startSluice(`
api: { port: 0 }
inputs:
  - { type: tcp, id: in, port: 0 }
filters:
  - type: json
    id: parse
  - type: drop
    id: health
    when: '[request][path] == "/health" or "debug" in [tags]'
  - type: date
    id: when
    source: '[ts]'
    formats: ['dd/MMM/yyyy:HH:mm:ss Z']
  - type: mutate
    id: errors
    when: '[status] >= 500 and [request][path] =~ /^\\/api\\//'
    add_tag: ['server_error']
    add_field: { '[error][message]': 'status %{status} on %{[request][path]}' }
  - type: trace_id
outputs:
  - type: stdout
    id: out
    when: 'not [skip]'
  - type: 'null'
    id: skipped
    when: '[skip]'
`);
    const lines = [
      { status: 200, request: { path: '/health' } },
      { status: 503, request: { path: '/api/orders' }, ts: '10/Oct/2026:13:55:36 +0200', request_id: 'req-1' },
      { status: 404, request: { path: '/api/x' }, tags: ['debug'] },
      { status: 500, request: { path: '/static/a.css' } },
      { status: 200, request: { path: '/api/y' }, skip: true },
    ].map((event) => JSON.stringify({ message: JSON.stringify(event) }));
    await sendTcp(sluice.port('in'), `${lines.join('\n')}\n`);
    const events = await sluice.waitForStdoutEvents(2);
    expect(events[0]).toMatchObject({
      status: 503,
      '@timestamp': '2026-10-10T11:55:36.000Z',
      tags: ['server_error', 'traced'],
      error: { message: 'status 503 on /api/orders' },
      trace: { id: 'req-1' },
    });
    expect(events[1]).toMatchObject({ status: 500, request: { path: '/static/a.css' } });
    expect(events[1].tags).toBeUndefined();
    expect(await sluice.counter('filter_events_dropped_total', 'health')).toBe(2);
    expect(await sluice.settledCounter('output_events_delivered_total', 'skipped', 1)).toBe(1);
    expect(await sluice.settledCounter('output_events_delivered_total', 'out', 2)).toBe(2);
    expect(await sluice.stop()).toBe(0);
    expect(sluice.stdoutLines).toHaveLength(2);
  });
});
