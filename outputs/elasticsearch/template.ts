/**
 * The index template installed at start: `@timestamp` a date, `message` and stack traces text
 * (`error.stack_trace`, with a keyword sub-field cut short, and top-level `stack_trace`),
 * the exception filter's grouping fields keyword, other strings keyword, `event.original`
 * stored but not indexed.
 */
import { readFile } from 'node:fs/promises';
import type { ElasticsearchOutputConfig } from './config.js';
import { supportsIndexTemplate, type EngineInfo } from './detect.js';

const STACK_TRACE_NORMALIZER = 'sluice_stack_trace_prefix';
/** 4096 code points are at most 16 KiB of UTF-8: well under Lucene's 32766-byte limit on one term, and enough to tell traces apart. */
const STACK_TRACE_KEYWORD_CHARS = 4096;

/**
 * Index settings: one shard, and a normalizer that cuts `error.stack_trace.keyword` to its first
 * characters (ignore_above would leave a long trace out of the keyword field altogether).
 */
export function settings(): Record<string, unknown> {
  return {
    number_of_shards: 1,
    analysis: {
      char_filter: { [STACK_TRACE_NORMALIZER]: { type: 'pattern_replace', pattern: `(?s)^(.{0,${STACK_TRACE_KEYWORD_CHARS}}).*$`, replacement: '$1' } },
      normalizer: { [STACK_TRACE_NORMALIZER]: { type: 'custom', char_filter: [STACK_TRACE_NORMALIZER] } },
    },
  };
}

export function mappings(): Record<string, unknown> {
  const text = { type: 'text' };
  const keyword = { type: 'keyword', ignore_above: 1024 };
  return {
    dynamic_templates: [{ strings_as_keyword: { match_mapping_type: 'string', mapping: keyword } }],
    properties: {
      '@timestamp': { type: 'date' },
      message: text,
      tags: { type: 'keyword' },
      event: { properties: { original: { type: 'keyword', index: false, doc_values: false } } },
      error: {
        properties: {
          message: text,
          // Searchable as text; `.keyword` holds its first characters (cut by the normalizer, see settings()).
          stack_trace: { type: 'text', fields: { keyword: { type: 'keyword', normalizer: STACK_TRACE_NORMALIZER } } },
          type: keyword,
          fingerprint: keyword,
          culprit: keyword,
          grouped_by: keyword,
          chain: keyword,
          frames: { type: 'integer' },
        },
      },
      // python-logstash and logstash-logback-encoder put tracebacks at the top level.
      stack_trace: text,
      trace: { properties: { id: { type: 'keyword' } } },
      span: { properties: { id: { type: 'keyword' } } },
      log: { properties: { level: keyword, logger: keyword, template: { type: 'text', fields: { keyword } } } },
      host: { properties: { name: keyword, hostname: keyword } },
    },
  };
}

/** `sluice-%{+yyyy.MM.dd}` -> `sluice-*`: the static part of the index name. */
export function indexPattern(config: ElasticsearchOutputConfig): string {
  if (config.template.pattern) return config.template.pattern;
  if (config.data_stream?.enabled) return `${config.data_stream.type}-${config.data_stream.dataset}-*`;
  const cut = config.index.indexOf('%{');
  return `${cut === -1 ? config.index : config.index.slice(0, cut)}*`;
}

export interface TemplateRequest {
  path: string;
  body: Record<string, unknown>;
}

export async function templateRequest(config: ElasticsearchOutputConfig, info: EngineInfo): Promise<TemplateRequest> {
  const name = encodeURIComponent(config.template.name);
  const custom = config.template.file ? (JSON.parse(await readFile(config.template.file, 'utf8')) as Record<string, unknown>) : undefined;
  const pattern = indexPattern(config);
  if (!supportsIndexTemplate(info)) {
    return { path: `/_template/${name}`, body: custom ?? { index_patterns: [pattern], order: 0, settings: settings(), mappings: mappings() } };
  }
  const body = custom ?? {
    index_patterns: [pattern],
    priority: 200,
    template: { settings: settings(), mappings: mappings() },
    ...(config.data_stream?.enabled ? { data_stream: {} } : {}),
    _meta: { managed_by: 'sluice' },
  };
  return { path: `/_index_template/${name}`, body };
}
