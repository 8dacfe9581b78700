/**
 * `npm run bench [-- --seconds N --connections N --only tcp]`: runs the benchmarks and prints
 * one block per target, then a JSON summary line for tooling.
 */
import { parseArgs } from 'node:util';
import { printResult, runTcpJsonBench, type BenchResult } from './tcp_json.js';
import { filterPlugins } from '../filters/index.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '2' },
      only: { type: 'string' },
    },
  });
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const results: BenchResult[] = [];
  const wants = (name: string) => values.only === undefined || values.only.split(',').includes(name);
  if (wants('tcp')) {
    results.push(await runTcpJsonBench({ seconds, connections, filters: 'none' }));
    printResult(results[results.length - 1]);
  }
  const hasDefaultFilters = ['json', 'trace_id'].every((t) => filterPlugins.some((p) => p.type === t));
  if (wants('filters') && hasDefaultFilters) {
    results.push(await runTcpJsonBench({ seconds, connections, filters: 'default' }));
    printResult(results[results.length - 1]);
  }
  process.stdout.write(`${JSON.stringify({ bench: results })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
