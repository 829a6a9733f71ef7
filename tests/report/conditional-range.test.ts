import { describe, expect, it } from 'vitest';
import type { CellResult } from '../../src/domain/lot-result.js';
import { conditionalRange } from '../../src/report/chart-drawing.js';

/** A cell with only what conditionalRange reads: the chart's per-unit limits. */
function cellWith(lsl: (number | null)[] | null, usl: (number | null)[] | null): CellResult {
  return { chart: { limitPoints: { lsl, usl } } } as unknown as CellResult;
}

describe('conditionalRange', () => {
  it('gives the smallest and largest limit each side took over the units, skipping units without one', () => {
    // Independent recomputation: Math.min / Math.max over the non-null limits of each side.
    let seed = 5;
    const rnd = (): number => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
    for (let k = 0; k < 60; k++) {
      const n = 1 + Math.floor(rnd() * 3000);
      const side = (): (number | null)[] => Array.from({ length: n }, () => (rnd() < 0.2 ? null : (rnd() - 0.5) * 40));
      const lsl = side();
      const usl = side();
      const want = (values: (number | null)[]) => {
        const present = values.filter((v): v is number => v !== null);
        return present.length === 0 ? null : { min: Math.min(...present), max: Math.max(...present) };
      };
      expect(conditionalRange(cellWith(lsl, usl))).toEqual({ lsl: want(lsl), usl: want(usl) });
    }
  });

  it('has no range for a side without limits or whose every unit has none', () => {
    expect(conditionalRange(cellWith(null, [null, null]))).toEqual({ lsl: null, usl: null });
    expect(conditionalRange({ chart: null } as unknown as CellResult)).toEqual({ lsl: null, usl: null });
    expect(conditionalRange(cellWith([3], [-1, null, 7]))).toEqual({ lsl: { min: 3, max: 3 }, usl: { min: -1, max: 7 } });
  });
});
