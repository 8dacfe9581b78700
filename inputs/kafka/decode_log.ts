/** Values the codec could not read: logged without flooding, with the place (topic, partition, offset) of the latest. */
import type { Logger } from '../../pipeline/logger.js';
import { throttledReport, type ThrottledReport } from '../../pipeline/throttled_report.js';

export interface RecordPlaceText {
  topic: string;
  partition: number;
  offset: number;
}

/** `add(place)` per record whose value was kept as text. */
export type DecodeFailureLog = ThrottledReport<RecordPlaceText>;

export function decodeFailureLog(logger: Logger, intervalMs?: number): DecodeFailureLog {
  return throttledReport<RecordPlaceText>(
    (failures, { topic, partition, offset }) =>
      logger.warn(
        { code: 'SLUICE_KAFKA_DECODE', topic, partition, offset, failures },
        `kafka ${topic}/${partition} offset ${offset}: value is not a JSON object; kept as message, tagged _jsonparsefailure (${failures} such record${failures === 1 ? '' : 's'} since the last report; counted in decode_failures_total)`,
      ),
    intervalMs,
  );
}
