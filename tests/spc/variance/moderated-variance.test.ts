/**
 * Empirical-Bayes moderated variances (src/spc/moderated-variance.ts; Smyth 2004, Stat Appl Genet Mol Biol
 * 3(1) art. 3, §6: d0 from ψ′(d0/2) = var(e) − mean ψ′(d/2), s0² = exp(ē + ψ(d0/2) − ln(d0/2)), posterior
 * (d0 s0² + d s²)/(d0 + d)).
 *
 * Reference numbers: an independent recomputation in Python with SciPy 1.17 (scipy.special.digamma and
 * polygamma, the inverse trigamma by scipy.optimize.brentq to 1e-14 — not Newton's method as in the code):
 *
 *   e = log(s2) - digamma(d/2) + log(d/2); em = e.mean()
 *   ev = ((e - em)**2).sum()/(g - 1) - polygamma(1, d/2).mean()
 *   d0 = 2*brentq(lambda x: polygamma(1, x) - ev, 1e-8, 1e8); s0 = exp(em + digamma(d0/2) - log(d0/2))
 *
 * and a simulation of the model (true variances from the scaled inverse χ² prior, mean squares χ² around them).
 */
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../../src/sim/seeded-random.js';
import { trigamma } from '../../../src/spc/log-variance.js';
import { fitFDist, squeezeVariances, tetragamma, trigammaInverse } from '../../../src/spc/moderated-variance.js';
import { StatsInputError } from '../../../src/spc/stats-error.js';

describe('polygamma helpers against SciPy', () => {
  it('tetragamma ψ″ matches scipy.special.polygamma(2, x)', () => {
    expect(tetragamma(0.7)).toBeCloseTo(-6.434992874190923, 9);
    expect(tetragamma(3)).toBeCloseTo(-0.15411380631918856, 10);
    expect(tetragamma(13.5)).toBeCloseTo(-0.005908436585788241, 12);
  });
  it('trigammaInverse inverts ψ′ over six decades', () => {
    for (const x of [0.01, 0.3, 1, 6.7, 50, 3000]) expect(trigammaInverse(trigamma(x)) / x).toBeCloseTo(1, 7);
  });
});

describe('fitFDist and squeezeVariances against a SciPy recomputation', () => {
  it('7 mean squares on 27 df each: d0 = 15.3465, s0² = 0.084039, and each posterior', () => {
    const s2 = [0.05, 0.08, 0.12, 0.06, 0.2, 0.07, 0.09];
    const df = s2.map(() => 27);
    const { prior, posterior } = squeezeVariances(s2, df);
    expect(prior.df).toBeCloseTo(15.34648585924051, 6);
    expect(prior.scale).toBeCloseTo(0.08403874133201525, 9);
    const scipy = [
      0.062335735821255386, 0.08146365124480281, 0.1069675384761994, 0.06871170762910453, 0.15797531293899256, 0.07508767943695369,
      0.08783962305265196,
    ];
    posterior.forEach((p, i) => {
      expect(p.meanSquare).toBeCloseTo(scipy[i]!, 9);
      expect(p.df).toBeCloseTo(27 + 15.34648585924051, 6);
    });
    // The by-chance-high 0.2 is pulled down most, the low 0.05 up: shrinkage towards s0².
    expect(posterior[4]!.meanSquare).toBeLessThan(0.2);
    expect(posterior[0]!.meanSquare).toBeGreaterThan(0.05);
  });

  it('unequal df (12, 12, 27, 5): d0 = 3.79718, s0² = 0.700319', () => {
    const { prior, posterior } = squeezeVariances([0.3, 1.1, 0.6, 2.5], [12, 12, 27, 5]);
    expect(prior.df).toBeCloseTo(3.797183813712183, 6);
    expect(prior.scale).toBeCloseTo(0.7003192480054646, 8);
    [0.3962251111824328, 1.0039283646994972, 0.6123690083818808, 1.7231924709051445].forEach((v, i) =>
      expect(posterior[i]!.meanSquare).toBeCloseTo(v, 8),
    );
    // Little shrinkage (d0 ≈ 3.8) for variances this different; df = d0 + d, capped at Σ d = 56.
    expect(posterior[2]!.df).toBeCloseTo(27 + 3.797183813712183, 6);
  });

  it('mean squares closer than chance: d0 = ∞, every posterior s0² = exp(ē) = 0.0630312 with Σ d df', () => {
    const { prior, posterior } = squeezeVariances([0.061, 0.058, 0.064, 0.06], [27, 27, 27, 27]);
    expect(prior.df).toBe(Number.POSITIVE_INFINITY);
    expect(prior.scale).toBeCloseTo(0.0630312203179839, 10);
    for (const p of posterior) {
      expect(p.meanSquare).toBeCloseTo(0.0630312203179839, 10);
      expect(p.df).toBe(108);
    }
  });

  it('refuses fewer than 2 mean squares and a mean square that is not > 0', () => {
    expect(() => fitFDist([0.1], [27])).toThrow(StatsInputError);
    expect(() => fitFDist([0.1, 0], [27, 27])).toThrow(StatsInputError);
  });
});

describe('fitFDist recovers the prior it is simulated from', () => {
  // σ²_g = d0 s0² / χ²_{d0}, s²_g = σ²_g χ²_d / d; χ²_ν simulated as a sum of ν squared normals (integer ν).
  const chi2 = (r: SeededRandom, nu: number): number => {
    let s = 0;
    for (let i = 0; i < nu; i++) s += r.normal() ** 2;
    return s;
  };
  it('d0 = 10, s0² = 0.06, 4000 mean squares on 12 df: d0 within 15 %, s0² within 3 %', () => {
    const r = new SeededRandom('moderated-variance-prior');
    const s2: number[] = [];
    for (let g = 0; g < 4000; g++) {
      const sigma2 = (10 * 0.06) / chi2(r, 10);
      s2.push((sigma2 * chi2(r, 12)) / 12);
    }
    const prior = fitFDist(
      s2,
      s2.map(() => 12),
    );
    expect(prior.df).toBeGreaterThan(8.5);
    expect(prior.df).toBeLessThan(11.5);
    expect(prior.scale).toBeGreaterThan(0.06 * 0.97);
    expect(prior.scale).toBeLessThan(0.06 * 1.03);
  });
});
