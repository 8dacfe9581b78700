#!/usr/bin/env node
// Rewrites the README's plugin reference from the schemas (`npm run docs`); a test checks it.
import { readFileSync, writeFileSync } from 'node:fs';
import { referenceMarkdown } from '../dist/pipeline/docs.js';

const START = '<!-- plugin-reference:start -->';
const END = '<!-- plugin-reference:end -->';
const path = new URL('../README.md', import.meta.url);
const readme = readFileSync(path, 'utf8');
const start = readme.indexOf(START);
const end = readme.indexOf(END);
if (start === -1 || end === -1) throw new Error('README.md lacks the plugin reference markers');
writeFileSync(path, `${readme.slice(0, start + START.length)}\n${referenceMarkdown().trim()}\n${readme.slice(end)}`);
