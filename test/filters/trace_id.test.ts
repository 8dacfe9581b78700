import { describe, expect, it } from 'vitest';
import { traceIdFilter } from '../../filters/trace_id/index.js';
import type { Event } from '../../pipeline/event.js';
import { makeFilter } from './helpers.js';

const W3C = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';

function traced(event: Event, settings: Record<string, unknown> = {}): Event {
  return makeFilter(traceIdFilter, settings).run([event])[0];
}

describe('trace_id filter', () => {
  it.each([
    ['trace.id', { trace: { id: 'ABCDEF0123456789' } }, 'abcdef0123456789'],
    ['trace_id', { trace_id: '4BF92F3577B34DA6A3CE929D0E0E4736' }, '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['traceId', { traceId: 'abc123def456' }, 'abc123def456'],
    ['traceid', { traceid: 'abc123def456' }, 'abc123def456'],
    ['request_id', { request_id: 'req-42-abc-XYZ' }, 'req-42-abc-XYZ'],
    ['requestId', { requestId: 'F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6' }, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'],
    ['x_request_id', { x_request_id: 'r1234' }, 'r1234'],
    ['X-Request-ID nested in headers', { http: { request: { headers: { 'X-Request-ID': 'hdr-1' } } } }, 'hdr-1'],
    ['correlation_id', { correlation_id: 'corr-9' }, 'corr-9'],
    ['otelTraceID', { otelTraceID: '0af7651916cd43dd8448eb211c80319c' }, '0af7651916cd43dd8448eb211c80319c'],
    ['dd.trace_id nested', { dd: { trace_id: 1234567890123 } }, '1234567890123'],
    ['dd.trace_id dotted', { 'dd.trace_id': '987654321' }, '987654321'],
    ['traceparent field', { traceparent: W3C }, '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['traceparent header nested', { headers: { Traceparent: W3C } }, '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['X-B3-TraceId', { 'X-B3-TraceId': '80F198EE56343BA864FE8B2A57D3EFF7', 'X-B3-SpanId': 'E457B5A2E4D86BD1' }, '80f198ee56343ba864fe8b2a57d3eff7'],
    ['single b3', { b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1-1-05e3ac9a4f6e3b90' }, '80f198ee56343ba864fe8b2a57d3eff7'],
    ['trace_id= in message', { message: 'handled request trace_id=abc123def4567890 in 3ms' }, 'abc123def4567890'],
    ['traceparent: in message', { message: `incoming traceparent: ${W3C} ok` }, '4bf92f3577b34da6a3ce929d0e0e4736'],
    ['a configured field', { my_trace: 'custom-1' }, 'custom-1'],
  ] as Array<[string, Event, string]>)('%s', (_name, event, id) => {
    const out = traced(structuredClone(event), _name === 'a configured field' ? { fields: ['my_trace'] } : {});
    expect((out.trace as { id: string }).id).toBe(id);
    expect(out.tags).toEqual(['traced']);
  });

  it('finds each event\'s id when the keys of a batch change names and order from one event to the next', () => {
    const filter = makeFilter(traceIdFilter, {});
    const batch: Event[] = [
      { message: 'a', level: 'INFO', trace_id: 'aaaa1111' },
      { message: 'b', trace_id: 'bbbb2222', level: 'INFO' },
      { message: 'c', level: 'INFO', span: 'x', request_id: 'cccc3333' },
      { message: 'd', level: 'INFO', trace_id: 'dddd4444' },
      { level: 'INFO', message: 'e' },
    ];
    const ids = filter.run(batch).map((event) => (event.trace as { id?: string } | undefined)?.id);
    expect(ids).toEqual(['aaaa1111', 'bbbb2222', 'cccc3333', 'dddd4444', undefined]);
  });

  it('carries nothing found in one event over to the next', () => {
    const filter = makeFilter(traceIdFilter, {});
    const batch: Event[] = [
      { traceparent: W3C, b3: '80f198ee56343ba864fe8b2a57d3eff7-e457b5a2e4d86bd1', 'X-B3-TraceId': '80f198ee56343ba8', span_id: 'def456' },
      { trace_id: 'abc123' },
      { 'X-B3-SpanId': 'e457b5a2e4d86bd1' },
    ];
    const [first, second, third] = filter.run(batch);
    expect(first).toMatchObject({ trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' }, span: { id: '00f067aa0ba902b7' } });
    expect(second.trace).toEqual({ id: 'abc123' });
    expect(second.span).toBeUndefined();
    expect(third.trace).toBeUndefined();
  });

  it('writes span ids and keeps the source fields', () => {
    const out = traced({ traceparent: W3C, message: 'm' });
    expect(out).toMatchObject({ traceparent: W3C, trace: { id: '4bf92f3577b34da6a3ce929d0e0e4736' }, span: { id: '00f067aa0ba902b7' } });
    const b3 = traced({ 'X-B3-TraceId': '80f198ee56343ba8', 'X-B3-SpanId': 'e457b5a2e4d86bd1' });
    expect(b3).toMatchObject({ trace: { id: '80f198ee56343ba8' }, span: { id: 'e457b5a2e4d86bd1' } });
    const named = traced({ trace_id: 'abc123', span_id: 'def456' });
    expect(named).toMatchObject({ trace: { id: 'abc123' }, span: { id: 'def456' }, trace_id: 'abc123', span_id: 'def456' });
  });

  it('prefers traceparent over named fields, and named fields in the configured order', () => {
    expect((traced({ request_id: 'req-1', traceparent: W3C }).trace as { id: string }).id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect((traced({ request_id: 'req-1', trace_id: 'tr-1' }).trace as { id: string }).id).toBe('tr-1');
  });

  it.each([
    ['version ff', 'ff-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01'],
    ['all-zero trace id', '00-00000000000000000000000000000000-00f067aa0ba902b7-01'],
    ['all-zero span id', '00-4bf92f3577b34da6a3ce929d0e0e4736-0000000000000000-01'],
    ['version 00 with extra data', `${W3C}-extra`],
    ['short trace id', '00-4bf92f3577b34da6a3ce929d0e0e47-00f067aa0ba902b7-01'],
    ['not hex', '00-4bf92f3577b34da6a3ce929d0e0e473g-00f067aa0ba902b7-01'],
  ])('rejects a traceparent with %s', (_name, value) => {
    const out = traced({ traceparent: value });
    expect(out.trace).toBeUndefined();
    expect(out.tags).toBeUndefined();
  });

  it('accepts a future traceparent version with more fields', () => {
    expect((traced({ traceparent: `01-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01-what-ever` }).trace as { id: string }).id).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  it('rejects all-zero and spaced free-form ids, leaves untraced events alone, and generates only when asked', () => {
    expect(traced({ trace_id: '0000000000000000' }).trace).toBeUndefined();
    expect(traced({ trace_id: 'has spaces in it' }).trace).toBeUndefined();
    expect(traced({ message: 'nothing here' })).toEqual({ message: 'nothing here' });
    const generated = traced({ message: 'nothing here' }, { generate: true });
    expect((generated.trace as { id: string }).id).toMatch(/^[0-9a-f]{32}$/);
    expect(generated.tags).toEqual(['trace_id_generated']);
  });

  it('keeps finding ids, nested and prefixed ones included, once an app has sent more key names than it remembers', () => {
    const filter = makeFilter(traceIdFilter, {});
    const churn: Event[] = Array.from({ length: 12_000 }, (_, i) => ({ [`key_${i}`]: { [`inner_${i}`]: 'x' } }));
    filter.run(churn);
    const [flat, prefixed, header] = filter.run([{ request_id: 'after-churn' }, { dd: { trace_id: 42 } }, { headers: { 'X-B3-TraceId': '80F198EE56343BA8' } }]);
    expect((flat.trace as { id: string }).id).toBe('after-churn');
    expect((prefixed.trace as { id: string }).id).toBe('42');
    expect((header.trace as { id: string }).id).toBe('80f198ee56343ba8');
  });
});
