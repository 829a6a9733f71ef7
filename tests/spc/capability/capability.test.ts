import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { capabilityIndices, expectedPpm, processCapability } from '../../../src/spc/capability.js';
import { describe as describeValues } from '../../../src/spc/descriptive.js';
import { StatsInputError } from '../../../src/spc/stats-error.js';

/** Phase I (trial) piston-ring diameters, 25 samples × 5 (Montgomery Table 6.3 = R qcc `pistonrings`). */
function pistonringsPhaseI(): Float64Array {
  const url = new URL('../../fixtures/reference/pistonrings.csv', import.meta.url);
  const rows = readFileSync(url, 'utf8')
    .split('\n')
    .filter((l) => l && !l.startsWith('#') && !l.startsWith('sample'))
    .map((l) => l.split(','));
  return Float64Array.from(rows.filter((r) => r[2] === 'TRUE').map((r) => Number(r[1])));
}

describe('process capability against published worked examples', () => {
  const x = pistonringsPhaseI();
  // qcc 3.0 vignette "A quick tour of qcc", processCapability(q, spec.limits = c(73.95, 74.05)) on the 25 trial
  // samples: σ̂ = R̄/d2 = 0.009785039, Cp 1.703 [1.491, 1.915], Cpk 1.663 [1.448, 1.878]; with target = 74.02,
  // Cpm 0.786 (lotqa spc-reference §4.2, [S1]).
  const base = { lsl: 73.95, usl: 74.05, withinSigma: 0.009785039, withinSigmaEstimator: 'Rbar/d2' } as const;

  it('the fixture reproduces qcc’s centre line x̿ = 74.00118 (transcription check)', () => {
    expect(x.length).toBe(125);
    expect(describeValues(x).mean).toBeCloseTo(74.00118, 5);
  });

  it('pistonrings: Cp 1.703 [1.491, 1.915] and Cpk 1.663 [1.448, 1.878] as qcc prints', () => {
    const r = processCapability(x, base);
    expect(r.cp!).toBeCloseTo(1.703, 3);
    expect(r.intervals.cp!.lower).toBeCloseTo(1.491, 3);
    expect(r.intervals.cp!.upper).toBeCloseTo(1.915, 3);
    expect(r.cpk).toBeCloseTo(1.663, 3);
    expect(r.intervals.cpk.lower).toBeCloseTo(1.448, 3);
    expect(r.intervals.cpk.upper).toBeCloseTo(1.878, 3);
    expect(r.targetSource).toBe('midpoint');
    expect(r.governing).toBe('normal');
    // one-sided lower bounds are less conservative than the two-sided lower limits
    expect(r.intervals.cp!.lowerOneSided).toBeGreaterThan(r.intervals.cp!.lower);
    expect(r.intervals.cpk.lowerOneSided).toBeGreaterThan(r.intervals.cpk.lower);
    expect(r.intervals.cpk.lowerOneSided).toBeLessThan(r.cpk);
  });

  it('pistonrings with target 74.02: Cpm 0.786 as qcc prints', () => {
    const r = processCapability(x, { ...base, target: 74.02 });
    expect(r.cpm!).toBeCloseTo(0.786, 3);
    expect(r.targetSource).toBe('given');
    expect(r.intervals.cpm!.lower).toBeLessThan(r.cpm!);
    expect(r.intervals.cpm!.upper).toBeGreaterThan(r.cpm!);
  });

  it('expected PPM is the normal tail beyond each limit (standard normal table: Φ(−3) = 0.0013499, Φ(−4.5) = 3.4e−6)', () => {
    // Normal-table values (e.g. NIST e-Handbook 1.3.6.7.1 "Cumulative distribution function of the standard
    // normal"; the 3.4 ppm of "six sigma" is Φ(−4.5)). A limit 3σ above the mean ⇒ 1349.9 ppm; 4.5σ below ⇒ 3.4 ppm.
    const e = expectedPpm(10, 2, 10 - 4.5 * 2, 10 + 3 * 2);
    expect(e.aboveUsl!).toBeCloseTo(1349.9, 1);
    expect(e.belowLsl!).toBeCloseTo(3.398, 3);
    expect(e.total).toBeCloseTo(1353.3, 1);
    const r = processCapability(x, base);
    expect(r.observedPpm.total).toBe(0); // qcc prints Obs<LSL 0%, Obs>USL 0%
    expect(r.expectedPpmWithin.total).toBeLessThan(1); // qcc prints Exp<LSL 0%, Exp>USL 0%
  });

  it('one-sided spec: Cp, Pp and Cpm are null and Cpk is the existing side', () => {
    const r = processCapability(x, { ...base, lsl: null });
    expect(r.cp).toBeNull();
    expect(r.pp).toBeNull();
    expect(r.cpm).toBeNull();
    expect(r.cpl).toBeNull();
    expect(r.cpk).toBe(r.cpu);
    expect(r.intervals.cp).toBeNull();
    expect(r.expectedPpmWithin.belowLsl).toBeNull();
  });

  it('refuses inputs no honest index can come from, with messages that say what to fix', () => {
    expect(() => processCapability(x, { ...base, lsl: 74.05, usl: 73.95 })).toThrow(/LSL 74.05 is not below USL 73.95/);
    expect(() => processCapability(x, { ...base, lsl: null, usl: null })).toThrow(/no specification limit/);
    expect(() => processCapability(Float64Array.of(74), base)).toThrow(/at least 2 uncensored/);
    expect(() => processCapability(x, { ...base, withinSigma: 0 })).toThrow(StatsInputError);
    expect(() => processCapability(Float64Array.of(1, 1, 1), { ...base, lsl: 0, usl: 2 })).toThrow(/overall sigma is 0/);
    expect(() => processCapability(Float64Array.of(1, NaN, 2), { ...base, lsl: 0, usl: 3 })).toThrow(/value\[1\] is NaN/);
  });

  it('censored readings are excluded from the indices and counted; observed PPM uses bounds that settle it', () => {
    const v = Float64Array.of(1, 2, 3, 4, 5, 6, 7, 8, -1, 11);
    const cens = Uint8Array.of(0, 0, 0, 0, 0, 0, 0, 0, 1, 2);
    const r = processCapability(v, { lsl: 0, usl: 10, withinSigma: 2, withinSigmaEstimator: 'given', censoring: cens });
    expect(r.n).toBe(8);
    expect(r.censoredExcluded).toBe(2);
    expect(r.mean).toBe(4.5);
    expect(r.observedPpm.belowLsl).toBe(1e5); // "<−1" is certainly below LSL 0
    expect(r.observedPpm.aboveUsl).toBe(1e5); // ">11" is certainly above USL 10
  });

  it('clearly non-normal data is judged by the percentile method, stated in `governing`', () => {
    // exponential-like: quantiles of Exp(1) at (i − 0.5)/n, n = 2000 — deterministic and strongly skewed
    const n = 2000;
    const v = Float64Array.from({ length: n }, (_, i) => -Math.log(1 - (i + 0.5) / n));
    const r = processCapability(v, { lsl: 0, usl: 10, withinSigma: 1, withinSigmaEstimator: 'given' });
    expect(r.normality!.pValue).toBeLessThan(0.01);
    expect(r.governing).toBe('percentile');
    const p = r.percentile!;
    expect(p.tailsFromExtremes).toBe(false);
    // Exp(1): X0.5 = ln 2, X0.99865 ≈ 6.608 → PPU = (10 − 0.693)/(6.608 − 0.693) ≈ 1.57 (analytic quantiles)
    expect(p.x05).toBeCloseTo(Math.log(2), 2);
    expect(p.ppu!).toBeCloseTo((10 - Math.log(2)) / (-Math.log(0.00135) - Math.log(2)), 1);
  });
});

describe('capability index properties', () => {
  const spec = fc
    .record({ lsl: fc.double({ min: -100, max: 100, noNaN: true }), width: fc.double({ min: 0.01, max: 50, noNaN: true }) })
    .map(({ lsl, width }) => ({ lsl, usl: lsl + width }));
  const arb = fc.record({
    spec,
    mean: fc.double({ min: -150, max: 150, noNaN: true }),
    sigma: fc.double({ min: 1e-3, max: 20, noNaN: true }),
  });

  it('Cpk ≤ Cp always', () => {
    fc.assert(
      fc.property(arb, ({ spec: s, mean, sigma }) => {
        const r = capabilityIndices(mean, sigma, s.lsl, s.usl);
        expect(r.k).toBeLessThanOrEqual(r.potential! + 1e-12 * Math.abs(r.potential!));
      }),
    );
  });

  it('shifting data and limits together, or scaling both by c > 0, leaves every index unchanged', () => {
    fc.assert(
      fc.property(
        arb,
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: 0.01, max: 100, noNaN: true }),
        ({ spec: s, mean, sigma }, shift, c) => {
          const r0 = capabilityIndices(mean, sigma, s.lsl, s.usl);
          const r1 = capabilityIndices(mean + shift, sigma, s.lsl + shift, s.usl + shift);
          const r2 = capabilityIndices(mean * c, sigma * c, s.lsl * c, s.usl * c);
          for (const r of [r1, r2]) {
            const tol = 1e-6 * (1 + Math.abs(r0.k));
            expect(Math.abs(r.k - r0.k)).toBeLessThan(tol);
            expect(Math.abs(r.potential! - r0.potential!)).toBeLessThan(1e-6 * (1 + r0.potential!));
          }
        },
      ),
    );
  });

  it('on data: lower confidence bounds never exceed the point estimates; shift/scale invariance end to end', () => {
    const data = fc
      .array(
        fc.integer({ min: -500, max: 500 }).map((i) => i / 100),
        { minLength: 10, maxLength: 60 },
      )
      .filter((a) => new Set(a).size > 2);
    fc.assert(
      fc.property(data, fc.double({ min: -50, max: 50, noNaN: true }), fc.double({ min: 0.1, max: 10, noNaN: true }), (arr, shift, c) => {
        const v = Float64Array.from(arr);
        const opts = { lsl: -8, usl: 9, withinSigma: 1.3, withinSigmaEstimator: 'given', target: 0.5 };
        const r = processCapability(v, opts);
        expect(r.intervals.cp!.lower).toBeLessThanOrEqual(r.cp!);
        expect(r.intervals.cp!.lowerOneSided).toBeLessThanOrEqual(r.cp!);
        expect(r.intervals.cpk.lower).toBeLessThanOrEqual(r.cpk);
        expect(r.intervals.cpk.lowerOneSided).toBeLessThanOrEqual(r.cpk);
        expect(r.intervals.cpm!.lower).toBeLessThanOrEqual(r.cpm!);
        expect(r.intervals.ppk.lower).toBeLessThanOrEqual(r.ppk);
        const t = processCapability(
          Float64Array.from(arr, (y) => (y + shift) * c),
          {
            ...opts,
            lsl: (opts.lsl + shift) * c,
            usl: (opts.usl + shift) * c,
            target: (opts.target + shift) * c,
            withinSigma: opts.withinSigma * c,
          },
        );
        for (const key of ['cp', 'cpk', 'cpm', 'pp', 'ppk'] as const) {
          expect(Math.abs(t[key]! - r[key]!)).toBeLessThan(1e-6 * (1 + Math.abs(r[key]!)));
        }
      }),
      { numRuns: 200 },
    );
  });
});
