#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under dist/ (built by `npm install`).
import('../dist/pipeline/cli.js').then((cli) => cli.main(process.argv.slice(2))).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('sluice: dist/ is missing; run `npm install` (or `npm run build`) first\n');
    process.exit(1);
  }
  // Whatever escaped the CLI is a bug: one line that says where, rather than a bare stack trace.
  const where = (err && err.stack ? err.stack.split('\n').find((line) => line.trim().startsWith('at ')) : undefined)?.trim() ?? '';
  process.stderr.write(`sluice: unexpected error, a bug (please report this line): ${err && err.message ? err.message : String(err)} ${where ? `(${where}) ` : ''}[SLUICE_INTERNAL]\n`);
  process.exit(1);
});
