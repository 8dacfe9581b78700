#!/usr/bin/env node
// Rewrites the README's generated sections (plugin reference, error codes, Logstash translation) from the code (`npm run docs`); tests check them.
import { readFileSync, writeFileSync } from 'node:fs';
import { errorCodesMarkdown, referenceMarkdown } from '../dist/pipeline/docs.js';
import { logstashMarkdown } from '../dist/config/logstash/docs.js';

const SECTIONS = [
  ['plugin-reference', referenceMarkdown],
  ['error-codes', errorCodesMarkdown],
  ['logstash-translation', logstashMarkdown],
];
const path = new URL('../README.md', import.meta.url);
let readme = readFileSync(path, 'utf8');
for (const [name, generate] of SECTIONS) {
  const START = `<!-- ${name}:start -->`;
  const END = `<!-- ${name}:end -->`;
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1) throw new Error(`README.md lacks the ${name} markers (${START} ... ${END})`);
  readme = `${readme.slice(0, start + START.length)}\n${generate().trim()}\n${readme.slice(end)}`;
}
writeFileSync(path, readme);
