import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRules, type RuleSetName } from '../../../src/spc/run-rules.js';

/**
 * Brute-force oracle written straight from the rule definitions (spc-reference §2.1–2.3 and the
 * conventions in run-rules.ts): the points t at which each Nelson rule's full window ending at t is met.
 */
function firingPoints(xs: number[], rule: number): number[] {
  const out: number[] = [];
  const side = (x: number): number => Math.sign(x);
  const diff = (t: number): number => Math.sign((xs[t] as number) - (xs[t - 1] as number));
  for (let t = 0; t < xs.length; t++) {
    const w = (len: number): number[] | null => (t - len + 1 >= 0 ? xs.slice(t - len + 1, t + 1) : null);
    const x = xs[t] as number;
    let fires = false;
    switch (rule) {
      case 2: {
        const win = w(9);
        fires = !!win && win.every((v) => side(v) === side(x) && side(x) !== 0);
        break;
      }
      case 3: {
        if (t >= 5) {
          const d = [1, 2, 3, 4, 5].map((k) => diff(t - 5 + k));
          fires = d.every((v) => v !== 0 && v === d[0]);
        }
        break;
      }
      case 4: {
        if (t >= 13) {
          const d = Array.from({ length: 13 }, (_, k) => diff(t - 13 + 1 + k));
          fires = d.every((v, k) => v !== 0 && (k === 0 || v === -(d[k - 1] as number)));
        }
        break;
      }
      case 5: {
        const win = w(3);
        fires = !!win && ((x > 2 && win.filter((v) => v > 2).length >= 2) || (x < -2 && win.filter((v) => v < -2).length >= 2));
        break;
      }
      case 6: {
        const win = w(5);
        fires = !!win && ((x > 1 && win.filter((v) => v > 1).length >= 4) || (x < -1 && win.filter((v) => v < -1).length >= 4));
        break;
      }
      case 7: {
        const win = w(15);
        fires = !!win && win.every((v) => Math.abs(v) <= 1);
        break;
      }
      case 8: {
        const win = w(8);
        fires = !!win && win.every((v) => Math.abs(v) > 1) && win.some((v) => v > 1) && win.some((v) => v < -1);
        break;
      }
    }
    if (fires) out.push(t);
  }
  return out;
}

const WINDOW: Record<number, number> = { 2: 9, 3: 6, 4: 14, 5: 3, 6: 5, 7: 15, 8: 8 };
// Values on a coarse grid so ties, zone boundaries and equal neighbours all occur.
const series = fc.array(
  fc.integer({ min: -7, max: 7 }).map((k) => k / 2.5),
  { minLength: 0, maxLength: 120 },
);

describe('run rules agree with a brute-force oracle (fast-check)', () => {
  for (const rule of [2, 3, 4, 5, 6, 7, 8]) {
    it(`Nelson ${rule}: every firing point starts or extends a signal, and indices are the union of the firing windows`, () => {
      fc.assert(
        fc.property(series, (xs) => {
          const fire = firingPoints(xs, rule);
          const signals = evaluateRules(xs, { centre: 0, standardError: 1 }, { set: 'nelson', rules: [rule] });
          const union = new Set<number>();
          for (const t of fire) for (let j = t - (WINDOW[rule] as number) + 1; j <= t; j++) union.add(j);
          const got = signals.flatMap((s) => s.indices);
          expect(new Set(got)).toEqual(union);
          for (const sig of signals) expect(new Set(sig.indices).size).toBe(sig.indices.length); // no point twice in one signal
          for (const s of signals) expect(fire).toContain(s.index);
        }),
        { numRuns: 300 },
      );
    });
  }
});

describe('rule properties on long random series', () => {
  const inControl = fc.array(fc.double({ min: -2.9, max: 2.9, noNaN: true }), { minLength: 20, maxLength: 2000 });
  for (const set of ['nelson', 'western-electric'] as RuleSetName[]) {
    it(`${set} 1: a single point shifted beyond 3σ always fires, at that point`, () => {
      fc.assert(
        fc.property(inControl, fc.nat(), fc.double({ min: 3.0001, max: 50, noNaN: true }), fc.boolean(), (xs, at, size, up) => {
          const i = at % xs.length;
          const ys = xs.slice();
          ys[i] = up ? size : -size;
          const s = evaluateRules(ys, { centre: 0, standardError: 1 }, { set, rules: [1] });
          expect(s.map((x) => x.index)).toEqual([i]);
          expect(s[0]?.direction).toBe(up ? 'up' : 'down');
        }),
        { numRuns: 200 },
      );
    });
  }
  it('a sustained shift of 1.5σ lasting 30 points is caught by Nelson 2 and WE 4 inside the shift', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -0.4, max: 0.4, noNaN: true }), { minLength: 30, maxLength: 30 }), (noise) => {
        const xs = [
          ...Array(20)
            .fill(0)
            .map((_, i) => (i % 2 ? -0.5 : 0.5)),
          ...noise.map((e) => 1.5 + e),
        ];
        const n2 = evaluateRules(xs, { centre: 0, standardError: 1 }, { set: 'nelson', rules: [2] });
        const w4 = evaluateRules(xs, { centre: 0, standardError: 1 }, { set: 'western-electric', rules: [4] });
        expect(n2[0]?.index).toBe(28);
        expect(w4[0]?.index).toBe(27);
      }),
      { numRuns: 100 },
    );
  });
});
