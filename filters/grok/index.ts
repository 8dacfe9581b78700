/**
 * `type: grok`: Logstash's grok, named regular expressions over a field, with a library of
 * patterns for the formats our users run (see patterns/). Patterns compile once into
 * JavaScript regexes (translate.ts); a line cannot hang the worker (engine.ts).
 */
import { addTag, type Event } from '../../pipeline/event.js';
import { getField, parseFieldReference } from '../../pipeline/fields.js';
import { eventByEvent, type FilterPlugin } from '../../pipeline/plugin.js';
import { matchWriter, type MatchWriter } from './captures.js';
import { compileGrok, type CompiledMatch } from './compile.js';
import { admits, type Prefilter } from './prefilter.js';
import { compiledByConfig, grokFilterSchema, type GrokFilterConfig } from './config.js';

interface Counters {
  matched: { inc(by?: number): void };
  failed: { inc(by?: number): void };
  timedOut: { inc(by?: number): void };
}

interface Attempt {
  readonly regex: RegExp;
  readonly prefilter: Prefilter;
  readonly write: MatchWriter;
}

function exec(attempt: Attempt, text: string): RegExpExecArray | null {
  return admits(attempt.prefilter, text) ? attempt.regex.exec(text) : null;
}

function createGrokFilter(config: GrokFilterConfig, compiled: CompiledMatch[], counters: Counters) {
  const options = {
    ...(config.target === undefined ? {} : { target: parseFieldReference(config.target) }),
    overwrite: new Set(config.overwrite.map((field) => parseFieldReference(field).join('\u0000'))),
    keepEmpty: config.keep_empty_captures,
  };
  const matches = compiled.map((match) => ({
    source: match.source,
    attempts: match.patterns.map((pattern): Attempt => ({ regex: pattern.regex, prefilter: pattern.prefilter, write: matchWriter(pattern, options) })),
  }));
  const budget = config.timeout_millis;
  const breakOnMatch = config.break_on_match;

  /** 1: matched, 0: no match, -1: the budget ran out. */
  function tryText(event: Event, text: string, attempts: readonly Attempt[], started: number): number {
    let matched = 0;
    for (let i = 0; i < attempts.length; i++) {
      // Only a cascade of patterns needs the clock: one pattern is bounded by the engine.
      if (i > 0 && budget > 0 && performance.now() - started > budget) return -1;
      const groups = exec(attempts[i], text);
      if (groups === null) continue;
      attempts[i].write(event, groups);
      if (breakOnMatch) return 1;
      matched = 1;
    }
    return matched;
  }

  function processOne(event: Event): void {
    let matched = false;
    let timedOut = false;
    let seen = false;
    const started = budget > 0 && (matches.length > 1 || matches[0].attempts.length > 1) ? performance.now() : 0;
    for (const { source, attempts } of matches) {
      const value = getField(event, source);
      if (typeof value === 'string') {
        seen = true;
        const outcome = tryText(event, value, attempts, started);
        timedOut = outcome === -1;
        matched ||= outcome === 1;
      } else if (Array.isArray(value)) {
        // Logstash matches each value of an array field; the values are read before any capture appends to it.
        for (const text of value.filter((v): v is string => typeof v === 'string')) {
          seen = true;
          const outcome = tryText(event, text, attempts, started);
          timedOut = outcome === -1;
          matched ||= outcome === 1;
          if (timedOut || (matched && breakOnMatch)) break;
        }
      }
      if (timedOut || (matched && breakOnMatch)) break;
    }
    if (!seen) return;
    if (timedOut) {
      counters.timedOut.inc();
      addTag(event, config.tag_on_timeout);
    } else if (matched) {
      counters.matched.inc();
    } else {
      counters.failed.inc();
      for (const tag of config.tag_on_failure) addTag(event, tag);
    }
  }

  return eventByEvent(processOne);
}

export const grokFilter: FilterPlugin<typeof grokFilterSchema> = {
  kind: 'filter',
  type: 'grok',
  description:
    "Parses text with named regular expressions, Logstash's grok: `%{COMBINEDAPACHELOG}`, `%{IP:[source][ip]} %{NUMBER:[event][duration]:int}`. A built-in library with ECS field names covers the base forms and nginx, Apache, HAProxy, syslog, gunicorn, Celery, Django, PostgreSQL, log4j/logback and Python logging lines (see \"Grok\"). Patterns compile once at start; a hostile line cannot hang the worker.",
  schema: grokFilterSchema,
  example: { match: { message: ['%{NGINX_ACCESS}', '%{NGINX_ERRORLOG}'] }, overwrite: ['message'] },
  create(config, context) {
    const compiled = compiledByConfig.get(config) ?? compileGrok(config);
    return createGrokFilter(config, compiled, {
      matched: context.metrics.counter('grok_matches_total', 'Events a grok pattern matched'),
      failed: context.metrics.counter('grok_failures_total', 'Events no grok pattern matched (tagged tag_on_failure)'),
      timedOut: context.metrics.counter('grok_timeouts_total', 'Events whose grok time budget ran out (tagged tag_on_timeout)'),
    });
  },
};
