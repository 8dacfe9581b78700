/**
 * `type: trace_id`: finds the trace (or request) id and span id wherever the app put them and
 * writes them to ECS `trace.id` and `span.id`, so one search joins the logs of a request.
 * Precedence: an existing `trace.id`, W3C `traceparent`, B3 headers, named fields in the
 * configured order, then the message text.
 */
import { addTag, isFieldObject, type Event } from '../../pipeline/event.js';
import type { FilterPlugin } from '../../pipeline/plugin.js';
import { traceIdFilterSchema, type TraceIdFilterConfig } from './config.js';
import { freeformId, randomTraceId, type TraceContext } from './ids.js';
import { traceFromMessage } from './message.js';
import { FieldSearch } from './search.js';

function existingTrace(event: Event): TraceContext | undefined {
  const trace = event.trace;
  if (!isFieldObject(trace)) return undefined;
  const traceId = freeformId(trace.id);
  if (traceId === undefined) return undefined;
  const span = isFieldObject(event.span) ? freeformId(event.span.id) : undefined;
  return span === undefined ? { traceId } : { traceId, spanId: span };
}

function createTraceIdFilter(config: TraceIdFilterConfig) {
  const fields = new FieldSearch(config.fields, config.span_fields, config.max_depth);

  function locate(event: Event): TraceContext | undefined {
    const existing = existingTrace(event);
    const found = fields.search(event);
    const span = found.span.id;
    if (existing) return existing.spanId || !span ? existing : { ...existing, spanId: span };
    if (found.traceparent) return found.traceparent;
    if (found.b3) return found.b3;
    if (found.b3Trace) return found.b3Span ? { traceId: found.b3Trace, spanId: found.b3Span } : { traceId: found.b3Trace };
    const named = found.named.id;
    if (named) return span ? { traceId: named, spanId: span } : { traceId: named };
    if (config.message && typeof event.message === 'string') return traceFromMessage(event.message);
    return undefined;
  }

  return {
    process(events: Event[]): Event[] {
      for (const event of events) {
        const context = locate(event);
        if (context) {
          const trace = isFieldObject(event.trace) ? event.trace : (event.trace = {});
          trace.id = context.traceId;
          if (context.spanId) {
            const span = isFieldObject(event.span) ? event.span : (event.span = {});
            span.id = context.spanId;
          }
          addTag(event, config.tag);
        } else if (config.generate) {
          event.trace = { ...(isFieldObject(event.trace) ? event.trace : {}), id: randomTraceId() };
          addTag(event, 'trace_id_generated');
        }
      }
      return events;
    },
  };
}

export const traceIdFilter: FilterPlugin<typeof traceIdFilterSchema> = {
  kind: 'filter',
  type: 'trace_id',
  description:
    'Finds trace and span ids wherever apps put them (`trace.id`, W3C `traceparent`, B3 `X-B3-TraceId`/`b3`, fields like `trace_id`, `traceId`, `request_id`, `X-Request-ID`, `correlation_id`, `otelTraceID`, `dd.trace_id` at any depth, `trace_id=…` in the message) and writes ECS `trace.id`/`span.id` (hex lower-cased), keeping the source field and tagging the event.',
  schema: traceIdFilterSchema,
  example: { fields: ['trace_id', 'request_id'], message: true, generate: false },
  create(config) {
    return createTraceIdFilter(config);
  },
};
