/**
 * The index template installed at start: `@timestamp` a date, `message` and stack traces text
 * (`error.stack_trace`, top-level `stack_trace`),
 * other strings keyword, `event.original` stored but not indexed.
 */
import { readFile } from 'node:fs/promises';
import type { ElasticsearchOutputConfig } from './config.js';
import { supportsIndexTemplate, type EngineInfo } from './detect.js';

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
      error: { properties: { message: text, stack_trace: text, type: keyword } },
      // python-logstash and logstash-logback-encoder put tracebacks at the top level.
      stack_trace: text,
      trace: { properties: { id: { type: 'keyword' } } },
      span: { properties: { id: { type: 'keyword' } } },
      log: { properties: { level: keyword, logger: keyword } },
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
    return { path: `/_template/${name}`, body: custom ?? { index_patterns: [pattern], order: 0, settings: { number_of_shards: 1 }, mappings: mappings() } };
  }
  const body = custom ?? {
    index_patterns: [pattern],
    priority: 200,
    template: { settings: { number_of_shards: 1 }, mappings: mappings() },
    ...(config.data_stream?.enabled ? { data_stream: {} } : {}),
    _meta: { managed_by: 'sluice' },
  };
  return { path: `/_index_template/${name}`, body };
}
