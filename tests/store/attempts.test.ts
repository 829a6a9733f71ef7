import { describe, expect, it } from 'vitest';
import { deriveAttempts } from '../../src/store/attempts.js';

const t = (iso: string) => Date.parse(iso);

describe('deriveAttempts', () => {
  it('ranks each serial by test time, whatever order the runs arrive in', () => {
    const runs = [
      { serial: 'B', testTimeMs: t('2024-05-01T10:00:00Z'), station: 'ATE-01', fileSha256: 'aa', runOrder: 0 },
      { serial: 'A', testTimeMs: t('2024-05-01T12:00:00Z'), station: 'ATE-01', fileSha256: 'aa', runOrder: 1 },
      { serial: 'A', testTimeMs: t('2024-05-01T09:00:00Z'), station: 'ATE-02', fileSha256: 'cc', runOrder: 0 },
      { serial: 'A', testTimeMs: t('2024-05-01T11:00:00Z'), station: 'ATE-01', fileSha256: 'bb', runOrder: 0 },
    ];
    const { order, attempt } = deriveAttempts(runs);
    expect([...attempt]).toEqual([1, 3, 1, 2]);
    expect([...order]).toEqual([2, 3, 1, 0]);
  });

  it('breaks ties of test time by station id, then file SHA-256, then run order: never by arrival', () => {
    const same = t('2024-05-01T10:00:00Z');
    const runs = [
      { serial: 'S', testTimeMs: same, station: 'ATE-01', fileSha256: 'b0', runOrder: 1 },
      { serial: 'S', testTimeMs: same, station: 'ATE-03', fileSha256: '00', runOrder: 0 },
      { serial: 'S', testTimeMs: same, station: 'ATE-01', fileSha256: 'b0', runOrder: 0 },
      { serial: 'S', testTimeMs: same, station: 'ATE-01', fileSha256: 'a9', runOrder: 5 },
    ];
    expect([...deriveAttempts(runs).attempt]).toEqual([3, 4, 2, 1]);
    // Any arrival order of the same runs gives each run the same attempt.
    const reversed = [...runs].reverse();
    expect([...deriveAttempts(reversed).attempt].reverse()).toEqual([3, 4, 2, 1]);
  });

  it('orders serials by code unit, not locale (the same on every machine)', () => {
    const runs = ['b', 'B', 'a', 'A', '10', '9'].map((serial, i) => ({
      serial,
      testTimeMs: 0,
      station: 'ATE-01',
      fileSha256: 'aa',
      runOrder: i,
    }));
    const { order } = deriveAttempts(runs);
    expect([...order].map((i) => runs[i]!.serial)).toEqual(['10', '9', 'A', 'B', 'a', 'b']);
  });

  it('handles an empty lot', () => {
    expect(deriveAttempts([])).toEqual({ order: new Int32Array(0), attempt: new Int32Array(0) });
  });
});
