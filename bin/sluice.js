#!/usr/bin/env node
// Thin launcher: the CLI is compiled TypeScript under dist/ (built by `npm install`).
import('../dist/pipeline/cli.js').then((cli) => cli.main(process.argv.slice(2))).catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND') {
    process.stderr.write('sluice: dist/ is missing; run `npm install` (or `npm run build`) first\n');
    process.exit(1);
  }
  throw err;
});
