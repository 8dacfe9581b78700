/**
 * vitest global setup: one real search engine for the whole run (test/engine/run), its URL
 * provided to tests as `engineUrl`. A set ELASTICSEARCH_URL is used instead of starting one.
 * Tests that stop or restart an engine start their own with their own state dir (engine.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
  // A state dir of its own: `run start` stops whatever engine its state dir holds, and a second
  // test run on the machine must not take the first one's engine away.
  engine = await startEngine({ state: mkdtempSync(join(tmpdir(), `sluice-engine-suite-${process.env.SLUICE_ENGINE ?? 'opensearch'}-`)) });
  project.provide('engineUrl', engine.url);
  project.provide('engineFlavor', process.env.SLUICE_ENGINE ?? 'opensearch');
}

export async function teardown(): Promise<void> {
  if (!engine) return;
  await stopEngine(engine);
  // Index data of a finished run is of no further use; an external engine has no state dir here.
  if (!process.env.ELASTICSEARCH_URL) rmSync(engine.env.SLUICE_ENGINE_STATE, { recursive: true, force: true });
}
