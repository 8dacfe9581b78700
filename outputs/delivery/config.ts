/** The `dead_letter_queue` block of the outputs that have one, and the file it opens. */
import { join } from 'node:path';
import { z } from 'zod';
import { byteSize } from '../../config/fields.js';
import { writableFileProblem } from '../../config/files.js';
import type { PluginContext } from '../../pipeline/plugin.js';
import { DeadLetterFile, perProcessPath } from './dead_letter.js';

/** `refused`: what the destination refuses for good, in the output's own words (for `enabled`). */
export function deadLetterQueueSchema(refused: string, description: string) {
  return z
    .strictObject({
      enabled: z.boolean().default(true).describe(`Write ${refused} to a file; when off they are counted and logged as dropped.`),
      path: z.string().optional().describe('NDJSON file; default `data/dead_letter/<output id>.ndjson` under the working directory.'),
      max_bytes: byteSize(1024 * 1024 * 1024, 'Largest the file may grow; events past it are counted and logged as dropped.'),
    })
    .prefault({})
    .describe(description);
}

export type DeadLetterQueueConfig = z.output<ReturnType<typeof deadLetterQueueSchema>>;

/** Refuses, at validation, a dead letter path sluice could not write. */
export function checkDeadLetterPath(config: { enabled: boolean; path?: string | undefined }, ctx: z.RefinementCtx): void {
  if (!config.enabled || !config.path) return;
  const problem = writableFileProblem(config.path);
  if (problem) ctx.addIssue({ code: 'custom', path: ['dead_letter_queue', 'path'], message: problem });
}

export function openDeadLetterFile(config: DeadLetterQueueConfig, context: PluginContext): DeadLetterFile | undefined {
  if (!config.enabled) return undefined;
  return new DeadLetterFile(perProcessPath(config.path ?? join('data', 'dead_letter', `${context.id}.ndjson`), context.share), config.max_bytes);
}
