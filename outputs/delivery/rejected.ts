/**
 * Events refused for good: written to the dead letter file when there is one and it has room,
 * dropped otherwise; each item settled accordingly. Logging the refusal is the caller's (it
 * knows what refused them and in which words).
 */
import type { Logger } from '../../pipeline/logger.js';
import { errorMessage } from '../../pipeline/errors.js';
import type { DeadLetter, DeadLetterFile } from './dead_letter.js';
import { settleAll, settledEvents, type Settleable } from './settlement.js';

/** Resolves with how many were written to the file; the others were settled as dropped. One item per letter, each a single event. */
export async function deadLetterOrDrop(dlq: DeadLetterFile | undefined, letters: readonly DeadLetter[], items: readonly Settleable[], output: string, logger: Logger): Promise<number> {
  let written = 0;
  if (dlq) {
    try {
      written = await dlq.write(letters, output);
    } catch (err) {
      logger.error({ err: errorMessage(err), path: dlq.path }, 'dead letter file not writable');
    }
  }
  items.forEach((item, i) => item.call.settle(i < written ? 'deadLettered' : 'dropped'));
  return written;
}

/** What stop's grace did not leave time for: counted and logged as dropped. */
export function dropAtShutdown(items: readonly Settleable[], logger: Logger, reason: string): void {
  if (items.length === 0) return;
  logger.error({ code: 'SLUICE_SHUTDOWN_TIMEOUT', events: settledEvents(items), reason }, 'events dropped at shutdown');
  settleAll(items, 'dropped');
}
