import { afterEach, describe, expect, it, vi } from 'vitest';
import { throttledReport } from '../../pipeline/throttled_report.js';

describe('throttledReport', () => {
  afterEach(() => vi.useRealTimers());

  it('reports the first at once, the rest once per interval with their count and the latest detail', () => {
    vi.useFakeTimers();
    const lines: Array<[number, string]> = [];
    const report = throttledReport<string>((count, latest) => lines.push([count, latest]), 1000);
    report.add('a');
    report.add('b');
    report.add('c', 5);
    expect(lines).toEqual([[1, 'a']]);
    vi.advanceTimersByTime(1000);
    expect(lines).toEqual([[1, 'a'], [6, 'c']]);
    vi.advanceTimersByTime(5000);
    expect(lines).toHaveLength(2);
  });

  it('reports what is unreported on flush, and nothing when there is nothing', () => {
    vi.useFakeTimers();
    const lines: Array<[number, string]> = [];
    const report = throttledReport<string>((count, latest) => lines.push([count, latest]), 1000);
    report.flush();
    report.add('a');
    report.add('b');
    report.flush();
    expect(lines).toEqual([[1, 'a'], [1, 'b']]);
    vi.advanceTimersByTime(2000);
    expect(lines).toHaveLength(2);
  });
});
