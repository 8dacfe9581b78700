/**
 * `npm run bench [-- --help]`: runs the benchmarks and prints
 * one block per target, then a JSON summary line for tooling.
 */
import { parseArgs } from 'node:util';
import { join, resolve } from 'node:path';
import { runTcpJsonBench } from './tcp_json.js';
import { nodeCeiling } from './node_ceiling.js';
import { formatRate, printResult, type BenchResult, type QueueChoice } from './lib.js';
import { diskRates, queueRecovery } from './persisted.js';
import { filterPlugins } from '../filters/index.js';
import { cpuPerEvent, engineCeiling, engineUrl, sluiceIntoEngine, sluiceNullAtRate, stopEngine } from './elasticsearch.js';
import { kafkaBootstrap, sluiceIntoKafka, stopKafka } from './kafka.js';
import { kafkaIntoSluice } from './kafka_input.js';
import { runBeatsBench } from './beats.js';
import { runLongLineBench } from './long_line.js';
import { runFileTailBench } from './file_tail.js';
import { printUdpResult, receiveBufferNote, rsyslogUdpRate, sluiceUdpRate, type UdpRateResult } from './syslog_udp.js';
import { runGrokBench } from './grok.js';
import { inProcessFigures, printFigures, runExceptionBench, type ExceptionBenchFigures } from './exceptions.js';
import { multilineFigures, printMultilineFigures, type MultilineBenchFigures } from './multiline.js';
import { metricsInProcess, runMetricsPipelineBench } from './metrics.js';
import { appendHistory, historyEntry } from './history.js';
import { writeReport } from './report.js';

const REPO = resolve(import.meta.dirname, '..', '..');
const HISTORY = join(REPO, 'bench', 'history.jsonl');

const USAGE = `npm run bench -- [options]
  --seconds N          length of each timed run (default 10)
  --connections N      sender connections for tcp, filters and beats (default 4)
  --workers 1,2        sluice worker counts to run each target with (default 1,2)
  --only a,b           targets: tcp, filters, exceptions, multiline, grok, metrics, beats, long-line, file, syslog, elasticsearch, kafka, kafka-input, disk, recovery (default all)
  --kafka-events N     records the kafka-input target fills its topic with and reads back (default 500000)
  --file-lines N       lines in the file the file target reads (default 1000000; cut after 30 s)
  --long-line-mib N    size of the one line of the long-line target (default 200; cut after 30 s)
  --queues a,b         queue types for tcp, filters and beats: memory, persisted (default both)
  --recovery-mib N     size of the queue folder the recovery target fills (default 1024)
  --udp-rates r1,r2    offered datagrams/s for the syslog target (default 25000,50000,100000,200000)
  --report             run nothing: draw bench/history.jsonl (which every run appends to) as bench/report.svg
Environment: SLUICE_BENCH_NODE_ARGS='--cpu-prof --cpu-prof-dir=DIR' passes flags to the sluice processes only.
`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      seconds: { type: 'string', default: '10' },
      connections: { type: 'string', default: '4' },
      workers: { type: 'string', default: '1,2' },
      only: { type: 'string' },
      'udp-rates': { type: 'string', default: '25000,50000,100000,200000' },
      queues: { type: 'string', default: 'memory,persisted' },
      'recovery-mib': { type: 'string', default: '1024' },
      'long-line-mib': { type: 'string', default: '200' },
      'file-lines': { type: 'string', default: '1000000' },
      'kafka-events': { type: 'string', default: '500000' },
      report: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  if (values.report) {
    process.stdout.write(writeReport(HISTORY, join(REPO, 'bench', 'report.svg')));
    return;
  }
  const seconds = Number(values.seconds);
  const connections = Number(values.connections);
  const results: BenchResult[] = [];
  const wants = (name: string) => values.only === undefined || values.only.split(',').includes(name);
  const workerCounts = values.workers.split(',').map(Number);
  const queues = values.queues.split(',') as QueueChoice[];
  if (wants('disk')) {
    const disk = diskRates();
    process.stdout.write(`disk: sequential write ${disk.sequentialMiBps.toFixed(0)} MiB/s; fdatasync after 4 KiB writes ${disk.fdatasyncPerSecond.toFixed(0)}/s (${disk.fdatasyncMs.toFixed(2)} ms each)\n\n`);
  }
  if (wants('recovery')) {
    // Records as the tcp input writes them (its lines) and as batches without a recording are stored (JSON).
    for (const form of ['lines', 'json'] as const) {
      const r = await queueRecovery(Number(values['recovery-mib']) * 1024 * 1024, form);
      process.stdout.write(`persisted queue recovery (${form} records): ${(r.bytes / 1048576).toFixed(0)} MiB, ${formatRate(r.events)} events: filled in ${r.fillSeconds.toFixed(1)} s, start-up scan ${r.openSeconds.toFixed(2)} s, read back in ${r.readAllSeconds.toFixed(1)} s\n\n`);
    }
  }
  for (const queue of queues) {
    if (wants('tcp')) {
      for (const workers of workerCounts) {
        results.push(await runTcpJsonBench({ seconds, connections, filters: 'none', workers, queue }));
        printResult(results[results.length - 1]);
      }
    }
    const hasDefaultFilters = ['json', 'trace_id'].every((t) => filterPlugins.some((p) => p.type === t));
    if (wants('filters') && hasDefaultFilters) {
      for (const workers of workerCounts) {
        results.push(await runTcpJsonBench({ seconds, connections, filters: 'default', workers, queue }));
        printResult(results[results.length - 1]);
      }
    }
  }
  if (wants('tcp') || wants('filters')) {
    // What one worker reaches against the work no JSON pipeline on Node avoids, measured in the same run.
    const [ceiling, workerWork] = nodeCeiling(seconds);
    results.push(ceiling, workerWork);
    printResult(ceiling);
    for (const result of [...results.filter((r) => /^tcp json_lines -> null \(.*workers: 1,/.test(r.name)), workerWork]) {
      process.stdout.write(`  ${((result.eventsPerSecond / ceiling.eventsPerSecond) * 100).toFixed(0)}% of it: ${result.name}\n`);
    }
    printResult(workerWork);
  }
  if (wants('grok')) results.push(...(await runGrokBench(seconds, connections)));
  let multiline: MultilineBenchFigures | undefined;
  if (wants('multiline')) {
    multiline = multilineFigures();
    printMultilineFigures(multiline);
  }
  if (wants('metrics')) {
    metricsInProcess(seconds);
    results.push(...(await runMetricsPipelineBench(seconds, connections)));
  }
  let exceptions: ExceptionBenchFigures | undefined;
  if (wants('exceptions')) {
    exceptions = inProcessFigures();
    printFigures(exceptions);
    for (const workers of workerCounts) {
      for (const result of await runExceptionBench(seconds, connections, workers)) {
        results.push(result);
        printResult(result);
      }
    }
  }
  if (wants('beats')) {
    // Uncompressed and Filebeat's default compression with each queue; then the ack modes side by side at Filebeat's window.
    for (const queue of queues) {
      for (const compression of [0, 3]) {
        for (const workers of workerCounts) {
          results.push(await runBeatsBench({ events: 1_000_000, connections, compression, workers, queue, ack: 'queue', window: 2048 }));
          printResult(results[results.length - 1]);
        }
      }
    }
    for (const window of [200, 2048]) {
      for (const queue of queues) {
        results.push(await runBeatsBench({ events: 300_000, connections, compression: 0, workers: 1, queue, ack: 'end_to_end', window }));
        printResult(results[results.length - 1]);
      }
    }
  }
  if (wants('long-line')) {
    results.push(await runLongLineBench({ lineBytes: Number(values['long-line-mib']) * 1048576, timeoutSeconds: 30 }));
    printResult(results[results.length - 1]);
  }
  if (wants('file')) {
    results.push(await runFileTailBench(Number(values['file-lines']), 30));
    printResult(results[results.length - 1]);
  }
  const udpResults: UdpRateResult[] = [];
  if (wants('syslog')) {
    process.stdout.write(receiveBufferNote());
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
      for (const ids of ['engine', 'stable'] as const) {
        results.push(await engineCeiling(engine.url, seconds, ids));
        printResult(results[results.length - 1]);
      }
      for (const workers of workerCounts) {
        const intoEngine = await sluiceIntoEngine(engine.url, seconds, workers, connections);
        results.push(intoEngine);
        printResult(intoEngine);
        // The same events at the same rate into the null output: what the engine path adds per event.
        const intoNull = await sluiceNullAtRate(intoEngine.eventsPerSecond, seconds, workers, connections);
        results.push(intoNull);
        printResult(intoNull);
        const [enginePath, nullPath] = [cpuPerEvent(intoEngine), cpuPerEvent(intoNull)];
        process.stdout.write(`  CPU per event: ${enginePath.toFixed(2)} us into the engine, ${nullPath.toFixed(2)} us into null at that rate (${(enginePath / nullPath).toFixed(2)}x)\n`);
      }
      // The engine's rate drifts while it runs (JIT, merges): measured on both sides of sluice's runs, the pair brackets them.
      results.push(await engineCeiling(engine.url, seconds, 'stable', 'engine ceiling again'));
      printResult(results[results.length - 1]);
    } finally {
      if (engine.started) stopEngine();
    }
  }
  if (wants('kafka') || wants('kafka-input')) {
    const kafka = kafkaBootstrap();
    try {
      for (const workers of wants('kafka') ? workerCounts : []) {
        results.push(await sluiceIntoKafka(kafka.bootstrap, seconds, workers));
        printResult(results[results.length - 1]);
      }
      for (const workers of wants('kafka-input') ? workerCounts : []) {
        results.push(await kafkaIntoSluice(kafka.bootstrap, Number(values['kafka-events']), workers));
        printResult(results[results.length - 1]);
      }
    } finally {
      if (kafka.started) stopKafka();
    }
  }
  if (results.length > 0) appendHistory(HISTORY, historyEntry(REPO, results));
  process.stdout.write(`${JSON.stringify({ bench: results, udp: udpResults, ...(exceptions ? { exceptions } : {}), ...(multiline ? { multiline } : {}) })}\n`);
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
