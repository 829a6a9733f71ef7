import { describe, expect, it } from 'vitest';
import { c0Plan } from '../../src/acceptance/c0-plans.js';
import { hypergeometricAcceptance, ocCurve, probabilityOfAcceptance } from '../../src/acceptance/oc-curve.js';
import { C0TableCellUnavailableError } from '../../src/acceptance/errors.js';

describe('c = 0 plans (Squeglia, table not verified)', () => {
  it('lot 16–25 at index 1.0 is n = 13 (quoted cell, Elsmar forum thread 51362)', () => {
    expect(c0Plan({ lotSize: 20, index: 1.0 })).toMatchObject({
      sampleSize: 13,
      ac: 0,
      re: 1,
      sampleSizeSource: 'table',
      hundredPercent: false,
    });
  });

  it('asks for the sample size from the book where lotqa has no confirmed cell', () => {
    expect(() => c0Plan({ lotSize: 1000, index: 0.65 })).toThrow(C0TableCellUnavailableError);
    expect(() => c0Plan({ lotSize: 1000, index: 0.65 })).toThrow(/conformance\.sampleSize/);
  });

  it('uses the policy sample size, inspecting 100 % when it reaches the lot size', () => {
    expect(c0Plan({ lotSize: 1000, index: 0.65, sampleSize: 42 })).toMatchObject({ sampleSize: 42, sampleSizeSource: 'policy' });
    expect(c0Plan({ lotSize: 10, index: 0.65, sampleSize: 42 })).toMatchObject({
      sampleSize: 10,
      hundredPercent: true,
    });
  });
});

describe('OC curve', () => {
  // Montgomery, Introduction to Statistical Quality Control, ch. "Lot-by-lot acceptance sampling for
  // attributes": OC curve of the single plan n = 89, c = 2 (binomial).
  it.each([
    [0.01, 0.9397],
    [0.02, 0.7366],
    [0.03, 0.4985],
    [0.04, 0.3042],
    [0.05, 0.1721],
    [0.06, 0.0919],
  ])('n = 89, c = 2 accepts with Pa(%f) = %f (Montgomery)', (p, pa) => {
    expect(probabilityOfAcceptance({ sampleSize: 89, ac: 2, p })).toBeCloseTo(pa, 4);
  });

  it('hypergeometric for an isolated lot: N = 10, D = 2, n = 3, c = 0 → C(8,3)/C(10,3) = 7/15', () => {
    expect(hypergeometricAcceptance(10, 2, 3, 0)).toBeCloseTo(7 / 15, 12);
    expect(
      probabilityOfAcceptance({
        sampleSize: 3,
        ac: 0,
        p: 0.2,
        model: 'hypergeometric',
        lotSize: 10,
      }),
    ).toBeCloseTo(7 / 15, 12);
  });

  it('hypergeometric approaches the binomial when the lot is very large', () => {
    const hyper = probabilityOfAcceptance({
      sampleSize: 89,
      ac: 2,
      p: 0.01,
      model: 'hypergeometric',
      lotSize: 1_000_000,
    });
    expect(hyper).toBeCloseTo(0.9397, 3);
  });

  it('the curve falls as quality worsens', () => {
    const curve = ocCurve({ sampleSize: 80, ac: 1 }, [0, 0.005, 0.01, 0.05, 0.1]);
    expect(curve[0]!.pa).toBe(1);
    for (let i = 1; i < curve.length; i++) expect(curve[i]!.pa).toBeLessThan(curve[i - 1]!.pa);
  });

  it('needs a lot size for the hypergeometric model', () => {
    expect(() =>
      probabilityOfAcceptance({
        sampleSize: 3,
        ac: 0,
        p: 0.1,
        model: 'hypergeometric',
      }),
    ).toThrow(/lot size/);
  });
});
