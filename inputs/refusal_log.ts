/**
 * Connection refusals, logged without flooding: the first at once, then one line per interval
 * with the count since the last, so a client hammering a full input costs a line per interval.
 */
import type { Logger } from '../pipeline/logger.js';
import { throttledReport } from './throttled.js';

export const REFUSAL_REPORT_INTERVAL_MS = 10_000;

export interface RefusalLog {
  refused(remote: string): void;
  /** Logs what is still unreported (on stop). */
  flush(): void;
}

export function refusalLog(logger: Logger, maxConnections: number, intervalMs = REFUSAL_REPORT_INTERVAL_MS): RefusalLog {
  let unreported = 0;
  let lastRemote = '';
  const report = throttledReport(() => {
    if (unreported === 0) return;
    logger.warn(
      { code: 'SLUICE_TOO_MANY_CONNECTIONS', refused: unreported, max_connections: maxConnections, last_remote: lastRemote },
      `refused ${unreported} connection${unreported === 1 ? '' : 's'} (the last from ${lastRemote}): max_connections (${maxConnections}) are open`,
    );
    unreported = 0;
  }, intervalMs);
  return {
    refused(remote) {
      unreported++;
      lastRemote = remote;
      report.hit();
    },
    flush: () => report.flush(),
  };
}
