/**
 * `npm run bench [-- --help]`: runs the benchmarks and prints
 * one block per target, then a JSON summary line for tooling.
 */
import { parseArgs } from 'node:util';
import { runTcpJsonBench } from './tcp_json.js';
import { printResult, type BenchResult } from './lib.js';
import { filterPlugins } from '../filters/index.js';
import { engineCeiling, engineUrl, sluiceIntoEngine, stopEngine } from './elasticsearch.js';
import { runBeatsBench } from './beats.js';
import { printUdpResult, rsyslogUdpRate, sluiceUdpRate, type UdpRateResult } from './syslog_udp.js';
import { runGrokBench } from './grok.js';

const USAGE = `npm run bench -- [options]
  --seconds N          length of each timed run (default 10)
  --connections N      sender connections for tcp, filters and beats (default 4)
  --workers 1,2        sluice worker counts to run each target with (default 1,2)
  --only a,b           targets: tcp, filters, grok, beats, syslog, elasticsearch (default all)
  --udp-rates r1,r2    offered datagrams/s for the syslog target (default 25000,50000,100000,200000)
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '4' },
      workers: { type: 'string', default: '1,2' },
      only: { type: 'string' },
      'udp-rates': { type: 'string', default: '25000,50000,100000,200000' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const results: BenchResult[] = [];
  const wants = (name: string) => values.only === undefined || values.only.split(',').includes(name);
  const workerCounts = values.workers.split(',').map(Number);
  if (wants('tcp')) {
    for (const workers of workerCounts) {
      results.push(await runTcpJsonBench({ seconds, connections, filters: 'none', workers }));
      printResult(results[results.length - 1]);
    }
  }
  const hasDefaultFilters = ['json', 'trace_id'].every((t) => filterPlugins.some((p) => p.type === t));
  if (wants('filters') && hasDefaultFilters) {
    for (const workers of workerCounts) {
      results.push(await runTcpJsonBench({ seconds, connections, filters: 'default', workers }));
      printResult(results[results.length - 1]);
    }
  }
  if (wants('grok')) results.push(...(await runGrokBench(seconds, connections)));
  if (wants('beats')) {
    for (const compression of [0, 3]) {
      for (const workers of workerCounts) {
        results.push(await runBeatsBench({ events: 1_000_000, connections, compression, workers }));
        printResult(results[results.length - 1]);
      }
    }
  }
  const udpResults: UdpRateResult[] = [];
  if (wants('syslog')) {
    for (const rate of values['udp-rates'].split(',').map(Number)) {
      for (const workers of workerCounts) {
        udpResults.push(await sluiceUdpRate(rate, seconds, workers));
        printUdpResult(udpResults[udpResults.length - 1]);
      }
      udpResults.push(await rsyslogUdpRate(rate, seconds));
      printUdpResult(udpResults[udpResults.length - 1]);
    }
  }
  if (wants('elasticsearch')) {
    const engine = engineUrl();
    try {
      results.push(await engineCeiling(engine.url, seconds));
      printResult(results[results.length - 1]);
      for (const workers of workerCounts) {
        results.push(await sluiceIntoEngine(engine.url, seconds, workers));
        printResult(results[results.length - 1]);
      }
    } finally {
      if (engine.started) stopEngine();
    }
  }
  process.stdout.write(`${JSON.stringify({ bench: results, udp: udpResults })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
