/** Connection refusals at max_connections: a client hammering a full input costs a line per interval. */
import type { Logger } from '../pipeline/logger.js';
import { throttledReport, type ThrottledReport } from '../pipeline/throttled_report.js';

/** `add(remote)` per refused connection. */
export type RefusalLog = ThrottledReport<string>;

export function refusalLog(logger: Logger, maxConnections: number, intervalMs?: number): RefusalLog {
  return throttledReport<string>(
    (refused, lastRemote) =>
      logger.warn(
        { code: 'SLUICE_TOO_MANY_CONNECTIONS', refused, max_connections: maxConnections, last_remote: lastRemote },
        `refused ${refused} connection${refused === 1 ? '' : 's'} (the last from ${lastRemote}): max_connections (${maxConnections}) are open`,
      ),
    intervalMs,
  );
}
