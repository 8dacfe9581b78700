import { z } from 'zod';
import { DEFAULT_LIBRARY_MODULES, DEFAULT_LIBRARY_PATHS } from './frames.js';

/** Where shippers put a trace, in the order they are looked at (dotted names: nested objects or flat keys). */
export const DEFAULT_TRACE_FIELDS = [
  'error.stack_trace', // ECS: log4j2 EcsLayout (flat keys), @elastic/ecs-pino-format, ecs-logging-python
  'stack_trace', // python-logstash, logstash-logback-encoder
  'exc_info', // python-logstash (later versions)
  'exception', // structlog: the text of format_exc_info, or the dict_tracebacks list
  'err.stack', // pino's std serializer (with err.type, err.message)
  'error.stack', // pino and others under `error`
  'exception.stacktrace', // log4j2 LogstashJsonEventLayoutV1 (with exception.exception_class)
  'stack', // winston format.errors({ stack: true })
  'message', // a trace written as the log line itself
];

export const DEFAULT_LEVEL_FIELDS = ['log.level', 'level', 'levelname', 'severity', 'log.syslog.severity.name'];

export const exceptionFilterSchema = z.strictObject({
  fields: z
    .array(z.string().min(1))
    .min(1)
    .default(DEFAULT_TRACE_FIELDS)
    .describe(
      'Fields that may hold a stack trace, looked at in this order; the first that holds one wins. A dotted name reads a nested object or a flat key (`error.stack_trace` is `{"error":{"stack_trace":…}}` or `{"error.stack_trace":…}`). Only text of several lines is a candidate (a one-line `stack: prod` is left alone); a list (structlog `dict_tracebacks`) is read as such.',
    ),
  library_paths: z
    .array(z.string().min(1))
    .default(DEFAULT_LIBRARY_PATHS)
    .describe('A frame whose file path contains one of these is not in-app (runtime or third-party library); frames without a path (`<anonymous>`, `native`, `<frozen …>`) never are. In-app frames make the fingerprint and `error.culprit`.'),
  library_modules: z.array(z.string().min(1)).default(DEFAULT_LIBRARY_MODULES).describe('A Java frame whose class starts with one of these is not in-app (a `java.base/` module prefix is ignored).'),
  app_paths: z.array(z.string().min(1)).default([]).describe('A frame whose file path contains one of these is in-app even when a library rule matches (your own packages installed in site-packages or node_modules).'),
  app_modules: z.array(z.string().min(1)).default([]).describe('A Java frame whose class starts with one of these is in-app even when a library rule matches.'),
  template: z
    .enum(['errors', 'all', 'off'])
    .default('errors')
    .describe('For events without a trace: `errors` writes `log.template` (the message with numbers, ids, addresses, URLs, e-mails and quoted values masked) and `error.fingerprint` from it on error-level events only; `all` writes the template on every event (and the fingerprint on error-level ones); `off` neither.'),
  level_fields: z
    .array(z.string().min(1))
    .default(DEFAULT_LEVEL_FIELDS)
    .describe('Fields that hold the level (dotted names as in `fields`). Error level: error, err, fatal, critical, crit, alert, emerg, emergency, severe, panic (any case), or a number >= 50 (pino, bunyan).'),
  tag_on_failure: z
    .array(z.string())
    .default(['_exceptionparsefailure'])
    .describe('Tags added when a trace field (not `message`) holds text no parser recognizes; the text still goes to `error.stack_trace`.'),
});

export type ExceptionFilterConfig = z.output<typeof exceptionFilterSchema>;
