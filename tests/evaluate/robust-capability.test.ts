/**
 * Capability of clearly non-normal, skewed readings (issue 14, "your generator is not the factory"): the
 * policy's `nonNormal: box-cox` judges the bounded (lower) side of a right-skewed parameter on the Box–Cox
 * scale of the readings measured from their estimated lower bound, so a bounded parameter that cannot reach
 * its limit is not held for "Cpk below 1.33"; the long side keeps normal theory.
 */
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import type { AcceptancePolicy } from '../../src/domain/acceptance-policy.js';
import { boxCoxCapability, fitBoxCox, skewThreshold } from '../../src/spc/box-cox.js';
import { shapedHistory } from '../../bench/shapes-history.js';
import { certificateRows, renderCertificate } from '../../src/report/coc-pdf.js';
import { decisionFor, FIXTURE_CONTEXT } from '../report/support/lot-result-fixture.js';
import { pdfPages } from '../report/support/pdf-text.js';

/** 60 readings 0.9 + 0.3·Gamma(3) (numpy default_rng(14)), to 3 decimals: TDECQ-like, right-skewed above a floor. */
const TDECQ_LIKE = Float64Array.from([
  2.091, 1.15, 1.539, 1.716, 2.313, 3.83, 1.897, 1.645, 1.475, 1.045, 2.85, 1.588, 1.921, 2.018, 2.026, 2.15, 1.304, 1.301, 1.686, 1.269,
  1.561, 2.196, 1.869, 1.918, 2.087, 1.252, 1.889, 1.433, 1.929, 1.291, 1.251, 2.224, 1.59, 1.518, 1.495, 2.538, 1.667, 1.228, 2.204, 2.181,
  2.407, 1.527, 1.541, 1.213, 2.569, 1.597, 1.438, 1.983, 1.679, 1.611, 1.963, 1.778, 2.577, 2.639, 1.591, 2.174, 1.293, 1.466, 2.264,
  2.241,
]);

describe('the Box–Cox shape λ by maximum likelihood', () => {
  it('matches SciPy 1.17 scipy.stats.boxcox (independent implementation of the same likelihood): λ = −0.605747', () => {
    const x = [3.2, 4.1, 4.4, 4.6, 5.0, 5.1, 5.3, 5.9, 6.2, 6.8, 7.4, 8.1, 9.6, 11.8, 15.2];
    expect(fitBoxCox(x).lambda).toBeCloseTo(-0.6057466060876938, 6);
  });
});

describe('the lower bound of right-skewed readings (Aitchison & Brown’s lognormal threshold from the 5 %, 50 % and 95 % quantiles)', () => {
  it('is (x₀.₀₅x₀.₉₅ − m²)/(x₀.₀₅ + x₀.₉₅ − 2m) = 0.673558 for the TDECQ-like readings (recomputed with numpy.quantile, type 7)', () => {
    expect(skewThreshold(TDECQ_LIKE)).toBeCloseTo(0.67355797458986, 12);
  });
  it('does not exist for symmetric or left-skewed readings', () => {
    expect(skewThreshold([1, 2, 3, 4, 5])).toBeNull();
    expect(skewThreshold([1, 4.5, 4.8, 5, 5.1])).toBeNull();
  });
});

describe('CPL on the Box–Cox scale above the bound (the short, bounded side of a right-skewed parameter)', () => {
  it('is 1.0712 for the TDECQ-like readings against LSL 0.9 — normal theory says 0.66, inventing a tail below the bound', () => {
    // Independent recomputation (NumPy/SciPy 1.17): τ as above, λ = scipy.stats.boxcox(x − τ) = 0.078810,
    // y = ((x − τ)^λ − 1)/λ, σ = mean |Δy| / (2/√π); percentile method (ISO 22514-4): x₅₀ = T⁻¹(ȳ),
    // x₀.₁₃₅ = T⁻¹(ȳ − 3σ), CPL = (x₅₀ − (0.9 − τ))/(x₅₀ − x₀.₁₃₅) = 1.071218 (the same with or without
    // dividing by the geometric mean first).
    const r = boxCoxCapability(TDECQ_LIKE, { lsl: 0.9 });
    if ('notApplied' in r) throw new Error(r.notApplied);
    expect(r.lambda).toBeCloseTo(0.07880955850086997, 5);
    expect(r.cpl).toBeCloseTo(1.0712182408477646, 5);
  });

  it('stays proportionate when the LSL lies below the estimated bound: a farther limit, a larger but finite CPL', () => {
    const near = boxCoxCapability(TDECQ_LIKE, { lsl: 0.6 });
    const far = boxCoxCapability(TDECQ_LIKE, { lsl: 0.0 });
    if ('notApplied' in near || 'notApplied' in far) throw new Error('Box–Cox should apply');
    // Linear in the LSL on the readings' scale: CPL(0) − CPL(0.6) = 0.6/(x₅₀ − x₀.₁₃₅), same ratio as 0.9 → 0.6.
    const perUnit = (near.cpl - 1.0712182408477646) / 0.3;
    expect(far.cpl - near.cpl).toBeCloseTo(perUnit * 0.6, 7);
    expect(far.cpl).toBeLessThan(10);
  });

  it('leaves an upper-only spec (the long tail) and symmetric readings to normal theory', () => {
    expect('notApplied' in boxCoxCapability(TDECQ_LIKE, { lsl: null })).toBe(true);
    const symmetric = Float64Array.from({ length: 50 }, (_, i) => Math.sin(i) + 5);
    expect('notApplied' in boxCoxCapability(symmetric, { lsl: 3 })).toBe(true);
  });
});

describe('a healthy line whose extinction ratio is gamma-skewed and bounded 1.5σ inside its LSL (bench/shapes-history.ts)', () => {
  const spec = findProduct('qsfp112-400g-dr4');
  const history = shapedHistory({ spec, shape: 'skewed-near-limit', seed: 'diag', lots: 8, units: 200 });
  const baseline = {
    version: 1,
    createdAt: '2026-01-01T00:00:00Z',
    payload: buildBaseline({ spec, lots: history.slice(0, 5), createdBy: 'test' }),
  };
  const lot = history[6]!;
  const capabilityHolds = (policy: AcceptancePolicy): string[] =>
    evaluateLot({ lot, spec, policy, baseline, revision: 1 })
      .proposal.reasons.filter((x) => x.code === 'capability-below')
      .map((x) => `${x.parameter} @ ${x.corner}`);

  it('was held for “Cpk below 1.33” on normal theory, though no unit can come near the limit', () => {
    const normalTheory: AcceptancePolicy = structuredClone(findPolicy('default'));
    (normalTheory.capability.default as { nonNormal?: string }).nonNormal = 'normal-theory';
    expect(capabilityHolds(normalTheory)).toEqual(['tx_er @ hot']);
  });

  it('is not held by the default policy (box-cox), and the chart says which route judged it', () => {
    expect(capabilityHolds(findPolicy('default'))).toEqual([]);
    const r = evaluateLot({ lot, spec, policy: findPolicy('default'), baseline, revision: 1 });
    const er = r.cells.find((c) => c.key.parameter === 'tx_er' && c.key.corner === 'hot' && c.key.lane === 1)!;
    expect(er.capability?.note).toMatch(
      /the lower side judged by percentiles of a Box–Cox model above the estimated bound [\d.]+ \(λ = -?\d\.\d{3}, transformed A–D p = \d\.\d{3}\)/,
    );
  });
  describe('every document shows the Cpk the decision judged by, not the normal-theory one', () => {
    const result = evaluateLot({ lot, spec, policy: findPolicy('default'), baseline, revision: 1 });
    const erHot = result.cells.filter((c) => c.key.parameter === 'tx_er' && c.key.corner === 'hot');
    // The figure the decision itself stated in the chart's note ("…: CPL x, Cpk y (normal theory: z)").
    const statedCpk = (note: string | null | undefined): number => Number(/Cpk (-?[\d.]+) \(normal theory/.exec(note ?? '')![1]);

    it('records the Box–Cox route and its Cpk beside the normal-theory figures on each lane it judged', () => {
      const boxCox = erHot.filter((c) => c.capability?.judgedBy === 'box-cox');
      expect(boxCox.length).toBeGreaterThan(0);
      for (const c of boxCox) {
        const cap = c.capability!;
        expect(cap.judgedCpk).toBeCloseTo(statedCpk(cap.note), 3);
        // The normal-theory Cpk stays what it is, and is lower: it invents a tail below the bound.
        expect(cap.cpk!).toBeLessThan(cap.judgedCpk!);
        expect(cap.judgedCpkLower!).toBeLessThan(cap.judgedCpk!);
      }
    });

    it('the certificate row prints the worst lane’s judged Cpk, marked, with a footnote in the customer’s words', async () => {
      const judged = erHot.map((c) => (c.capability!.judgedBy === 'box-cox' ? c.capability!.judgedCpk! : c.capability!.cpk!));
      const row = certificateRows(result).find((r) => r.parameter === 'tx_er' && r.corner === 'hot' && r.lane === null)!;
      expect(row.cpk).toBe(Math.min(...judged));
      expect(row.cpkBy).toBe('box-cox');
      expect(result.proposal.disposition).toBe('ACCEPT');
      const pdf = await renderCertificate(result, decisionFor(result), FIXTURE_CONTEXT, { cpkParameters: ['tx_er'], draft: true });
      const text = (await pdfPages(pdf)).join('\n');
      const line = text.split('\n').find((l) => l.startsWith('Extinction ratio') && l.includes(` ${row.caseTemperatureC} °C `));
      expect(line).toContain(`${row.cpk!.toFixed(2)}* (≥${row.cpkLower!.toFixed(2)})`);
      expect(text.replace(/\s+/g, ' ')).toContain(
        '* Cpk of skewed parameters is computed from the percentiles of a fitted Box–Cox distribution (ISO 22514-4 percentile method).',
      );
      // Customer words only: none of the evaluation's internal note reaches the certificate.
      expect(text).not.toMatch(/λ =|A–D|normal theory/);
    });
  });
});
