/**
 * `${VAR}` and `${VAR:-default}` in config values, substituted after YAML parsing so that a
 * value can never change the document's structure. A scalar that is exactly one reference is
 * re-read as a YAML scalar, so `port: ${PORT:-5000}` is still a number.
 */
import { parse as parseYaml } from 'yaml';
import { formatPath, type ConfigPath } from './paths.js';

const REFERENCE = /\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const WHOLE_REFERENCE = /^\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}$/;

export type Environment = Readonly<Record<string, string | undefined>>;

export function substituteEnv(value: unknown, env: Environment, problems: string[], path: ConfigPath = []): unknown {
  if (typeof value === 'string') return substituteString(value, env, problems, path);
  if (Array.isArray(value)) return value.map((item, i) => substituteEnv(item, env, problems, [...path, i]));
  if (value !== null && typeof value === 'object') {
    // fromEntries keeps a `__proto__` key an own key (for validation to refuse); assigning it would set the prototype.
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, substituteEnv(item, env, problems, [...path, key])]));
  }
  return value;
}

function lookup(name: string, fallback: string | undefined, env: Environment, problems: string[], path: ConfigPath): string {
  const found = env[name];
  if (found !== undefined && found !== '') return found;
  if (fallback !== undefined) return fallback;
  problems.push(`${formatPath(path)}: environment variable ${name} is not set and has no default (write \${${name}:-default})`);
  return '';
}

function substituteString(text: string, env: Environment, problems: string[], path: ConfigPath): unknown {
  if (!text.includes('${')) return text;
  const whole = WHOLE_REFERENCE.exec(text);
  if (whole) {
    const replaced = lookup(whole[1], whole[2], env, problems, path);
    // Typed like YAML would type it, so numbers and booleans from the environment validate as such.
    const reparsed: unknown = safeScalar(replaced);
    return reparsed;
  }
  return text.replace(REFERENCE, (_m, name: string, fallback: string | undefined) => lookup(name, fallback, env, problems, path));
}

function safeScalar(text: string): unknown {
  if (text === '') return '';
  try {
    const parsed: unknown = parseYaml(text);
    return parsed !== null && typeof parsed === 'object' ? text : parsed;
  } catch {
    return text;
  }
}
