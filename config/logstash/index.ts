/**
 * Logstash pipeline files (.conf): parsed, translated into the document a YAML file would give,
 * then validated by the same code as YAML, so both formats run the same plugins the same way.
 */
import { ConfigError } from '../../pipeline/errors.js';
import type { Environment } from '../env.js';
import { validateConfig, type ValidConfig } from '../validate.js';
import { parseLogstash } from './parser.js';
import { SourceText } from './source.js';
import { translateLogstash, unsupportedError, type LogstashTranslation } from './translate/index.js';

export type ConfigFormat = 'yaml' | 'logstash';

/** The format a file is read as: `--format` when given, else `.conf` is Logstash and anything else YAML. */
export function formatOf(path: string, asked?: ConfigFormat): ConfigFormat {
  return asked ?? (/\.conf$/i.test(path) ? 'logstash' : 'yaml');
}

/**
 * `env` undefined keeps `${VAR}` references as text (for `sluice convert`). Warnings reach
 * `onWarning` before any refusal is thrown, so that a file with both shows both.
 */
export function translateLogstashText(text: string, source: string, env: Environment | undefined, onWarning: (warning: string) => void = () => undefined): LogstashTranslation {
  const file = new SourceText(source, text);
  const translation = translateLogstash(parseLogstash(file), file, env);
  for (const warning of translation.warnings) onWarning(warning);
  if (translation.problems.length > 0) throw unsupportedError(source, translation.problems);
  return translation;
}

export function parseLogstashText(text: string, source: string, env: Environment, onWarning: (warning: string) => void): ValidConfig {
  const translation = translateLogstashText(text, source, env, onWarning);
  try {
    return validateConfig(translation.document, source);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    throw new ConfigError(err.code, err.message, err.issues.map((issue) => locateIssue(issue, translation)), err.context);
  }
}

const ISSUE_PATH = /^(inputs|filters|outputs)\[(\d+)\]((?:\.[A-Za-z0-9_@]+|\[\d+\])*): /;

/** `inputs[0].port: ...` told at the .conf's plugin or option: `file:line:column: input tcp option port (inputs[0].port): ...`. */
function locateIssue(issue: string, translation: LogstashTranslation): string {
  const match = ISSUE_PATH.exec(issue);
  if (!match) return issue;
  const [prefix, section, index, rest] = match;
  const block = translation.document[section as 'inputs' | 'filters' | 'outputs'][Number(index)];
  const origin = block ? translation.origins.get(block) : undefined;
  if (!origin) return issue;
  const path = prefix.slice(0, -2);
  // The longest option path the issue's path starts with: `tls.cert` before `tls`.
  const keys = rest.replace(/\[\d+\]/g, '').split('.').slice(1);
  let option: { where: string; name: string } | undefined;
  for (let n = keys.length; n > 0 && !option; n--) option = origin.options.get(keys.slice(0, n).join('.'));
  const place = option ? `${option.where}: ${origin.label} option ${option.name}` : `${origin.where}: ${origin.label}`;
  return `${place} (${path}): ${issue.slice(prefix.length)}`;
}
