import { z } from 'zod';

/** Field names apps use for a trace or request id; matched ignoring case, `_`, `-` and `.`. */
export const DEFAULT_TRACE_FIELDS = [
  'trace_id',
  'traceId',
  'traceid',
  'otelTraceID',
  'dd.trace_id',
  'request_id',
  'requestId',
  'x_request_id',
  'X-Request-ID',
  'correlation_id',
  'correlationId',
  'X-Correlation-ID',
];

export const DEFAULT_SPAN_FIELDS = ['span_id', 'spanId', 'otelSpanID', 'dd.span_id'];

export const traceIdFilterSchema = z.strictObject({
  fields: z
    .array(z.string().min(1))
    .default(DEFAULT_TRACE_FIELDS)
    .describe('Names of fields that may hold a trace or request id, at any depth up to `max_depth`; earlier names win. Matching ignores case, `_`, `-` and `.` (so `dd.trace_id` also finds `{"dd":{"trace_id":…}}`). `trace.id`, W3C `traceparent` and B3 headers are always looked at first.'),
  span_fields: z.array(z.string().min(1)).default(DEFAULT_SPAN_FIELDS).describe('Names of fields that may hold a span id, matched the same way.'),
  max_depth: z.int().min(1).max(8).default(4).describe('How deep into nested objects (headers, context blocks) to look.'),
  message: z.boolean().default(true).describe('Also look for `trace_id=…`, `traceId: …`, `request_id=…` and `traceparent: 00-…` inside the `message` text.'),
  tag: z.string().default('traced').describe('Tag added when an id was found.'),
  generate: z.boolean().default(false).describe('When no id is found, write a fresh random W3C trace id to `trace.id` and tag `trace_id_generated`.'),
});

export type TraceIdFilterConfig = z.output<typeof traceIdFilterSchema>;
