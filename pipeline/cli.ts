/**
 * `sluice run | check | docs`. Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage.
 */
import cluster from 'node:cluster';
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { loadConfigFile, parseConfigText } from '../config/load.js';
import { convertCommand } from '../config/logstash/command.js';
import type { ConfigFormat } from '../config/logstash/index.js';
import { defaultPipelineYaml } from '../config/default.js';
import type { ValidConfig } from '../config/validate.js';
import { ConfigError, errorMessage, SluiceError } from './errors.js';
import { createLogger, defaultLogFormat, LOG_FORMATS, LOG_LEVELS, type LogFormat, type Logger, type LogLevel } from './logger.js';
import { startupFacts } from './startup_summary.js';
import { exitOnSignals } from './signals.js';
import { ClusterPrimary, WORKER_COUNT_ENV, WORKER_INDEX_ENV } from './cluster/primary.js';
import { runClusterWorker } from './cluster/worker.js';
import { Pipeline } from './runner.js';
import { referenceMarkdown } from './docs.js';
import { QUEUE_ACTIONS, queueCommand, type QueueAction } from './queue/command.js';
import { DEFAULT_API, runTop } from './top/index.js';
import { isSearchCommand, runSearchCommand, SEARCH_USAGE } from './search/index.js';

const USAGE = `Usage: sluice <command> [options]

Commands:
  run [-c FILE]     run a pipeline (without -c: the built-in default, JSON lines on TCP+UDP 5000 to stdout,
                    and to Elasticsearch when ELASTICSEARCH_URL is set)
  check -c FILE     validate a pipeline file: exit 0 with a summary, or 2 with every error and its path
  convert FILE      print a Logstash pipeline (.conf) as the equivalent YAML, with comments where a choice was made
  docs              print the plugin reference (markdown) generated from the plugin schemas
  top [--api URL]   the status page in the terminal for a running sluice (default --api ${DEFAULT_API})
  queue status|check|repair -c FILE
                    the persisted queue on disk: what is pending; check exits 1 on damage; repair cuts
                    torn tails and sets damaged segments aside (as a start would), while no sluice runs
${SEARCH_USAGE}
Options:
  -c, --config FILE    pipeline file (YAML; \${VAR} and \${VAR:-default} are substituted; a .conf file is Logstash's language)
  --format FORMAT      yaml or logstash (default: logstash for .conf files, else yaml)
  --log-level LEVEL    ${LOG_LEVELS.join(', ')} (default info)
  --log-format FORMAT  ${LOG_FORMATS.join(' or ')} (default: log_format in the file, else pretty when stderr is a terminal, else json)
  -h, --help           this help
  -v, --version        the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

let configFormat: ConfigFormat | undefined;

async function loadConfig(path: string | undefined, onWarning?: (warning: string) => void): Promise<ValidConfig> {
  if (path) return loadConfigFile(path, process.env, { ...(configFormat ? { format: configFormat } : {}), ...(onWarning ? { onWarning } : {}) });
  return parseConfigText(defaultPipelineYaml(process.env), '(built-in default pipeline)', process.env);
}

/** A config problem for people: the error on one line with its code, then each problem with its path. */
function reportConfigError(err: ConfigError): number {
  const single = err.issues.length === 1 && err.issues[0] === err.message;
  process.stderr.write(`sluice: ${err.message} [${err.code}]\n`);
  if (!single) for (const issue of err.issues) process.stderr.write(`  ${issue}\n`);
  return 2;
}

/** One log line for a pipeline that could not start; exit 2 when the config is to blame, 1 for the environment. */
function reportStartError(logger: Logger, err: unknown): number {
  if (err instanceof SluiceError) {
    logger.fatal({ code: err.code, err: err.message, ...(err instanceof ConfigError && err.issues.length > 1 ? { issues: err.issues } : {}) }, 'cannot start');
    return err instanceof ConfigError ? 2 : 1;
  }
  logger.fatal(bugFields(err), 'cannot start');
  return 1;
}

/** A bug is logged with its stack (still one JSON line): it is for us to read, not the operator. */
function bugFields(err: unknown): Record<string, unknown> {
  return { code: 'SLUICE_INTERNAL', err: errorMessage(err), stack: err instanceof Error ? err.stack : undefined };
}

function summary(config: ValidConfig): string {
  const list = (items: ReadonlyArray<{ plugin: { type: string } }>, word: string) =>
    `${items.length} ${word}${items.length === 1 ? '' : 's'}${items.length ? ` (${items.map((i) => i.plugin.type).join(', ')})` : ''}`;
  return `${list(config.inputs, 'input')}, ${list(config.filters, 'filter')}, ${list(config.outputs, 'output')}`;
}

async function check(path: string | undefined): Promise<number> {
  if (!path) {
    process.stderr.write('sluice check: -c FILE is required\n');
    return 2;
  }
  try {
    const config = await loadConfig(path);
    process.stdout.write(`ok: ${path}: ${summary(config)}\n`);
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) return reportConfigError(err);
    throw err;
  }
}

async function queue(action: string | undefined, path: string | undefined): Promise<number> {
  if (!action || !(QUEUE_ACTIONS as readonly string[]).includes(action)) {
    process.stderr.write(`sluice queue: expected one of ${QUEUE_ACTIONS.join(', ')}\n`);
    return 2;
  }
  try {
    const config = await loadConfig(path);
    return queueCommand(action as QueueAction, config, (line) => process.stdout.write(`${line}\n`));
  } catch (err) {
    if (err instanceof ConfigError) return reportConfigError(err);
    throw err;
  }
}

function workerCount(setting: number | 'auto'): number {
  return setting === 'auto' ? Math.max(1, availableParallelism()) : setting;
}

async function runSingle(config: ValidConfig, logger: Logger, path: string | undefined): Promise<number> {
  let pipeline: Pipeline;
  try {
    pipeline = new Pipeline(config, logger);
  } catch (err) {
    return reportStartError(logger, err);
  }
  const done = exitOnSignals(logger, async () => {
    await pipeline.stop();
    logger.info({ ...pipeline.totals() }, 'stopped');
  });
  try {
    const started = await pipeline.start();
    logger.info({ version: version(), config: path ?? '(default)', ...started, ...startupFacts(config, started.api), workers: 1, pid: process.pid }, 'sluice started');
  } catch (err) {
    const code = reportStartError(logger, err);
    await pipeline.stop().catch(() => undefined);
    return code;
  }
  return done;
}

async function runPrimary(config: ValidConfig, logger: Logger, path: string | undefined, count: number): Promise<number> {
  const primary = new ClusterPrimary(config, logger, count);
  const done = primary.run();
  try {
    const started = await primary.start();
    logger.info({ version: version(), config: path ?? '(default)', ...started, ...startupFacts(config, started.api), workers: count, pid: process.pid }, 'sluice started');
  } catch (err) {
    primary.killAll();
    return reportStartError(logger, err);
  }
  return done;
}

/** A bug that escapes every handler is one fatal log line with its stack, then exit 1. */
function exitOnCrash(logger: Logger): void {
  const crash = (err: unknown) => {
    logger.fatal(bugFields(err), 'crashed');
    process.exit(1);
  };
  process.on('uncaughtException', crash);
  process.on('unhandledRejection', crash);
}

async function run(path: string | undefined, levelFlag: LogLevel | undefined, formatFlag: LogFormat | undefined): Promise<number> {
  let config: ValidConfig;
  // Logstash options without effect: logged once the logger exists, printed with the error when there is none.
  const warnings: string[] = [];
  try {
    config = await loadConfig(path, (warning) => warnings.push(warning));
  } catch (err) {
    for (const warning of warnings) process.stderr.write(`sluice: warning: ${warning}\n`);
    if (err instanceof ConfigError) return reportConfigError(err);
    throw err;
  }
  const level = levelFlag ?? config.logLevel ?? 'info';
  const format = formatFlag ?? config.logFormat ?? defaultLogFormat();
  if (cluster.isWorker) {
    const index = Number(process.env[WORKER_INDEX_ENV] ?? 0);
    const count = Number(process.env[WORKER_COUNT_ENV] ?? 1);
    const workerLogger = createLogger(level, { format, clusterWorker: true }).child({ worker: index });
    exitOnCrash(workerLogger);
    return runClusterWorker(config, workerLogger, { index, count });
  }
  const logger = createLogger(level, { format });
  exitOnCrash(logger);
  for (const warning of warnings) logger.warn({ code: 'SLUICE_CONFIG_LOGSTASH_IGNORED', warning }, 'Logstash option without effect');
  const count = workerCount(config.pipeline.workers);
  return count > 1 ? runPrimary(config, logger, path, count) : runSingle(config, logger, path);
}

export async function main(argv: string[]): Promise<void> {
  // The search commands take options of their own (pipeline/search/args.ts).
  if (isSearchCommand(argv[0])) process.exit(await runSearchCommand(argv[0], argv.slice(1)));
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        api: { type: 'string' },
        'log-level': { type: 'string' },
        'log-format': { type: 'string' },
        format: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
        version: { type: 'boolean', short: 'v' },
      },
    });
  } catch (err) {
    process.stderr.write(`sluice: ${errorMessage(err)}\n\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  const { values, positionals } = parsed;
  if (values.version) {
    process.stdout.write(`sluice ${version()}\n`);
    return;
  }
  const command = positionals[0];
  if (values.help || !command) {
    process.stdout.write(USAGE);
    process.exitCode = values.help ? 0 : 2;
    return;
  }
  const level = values['log-level'];
  if (level !== undefined && !(LOG_LEVELS as readonly string[]).includes(level)) {
    process.stderr.write(`sluice: --log-level: expected one of ${LOG_LEVELS.join(', ')}, got ${JSON.stringify(level)}\n`);
    process.exitCode = 2;
    return;
  }
  if (values.format !== undefined && values.format !== 'yaml' && values.format !== 'logstash') {
    process.stderr.write(`sluice: --format: expected yaml or logstash, got ${JSON.stringify(values.format)}\n`);
    process.exitCode = 2;
    return;
  }
  const logFormat = values['log-format'];
  if (logFormat !== undefined && !(LOG_FORMATS as readonly string[]).includes(logFormat)) {
    process.stderr.write(`sluice: --log-format: expected ${LOG_FORMATS.join(' or ')}, got ${JSON.stringify(logFormat)}\n`);
    process.exitCode = 2;
    return;
  }
  configFormat = values.format;
  let code: number;
  switch (command) {
    case 'run':
      code = await run(values.config, level as LogLevel | undefined, logFormat as LogFormat | undefined);
      break;
    case 'check':
      code = await check(values.config);
      break;
    case 'queue':
      code = await queue(positionals[1], values.config);
      break;
    case 'top':
      code = await runTop(values.api ?? DEFAULT_API);
      break;
    case 'convert':
      code = await convertCommand(positionals[1] ?? values.config, reportConfigError);
      break;
    case 'docs':
      process.stdout.write(referenceMarkdown());
      code = 0;
      break;
    default:
      process.stderr.write(`sluice: unknown command ${JSON.stringify(command)}\n\n${USAGE}`);
      code = 2;
  }
  // Exit explicitly: sockets the pipeline closed may keep the loop alive a little after draining.
  process.exit(code);
}
