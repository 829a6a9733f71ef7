/**
 * meanOf and sampleVarianceOf are simple-statistics' mean and sampleVariance (compensated sum, two-pass
 * variance) rewritten for Float64Array only: recomputed here by the library itself, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { meanOf, momentsOf, referenceMoments, sampleSdOf, sampleVarianceOf } from '../../../src/spc/descriptive.js';

describe('mean and sample variance of a chart series', () => {
  it('are the very doubles simple-statistics computes, on small, large, offset and ill-conditioned samples', () => {
    let seed = 3;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const samples = [
      Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9),
      Float64Array.of(1e16, 1, -1e16, 3),
      Float64Array.from({ length: 10_000 }, () => Number((-4 + random()).toPrecision(7))),
      Float64Array.from({ length: 10_000 }, () => 1e9 + random()),
      Float64Array.from({ length: 3_333 }, () => -12 + 3 * random()),
      Float64Array.from({ length: 2 }, () => random()),
    ];
    for (const x of samples) {
      // One sum for both: the same doubles as meanOf and sampleSdOf, hence as the library.
      expect(momentsOf(x)).toEqual({ mean: referenceMoments.mean(x), sd: Math.sqrt(referenceMoments.sampleVariance(x)) });
      expect(meanOf(x)).toBe(referenceMoments.mean(x));
      expect(sampleVarianceOf(x)).toBe(referenceMoments.sampleVariance(x));
      expect(sampleSdOf(x)).toBe(Math.sqrt(referenceMoments.sampleVariance(x)));
    }
    expect(momentsOf(new Float64Array(0))).toEqual({ mean: Number.NaN, sd: Number.NaN });
    expect(momentsOf(Float64Array.of(-0.25))).toEqual({ mean: -0.25, sd: Number.NaN });
    // The NIST-style hand case: mean 5, s² = 32/7.
    expect(meanOf(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9))).toBe(5);
    expect(sampleVarianceOf(Float64Array.of(2, 4, 4, 4, 5, 5, 7, 9))).toBeCloseTo(32 / 7, 14);
  });
});
