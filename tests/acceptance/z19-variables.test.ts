import { describe, expect, it } from 'vitest';
import {
  estimatedFractionBeyond,
  judgeFormK,
  judgeFormM,
  mFromK,
  qualityIndices,
  summarize,
  z19SampleSizeFor,
} from '../../src/acceptance/z19-variables.js';
import { VariablesSamplingError } from '../../src/acceptance/errors.js';

// MIL-STD-414 / ANSI/ASQ Z1.9 Section B, examples "single specification limit, Form 1 / Form 2":
// minimum operating temperature, L = 180 °F, lot of 40 (code letter D, n = 5), sample
// 197, 188, 184, 205, 201 → x̄ = 195, s = 8.80, Q_L = 1.70; Table B-5 gives p̂_L = 0.66 % for Q = 1.70,
// n = 5; with AQL 1 % the Form 2 limit is M = 3.33 % (Z1.9; 3.32 % in MIL-STD-414) → accept.
const sample = [197, 188, 184, 205, 201];

describe('Z1.9 s method', () => {
  it('reproduces x̄, s and Q_L of the published example', () => {
    const summary = summarize(sample);
    expect(summary.mean).toBe(195);
    expect(summary.s).toBeCloseTo(8.8, 2);
    expect(qualityIndices(summary, { lsl: 180 }).qL).toBeCloseTo(1.7, 2);
  });

  it('estimates 0.66 % beyond the limit at Q = 1.70, n = 5 (Table B-5)', () => {
    expect(estimatedFractionBeyond(1.7, 5) * 100).toBeCloseTo(0.66, 2);
  });

  it('p̂ is 0 when Q is so large that x clips at 0, and 0.5 at Q = 0 (symmetry of I_x(a, a))', () => {
    expect(estimatedFractionBeyond(10, 5)).toBe(0);
    expect(estimatedFractionBeyond(0, 10)).toBeCloseTo(0.5, 12);
  });

  it('form M accepts the published lot with M = 3.33 %', () => {
    const result = judgeFormM(sample, { lsl: 180 }, 0.0333);
    expect(result.accepted).toBe(true);
    expect(result.pL! * 100).toBeCloseTo(0.62, 2); // unrounded Q_L = 1.7039 gives slightly less than the tabled 0.66 %
  });

  it('form M with two limits adds both tails', () => {
    const result = judgeFormM(sample, { lsl: 180, usl: 209 }, 0.0333);
    expect(result.pTotal).toBeCloseTo(result.pL! + result.pU!, 15);
    expect(result.pU).toBeGreaterThan(result.pL!); // 209 is closer to x̄ than 180
  });

  it('form k judges the smallest Q against the k given in the policy', () => {
    expect(judgeFormK(sample, { lsl: 180 }, 1.5).accepted).toBe(true);
    expect(judgeFormK(sample, { lsl: 180 }, 1.8).accepted).toBe(false);
  });

  it('forms k and M agree when M is derived from k (single limit)', () => {
    for (const k of [1.2, 1.5, 1.7, 1.75, 2.0]) {
      const m = mFromK(k, sample.length);
      expect(judgeFormM(sample, { lsl: 180 }, m).accepted).toBe(judgeFormK(sample, { lsl: 180 }, k).accepted);
    }
  });

  it('refuses a sample with no spread or too few values, saying why', () => {
    expect(() => judgeFormK([1, 1, 1], { usl: 2 }, 1)).toThrow(/standard deviation is 0/);
    expect(() => summarize([1, 2])).toThrow(VariablesSamplingError);
  });

  it('looks up code letter D, n = 5 for a lot of 40 at level II (unverified Table A-2, as shipped)', () => {
    expect(z19SampleSizeFor(40, 'II')).toEqual({
      codeLetter: 'D',
      sampleSize: 5,
      verified: false,
    });
    expect(() => z19SampleSizeFor(40, 'S-1')).toThrow(/no inspection level "S-1"/);
  });
});
