import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttledReport } from '../../inputs/throttled.js';

afterEach(() => vi.useRealTimers());

describe('throttled reports', () => {
  it('reports the first at once, then once per interval while more come, and what is left on flush', () => {
    vi.useFakeTimers();
    let pending = 0;
    const reports: number[] = [];
    const report = throttledReport(() => {
      if (pending === 0) return;
      reports.push(pending);
      pending = 0;
    }, 1000);
    const hit = () => {
      pending++;
      report.hit();
    };
    hit();
    hit();
    hit();
    expect(reports).toEqual([1]);
    vi.advanceTimersByTime(1000);
    expect(reports).toEqual([1, 2]);
    vi.advanceTimersByTime(5000);
    hit();
    expect(reports).toEqual([1, 2, 1]);
    hit();
    report.flush();
    expect(reports).toEqual([1, 2, 1, 1]);
    report.flush();
    expect(reports).toEqual([1, 2, 1, 1]);
  });
});
