/**
 * `sluice run | check | docs`. Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { loadConfigFile, parseConfigText } from '../config/load.js';
import { defaultPipelineYaml } from '../config/default.js';
import type { ValidConfig } from '../config/validate.js';
import { ConfigError, errorMessage, SluiceError } from './errors.js';
import { createLogger, LOG_LEVELS, type LogLevel } from './logger.js';
import { Pipeline } from './runner.js';
import { referenceMarkdown } from './docs.js';

const USAGE = `Usage: sluice <command> [options]

Commands:
  run [-c FILE]     run a pipeline (without -c: the built-in default, TCP JSON lines on 5000 to stdout,
                    and to Elasticsearch when ELASTICSEARCH_URL is set)
  check -c FILE     validate a pipeline file: exit 0 with a summary, or 2 with every error and its path
  docs              print the plugin reference (markdown) generated from the plugin schemas

Options:
  -c, --config FILE    pipeline file (YAML; \${VAR} and \${VAR:-default} are substituted)
  --log-level LEVEL    ${LOG_LEVELS.join(', ')} (default info)
  -h, --help           this help
  -v, --version        the version
`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

async function loadConfig(path: string | undefined): Promise<ValidConfig> {
  if (path) return loadConfigFile(path, process.env);
  return parseConfigText(defaultPipelineYaml(process.env), '(built-in default pipeline)', process.env);
}

function reportConfigError(err: ConfigError): number {
  process.stderr.write(`sluice: ${err.message}\n`);
  for (const issue of err.issues) process.stderr.write(`  ${issue}\n`);
  return 2;
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

async function run(path: string | undefined, levelFlag: LogLevel | undefined): Promise<number> {
  let config: ValidConfig;
  try {
    config = await loadConfig(path);
  } catch (err) {
    if (err instanceof ConfigError) return reportConfigError(err);
    throw err;
  }
  const logger = createLogger(levelFlag ?? config.logLevel ?? 'info');
  const pipeline = new Pipeline(config, logger);

  let signals = 0;
  const done = new Promise<number>((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      signals++;
      if (signals > 1) {
        logger.warn({ signal }, 'second signal: exiting now');
        process.exit(signal === 'SIGINT' ? 130 : 143);
      }
      logger.info({ signal }, 'shutting down: stop accepting, drain, flush (send the signal again to exit at once)');
      pipeline.stop().then(
        () => resolve(0),
        (err: unknown) => {
          logger.error({ err: errorMessage(err) }, 'shutdown failed');
          resolve(1);
        },
      );
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });

  try {
    const started = await pipeline.start();
    logger.info({ version: version(), config: path ?? '(default)', ...started, pid: process.pid }, 'sluice started');
  } catch (err) {
    logger.fatal({ err: errorMessage(err), code: err instanceof SluiceError ? err.code : undefined }, 'cannot start');
    await pipeline.stop().catch(() => undefined);
    return 1;
  }
  return done;
}

export async function main(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        config: { type: 'string', short: 'c' },
        'log-level': { type: 'string' },
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
  let code: number;
  switch (command) {
    case 'run':
      code = await run(values.config, level as LogLevel | undefined);
      break;
    case 'check':
      code = await check(values.config);
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
