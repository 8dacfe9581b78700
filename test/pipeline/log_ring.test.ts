import { describe, expect, it } from 'vitest';
import { LogRing, mergeRecentLogs, recentLogs } from '../../pipeline/log_ring.js';
import { createLogger } from '../../pipeline/logger.js';

const line = (level: number, msg: string, extra: Record<string, unknown> = {}, time = new Date().toISOString()) => JSON.stringify({ level, time, name: 'sluice', msg, ...extra });

describe('the ring of recent warnings and errors', () => {
  it('keeps the last N, drops what is below warn, and cuts long fields', () => {
    const ring = new LogRing(3);
    ring.write(line(30, 'info is not kept'));
    for (let i = 0; i < 5; i++) ring.write(line(50, `error ${i}`, { stack: 'x'.repeat(5000) }));
    const kept = ring.recent();
    expect(kept.map((l) => l.msg)).toEqual(['error 2', 'error 3', 'error 4']);
    expect(kept[0].level).toBe('error');
    expect(String(kept[0].fields.stack).length).toBeLessThan(1100);
    ring.write('not json');
    expect(ring.recent()).toHaveLength(3);
  });

  it('folds a retry loop into one entry with its count and first time', () => {
    const ring = new LogRing(3);
    ring.write(line(40, 'engine not usable yet', { output: 'es', attempt: 1 }, '2026-01-01T00:00:00.000Z'));
    ring.write(line(40, 'engine not usable yet', { output: 'es', attempt: 2 }, '2026-01-01T00:00:01.000Z'));
    ring.write(line(40, 'engine not usable yet', { output: 'other', attempt: 1 }, '2026-01-01T00:00:02.000Z'));
    ring.write(line(40, 'engine not usable yet', { output: 'other', attempt: 2 }, '2026-01-01T00:00:03.000Z'));
    expect(ring.recent()).toMatchObject([
      { fields: { output: 'es', attempt: 2 }, repeats: 2, since: '2026-01-01T00:00:00.000Z' },
      { fields: { output: 'other', attempt: 2 }, repeats: 2, since: '2026-01-01T00:00:02.000Z' },
    ]);
  });

  it('merges the rings of several processes in time order', () => {
    const a = new LogRing();
    const b = new LogRing();
    a.write(line(40, 'a1', {}, '2026-01-01T00:00:01.000Z'));
    b.write(line(40, 'b0', { worker: 1 }, '2026-01-01T00:00:00.000Z'));
    a.write(line(50, 'a2', {}, '2026-01-01T00:00:02.000Z'));
    expect(mergeRecentLogs([a.recent(), b.recent()], 2).map((l) => [l.msg, l.worker])).toEqual([
      ['a1', undefined],
      ['a2', undefined],
    ]);
    expect(mergeRecentLogs([a.recent(), b.recent()])[0]).toMatchObject({ msg: 'b0', worker: 1 });
  });

  it('is fed by the logger sluice creates, at warn and above, whatever the stderr level', () => {
    const logger = createLogger('error');
    logger.warn('below the level: not logged, not kept');
    logger.error({ output: 'es', code: 'SLUICE_X' }, 'ring test error');
    expect(recentLogs.recent().at(-1)).toMatchObject({ level: 'error', msg: 'ring test error', fields: { output: 'es', code: 'SLUICE_X' } });
    expect(recentLogs.recent().some((l) => l.msg.startsWith('below the level'))).toBe(false);
  });
});
