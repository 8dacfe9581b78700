/**
 * The status page's files (pipeline/status/: HTML, JS, CSS, no build step, nothing from a CDN),
 * read once when the API starts. They are not compiled, so from dist/pipeline/ they are found
 * in the source tree beside dist/, as bin/sluice.js finds dist/ from the package root.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface StatusPage {
  /** URL path (`/index.html`) to its type and body. */
  files: Map<string, { type: string; body: string }>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** pipeline/status/ seen from pipeline/ (tests run the TypeScript) or from dist/pipeline/. */
export function statusPageDir(): string | undefined {
  const here = fileURLToPath(new URL('.', import.meta.url));
  return [join(here, 'status'), join(here, '..', '..', 'pipeline', 'status')].find((dir) => existsSync(join(dir, 'index.html')));
}

export function loadStatusPage(dir = statusPageDir()): StatusPage {
  const files = new Map<string, { type: string; body: string }>();
  if (!dir) return { files };
  for (const name of readdirSync(dir)) {
    const type = TYPES[extname(name)];
    if (type) files.set(`/${name}`, { type, body: readFileSync(join(dir, name), 'utf8') });
  }
  return { files };
}
