import { describe, expect, it } from 'vitest';
import { deriveAttempts } from '../../src/store/attempts.js';

const t = (iso: string) => Date.parse(iso);

describe('deriveAttempts', () => {
  it('ranks each serial by test time, whatever order the runs arrive in', () => {
    const runs = [
      { serial: 'B', testTimeMs: t('2024-05-01T10:00:00Z'), fileId: 1, runOrder: 0 },
      { serial: 'A', testTimeMs: t('2024-05-01T12:00:00Z'), fileId: 1, runOrder: 1 },
      { serial: 'A', testTimeMs: t('2024-05-01T09:00:00Z'), fileId: 3, runOrder: 0 },
      { serial: 'A', testTimeMs: t('2024-05-01T11:00:00Z'), fileId: 2, runOrder: 0 },
    ];
    const { order, attempt } = deriveAttempts(runs);
    expect([...attempt]).toEqual([1, 3, 1, 2]);
    expect([...order]).toEqual([2, 3, 1, 0]);
  });

  it('breaks ties of test time by file id, then by run order within the file', () => {
    const same = t('2024-05-01T10:00:00Z');
    const runs = [
      { serial: 'S', testTimeMs: same, fileId: 7, runOrder: 1 },
      { serial: 'S', testTimeMs: same, fileId: 7, runOrder: 0 },
      { serial: 'S', testTimeMs: same, fileId: 5, runOrder: 3 },
    ];
    expect([...deriveAttempts(runs).attempt]).toEqual([3, 2, 1]);
  });

  it('orders serials by code unit, not locale (the same on every machine)', () => {
    const runs = ['b', 'B', 'a', 'A', '10', '9'].map((serial, i) => ({ serial, testTimeMs: 0, fileId: 1, runOrder: i }));
    const { order } = deriveAttempts(runs);
    expect([...order].map((i) => runs[i]!.serial)).toEqual(['10', '9', 'A', 'B', 'a', 'b']);
  });

  it('handles an empty lot', () => {
    expect(deriveAttempts([])).toEqual({ order: new Int32Array(0), attempt: new Int32Array(0) });
  });
});
