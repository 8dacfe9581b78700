/** Reading a pipeline file: YAML (or a Logstash .conf, config/logstash/), then `${VAR}` substitution, then validation. */
import { readFile } from 'node:fs/promises';
import { parseDocument } from 'yaml';
import { ConfigError } from '../pipeline/errors.js';
import { substituteEnv, type Environment } from './env.js';
import { validateConfig, type ValidConfig } from './validate.js';
import { formatOf, parseLogstashText, type ConfigFormat } from './logstash/index.js';

export interface LoadOptions {
  /** Unset: by the file's extension (.conf is Logstash). */
  readonly format?: ConfigFormat;
  /** Options accepted without effect (Logstash files); by default written to stderr. */
  readonly onWarning?: (warning: string) => void;
}

export function parseConfigText(text: string, source: string, env: Environment): ValidConfig {
  const doc = parseDocument(text, { prettyErrors: true });
  if (doc.errors.length > 0) {
    const problems = doc.errors.map((e) => `${source}:${e.linePos?.[0]?.line ?? '?'}:${e.linePos?.[0]?.col ?? '?'}: ${e.message.split('\n')[0]}`);
    throw new ConfigError('SLUICE_CONFIG_YAML', `${source}: not valid YAML`, problems, { source });
  }
  let raw: unknown;
  try {
    raw = doc.toJS();
  } catch (err) {
    // The yaml library refuses to expand aliases past a budget (a "billion laughs" file) by throwing.
    const problem = `${source}: ${(err as Error).message}`;
    throw new ConfigError('SLUICE_CONFIG_YAML', `${source}: not valid YAML`, [problem], { source });
  }
  const envProblems: string[] = [];
  const substituted = substituteEnv(raw, env, envProblems);
  if (envProblems.length > 0) throw new ConfigError('SLUICE_CONFIG_ENV', `${source}: ${envProblems.length} problem(s)`, envProblems, { source });
  return validateConfig(substituted, source);
}

export async function loadConfigFile(path: string, env: Environment, options: LoadOptions = {}): Promise<ValidConfig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (err as Error).message;
    throw new ConfigError('SLUICE_CONFIG_READ', `${path}: cannot read: ${reason}`, [`${path}: cannot read: ${reason}`], { path });
  }
  if (formatOf(path, options.format) === 'logstash') {
    return parseLogstashText(text, path, env, options.onWarning ?? ((warning) => process.stderr.write(`sluice: warning: ${warning}\n`)));
  }
  return parseConfigText(text, path, env);
}
