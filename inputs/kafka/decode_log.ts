/**
 * Values the codec could not read, logged without flooding: the first at once, then a line per
 * interval with the count and the place (topic, partition, offset) of the last one.
 */
import type { Logger } from '../../pipeline/logger.js';
import { throttledReport } from '../throttled.js';

const REPORT_INTERVAL_MS = 10_000;

export interface DecodeFailureLog {
  failed(topic: string, partition: number, offset: bigint): void;
  /** Logs what is still unreported (on stop). */
  flush(): void;
}

export function decodeFailureLog(logger: Logger, intervalMs = REPORT_INTERVAL_MS): DecodeFailureLog {
  let unreported = 0;
  let last = { topic: '', partition: 0, offset: 0n };
  const report = throttledReport(() => {
    if (unreported === 0) return;
    const { topic, partition, offset } = last;
    logger.warn(
      { code: 'SLUICE_KAFKA_DECODE', topic, partition, offset: Number(offset), failures: unreported },
      `kafka ${topic}/${partition} offset ${offset}: value is not a JSON object; kept as message, tagged _jsonparsefailure (${unreported} such record${unreported === 1 ? '' : 's'} since the last report; counted in decode_failures_total)`,
    );
    unreported = 0;
  }, intervalMs);
  return {
    failed(topic, partition, offset) {
      unreported++;
      last = { topic, partition, offset };
      report.hit();
    },
    flush: () => report.flush(),
  };
}
