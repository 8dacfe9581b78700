/** The README's Logstash table is what the translation tables say (`npm run docs` regenerates it). */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { logstashMarkdown } from '../../../config/logstash/docs.js';

it('README "Supported Logstash plugins and options" matches the translation tables', () => {
  const readme = readFileSync(new URL('../../../README.md', import.meta.url), 'utf8');
  const START = '<!-- logstash-translation:start -->';
  const start = readme.indexOf(START);
  const end = readme.indexOf('<!-- logstash-translation:end -->');
  expect(start, 'README has the logstash-translation markers').toBeGreaterThan(-1);
  expect(readme.slice(start + START.length, end).trim()).toBe(logstashMarkdown().trim());
});
