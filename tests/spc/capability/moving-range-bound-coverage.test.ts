/**
 * Capability bounds from σ̂ = MR̄/d2 use that estimator's effective degrees of freedom (≈ 0.62(N − 1)),
 * verified by simulation: the one-sided 95 % lower bound must cover the true index 95 % ± 1.5 points of
 * the time at N = 50 and N = 200. With N − 1 df (what lotqa used before) the Cpk bound covers only ~91 %.
 */
import { describe, expect, it } from 'vitest';
import { cpInterval, cpkInterval, movingRangeEffectiveDf } from '../../../src/spc/capability.js';
import { d2 } from '../../../src/spc/constants.js';
import { SeededRandom } from '../../../src/sim/seeded-random.js';

/** Coverage of the 95 % lower bounds over `reps` normal samples of an off-centre process (σ = 1). */
function coverage(n: number, reps: number, df: (n: number) => number): { cp: number; cpk: number } {
  const r = new SeededRandom('mr-coverage', n);
  const [mu, lsl, usl] = [1, -4, 5];
  const trueCp = (usl - lsl) / 6;
  const trueCpk = Math.min(usl - mu, mu - lsl) / 3;
  let cp = 0;
  let cpk = 0;
  for (let i = 0; i < reps; i++) {
    let prev = mu + r.normal();
    let sum = prev;
    let mr = 0;
    for (let j = 1; j < n; j++) {
      const x = mu + r.normal();
      mr += Math.abs(x - prev);
      sum += x;
      prev = x;
    }
    const sigma = mr / (n - 1) / d2(2);
    const mean = sum / n;
    if (cpInterval((usl - lsl) / (6 * sigma), n, 0.95, df(n)).lowerOneSided <= trueCp) cp++;
    if (cpkInterval(Math.min(usl - mean, mean - lsl) / (3 * sigma), n, 0.95, df(n)).lowerOneSided <= trueCpk) cpk++;
  }
  return { cp: cp / reps, cpk: cpk / reps };
}

describe('capability lower bounds with σ̂ = MR̄/d2', () => {
  for (const n of [50, 200]) {
    it(`cover 95 % ± 1.5 points at N = ${n} with the effective df`, () => {
      const c = coverage(n, 4000, movingRangeEffectiveDf);
      expect(Math.abs(c.cp - 0.95)).toBeLessThan(0.015);
      expect(Math.abs(c.cpk - 0.95)).toBeLessThan(0.015);
    });
  }

  it('are optimistic with N − 1 df (the defect this fixes)', () => {
    expect(coverage(200, 4000, (n) => n - 1).cpk).toBeLessThan(0.935);
  });

  it('effective df of MR̄/d2 is about 0.62(N − 1)', () => {
    expect(movingRangeEffectiveDf(201)).toBeCloseTo(124, 6);
    expect(movingRangeEffectiveDf(1)).toBe(1);
  });
});
