/**
 * Logstash pipeline files (.conf): parsed, translated into the document a YAML file would give,
 * then validated by the same code as YAML, so both formats run the same plugins the same way.
 */
import type { Environment } from '../env.js';
import { validateConfig, type ValidConfig } from '../validate.js';
import { parseLogstash } from './parser.js';
import { SourceText } from './source.js';
import { translateLogstash, type LogstashTranslation } from './translate/index.js';

export type ConfigFormat = 'yaml' | 'logstash';

/** The format a file is read as: `--format` when given, else `.conf` is Logstash and anything else YAML. */
export function formatOf(path: string, asked?: ConfigFormat): ConfigFormat {
  return asked ?? (/\.conf$/i.test(path) ? 'logstash' : 'yaml');
}

/** `env` undefined keeps `${VAR}` references as text (for `sluice convert`). */
export function translateLogstashText(text: string, source: string, env: Environment | undefined): LogstashTranslation {
  const file = new SourceText(source, text);
  return translateLogstash(parseLogstash(file), file, env);
}

export function parseLogstashText(text: string, source: string, env: Environment, onWarning: (warning: string) => void): ValidConfig {
  const translation = translateLogstashText(text, source, env);
  for (const warning of translation.warnings) onWarning(warning);
  return validateConfig(translation.document, source);
}
