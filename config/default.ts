/**
 * The pipeline `sluice run` uses without `-c`: JSON lines on TCP and JSON datagrams on UDP, port 5000, through the default
 * filters to stdout, and to Elasticsearch when ELASTICSEARCH_URL is set. It is YAML text that
 * goes through the same loader as a user's file, so it is validated the same way.
 */
import { filterPlugins } from '../filters/index.js';
import { outputPlugins } from '../outputs/index.js';
import type { Environment } from './env.js';

/** Filters the default pipeline runs, in order, with their settings, when they are registered. */
const DEFAULT_FILTERS: ReadonlyArray<{ type: string; settings: string[] }> = [
  // Plain-text lines are common on a shared port: they pass untouched instead of being tagged.
  { type: 'json', settings: ['skip_on_invalid_json: true'] },
  { type: 'trace_id', settings: [] },
  { type: 'exception', settings: [] },
];

export function defaultPipelineYaml(env: Environment): string {
  const lines = [
    '# sluice built-in default pipeline',
    'pipeline:',
    '  workers: ${SLUICE_WORKERS:-auto}',
    'api:',
    '  host: ${SLUICE_API_HOST:-127.0.0.1}',
    '  port: ${SLUICE_API_PORT:-9600}',
    'inputs:',
    '  - type: tcp',
    '    id: tcp_json',
    '    port: ${SLUICE_TCP_PORT:-5000}',
    '    codec: json_lines',
    // python-logstash's UDP handler (and others) send one JSON document per datagram.
    '  - type: udp',
    '    id: udp_json',
    '    port: ${SLUICE_UDP_PORT:-5000}',
    '    codec: json',
  ];
  const filters = DEFAULT_FILTERS.filter(({ type }) => filterPlugins.some((p) => p.type === type));
  if (filters.length > 0) {
    lines.push('filters:');
    for (const { type, settings } of filters) lines.push(`  - type: ${type}`, ...settings.map((line) => `    ${line}`));
  }
  lines.push('outputs:', '  - type: stdout', '    id: stdout');
  if (env.ELASTICSEARCH_URL && outputPlugins.some((p) => p.type === 'elasticsearch')) {
    lines.push('  - type: elasticsearch', '    id: elasticsearch', '    hosts: ${ELASTICSEARCH_URL}');
  }
  return `${lines.join('\n')}\n`;
}
