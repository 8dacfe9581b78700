/**
 * vitest global setup: one real search engine for the whole run (test/engine/run), its URL
 * provided to tests as `engineUrl`. A set ELASTICSEARCH_URL is used instead of starting one.
 * Tests that stop or restart an engine start their own with their own state dir (engine.ts).
 */
import type { TestProject } from 'vitest/node';
import { startEngine, stopEngine, type EngineHandle } from './engine.js';

declare module 'vitest' {
  export interface ProvidedContext {
    engineUrl: string;
    engineFlavor: string;
  }
}

let engine: EngineHandle | undefined;

export async function setup(project: TestProject): Promise<void> {
  engine = await startEngine({ state: `/tmp/sluice-engine-shared-${process.env.SLUICE_ENGINE ?? 'opensearch'}` });
  project.provide('engineUrl', engine.url);
  project.provide('engineFlavor', process.env.SLUICE_ENGINE ?? 'opensearch');
}

export async function teardown(): Promise<void> {
  if (engine) await stopEngine(engine);
}
