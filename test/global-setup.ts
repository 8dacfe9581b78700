/**
 * vitest global setup: the real programs every test file may reach, started side by side (the
 * search engine takes ~30 s, the Kafka broker ~10 s; neither waits for the other).
 */
import type { TestProject } from 'vitest/node';
import * as engine from './engine/global-setup.js';
import * as kafka from './kafka/global-setup.js';

export async function setup(project: TestProject): Promise<void> {
  await Promise.all([engine.setup(project), kafka.setup(project)]);
}

export async function teardown(): Promise<void> {
  await Promise.allSettled([engine.teardown(), kafka.teardown()]);
}
