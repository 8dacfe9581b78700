/**
 * A report that must not flood the log: the first occurrence is reported at once, then at most
 * one report per interval while more come; the report itself says how many since the last.
 */
export interface ThrottledReport {
  /** Something to report happened (the caller has counted it). */
  hit(): void;
  /** Reports what is still unreported (on stop). */
  flush(): void;
}

export function throttledReport(report: () => void, intervalMs: number): ThrottledReport {
  let timer: NodeJS.Timeout | undefined;
  const fire = (): void => {
    timer = undefined;
    report();
  };
  return {
    hit() {
      if (timer) return;
      report();
      // Quiet for an interval; what comes meanwhile is reported when it ends.
      timer = setTimeout(fire, intervalMs);
      timer.unref();
    },
    flush() {
      if (timer) clearTimeout(timer);
      fire();
    },
  };
}
