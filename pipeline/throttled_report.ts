/**
 * Logging without flooding. `throttledReport`: something that can happen thousands of times a
 * second (refused connections, datagrams dropped on a full queue, malformed statsd lines) is
 * logged at once the first time, then once per interval with the count since the last line and
 * the latest detail; what is still unreported when the interval ends is reported then, and on
 * `flush` (an input's stop), so no occurrence goes unmentioned. `Throttle`: a gate for lines that
 * each tell the whole state.
 */
export const REPORT_INTERVAL_MS = 10_000;

export interface ThrottledReport<D> {
  /** `count` occurrences, the latest described by `detail`. */
  add(detail: D, count?: number): void;
  /** Reports what is still unreported at once. */
  flush(): void;
}

export function throttledReport<D>(report: (count: number, latest: D) => void, intervalMs = REPORT_INTERVAL_MS): ThrottledReport<D> {
  let unreported = 0;
  let latest: { detail: D } | undefined;
  let timer: NodeJS.Timeout | undefined;
  const emit = (): void => {
    timer = undefined;
    if (unreported === 0 || latest === undefined) return;
    const count = unreported;
    unreported = 0;
    report(count, latest.detail);
  };
  return {
    add(detail, count = 1) {
      unreported += count;
      latest = { detail };
      if (timer) return;
      emit();
      // Quiet for an interval; what happens meanwhile is reported when it ends.
      timer = setTimeout(emit, intervalMs);
      timer.unref();
    },
    flush() {
      if (timer) clearTimeout(timer);
      emit();
    },
  };
}

/**
 * At most one line per `intervalMs`, the others passed over: for lines that each say the whole
 * state (a dead destination retried), where a count of the skipped ones adds nothing.
 */
export class Throttle {
  private last = 0;
  constructor(private readonly intervalMs: number) {}

  ready(): boolean {
    const now = Date.now();
    if (now - this.last < this.intervalMs) return false;
    this.last = now;
    return true;
  }
}
