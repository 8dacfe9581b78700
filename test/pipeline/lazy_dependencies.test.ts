/**
 * Every sluice process imports every plugin through the registries, the cluster primary included
 * (it validates the config). Libraries that cost megabytes and serve only some plugins are loaded
 * when such a plugin starts, not then: undici (~11 MiB, the engine output) and the Kafka client
 * (~37 MiB). A resolve hook refuses them while the registries and the config validation load.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/sluice.js';

const run = promisify(execFile);

const HOOK = `export async function resolve(specifier, context, next) {
  if (specifier === 'undici' || specifier.startsWith('@platformatic/kafka')) throw new Error('eagerly imported: ' + specifier);
  return next(specifier, context);
}`;

const SCRIPT = `
import { register } from 'node:module';
register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOK)}));
await import('./dist/inputs/index.js');
await import('./dist/filters/index.js');
await import('./dist/outputs/index.js');
await import('./dist/config/validate.js');
await import('./dist/pipeline/cluster/primary.js');
console.log('ok');
`;

describe('heavy dependencies', () => {
  it('are not loaded by the plugin registries or the config validation', async () => {
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', SCRIPT], { cwd: REPO_ROOT });
    expect(stdout.trim()).toBe('ok');
  });
});
