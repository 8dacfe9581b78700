/** `sluice convert FILE`: the YAML on stdout, exit 0; exit 2 with every problem on stderr. */
import { readFile } from 'node:fs/promises';
import { ConfigError } from '../../pipeline/errors.js';
import { convertLogstashText } from './convert.js';
import { parseLogstashText } from './index.js';

export async function convertCommand(path: string | undefined, report: (err: ConfigError) => number): Promise<number> {
  if (!path) {
    process.stderr.write('sluice convert: a .conf FILE is required\n');
    return 2;
  }
  try {
    const text = await readFile(path, 'utf8').catch((err: NodeJS.ErrnoException) => {
      const reason = err.code === 'ENOENT' ? 'no such file' : err.message;
      throw new ConfigError('SLUICE_CONFIG_READ', `${path}: cannot read: ${reason}`, [`${path}: cannot read: ${reason}`], { path });
    });
    // Validated as `sluice check` would, so that only a pipeline that runs is printed.
    parseLogstashText(text, path, process.env, (warning) => process.stderr.write(`sluice: warning: ${warning}\n`));
    process.stdout.write(convertLogstashText(text, path));
    return 0;
  } catch (err) {
    if (err instanceof ConfigError) return report(err);
    throw err;
  }
}
