/**
 * A baseline pools the lane × lot variance of the across-corners lane tests over the product's measured lane
 * parameters that agree (src/evaluate/build-baseline.ts), says so, and a lot's lane-shift reason carries the
 * df it was judged with; the policy's `consistency.laneLotPooling: 'parameter'` keeps each parameter's own,
 * and 'moderated' (the default) takes each parameter's empirical-Bayes moderated estimate.
 * The pooled numbers themselves are checked by hand and by simulation in tests/spc/variance/lane-lot-pooling.test.ts.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { Baseline } from '../../src/domain/baseline.js';
import type { LotData } from '../../src/domain/lot-data.js';
import { buildBaseline, LANE_LOT_POOLING_ALPHA } from '../../src/evaluate/build-baseline.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { DEFAULT_LANE_LOT_POOLING, laneLotComponents } from '../../src/evaluate/lane-across-corners.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';

const spec = findProduct('qsfp112-400g-dr4');
const measuredLane = spec.parameters.filter((p) => p.scope === 'lane' && p.derived === undefined).map((p) => p.id);
let lots: LotData[];
let baseline: Baseline;

beforeAll(() => {
  lots = generateHistory({
    product: spec,
    seed: 'lane-lot-pooling',
    lotDefaults: { laneLotSigma: 0.2 },
    lots: [
      ...[1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ lot: `B${i}`, units: 100 })),
      { lot: 'SHIFTED', units: 100, shifts: [{ parameter: 'tx_avg_power', lane: 2, sigma: 3 }] },
    ],
  }).map(toLotData);
  baseline = buildBaseline({ spec, lots: lots.slice(0, 8), createdBy: 't' });
});

describe('a baseline of a product whose lane parameters share one lane × lot variation', () => {
  it('pools the measured lane parameters, never a derived one, and records the pooled df', () => {
    const pooled = baseline.acrossCorners!.filter((a) => a.laneLotPool !== undefined);
    expect(pooled.length).toBeGreaterThanOrEqual(2);
    const members = pooled[0]!.laneLotPool!.parameters;
    expect(pooled.map((a) => a.parameter)).toEqual(members);
    for (const p of members) expect(measuredLane).toContain(p);
    expect(baseline.acrossCorners!.find((a) => a.parameter === 'tx_oma_minus_tdecq')!.laneLotPool).toBeUndefined();
    for (const a of pooled) {
      expect(a.laneLotPool!.bartlettP).toBeGreaterThan(LANE_LOT_POOLING_ALPHA);
      // Own estimate: (8 − 1)(4 − 1) = 21 df. Pooled: more, and of the order of the members' sum.
      expect(a.laneLotDf).toBe(21);
      expect(a.laneLotPool!.laneLotDf).toBeGreaterThan(21);
      expect(a.laneLotPool!.laneLotDf).toBeGreaterThan(0.6 * 21 * members.length);
    }
    expect(baseline.notes.join('\n')).toContain(`pooled over ${members.length} parameters (${members.join(', ')})`);
    expect(baseline.notes.join('\n')).toContain(`${21 * members.length} df instead of 21 each`);
  });

  it('uses the pooled mean square and df only when the policy pools', () => {
    const a = baseline.acrossCorners!.find((x) => x.laneLotPool !== undefined)!;
    expect(laneLotComponents(a, 'parameter')).toBe(a);
    const used = laneLotComponents(a, 'homogeneous-parameters');
    expect(used.laneContrastVariance).toBe(a.laneLotPool!.laneContrastVariance);
    expect(used.laneLotDf).toBe(a.laneLotPool!.laneLotDf);
    expect(used.laneContrastMeans).toBe(a.laneContrastMeans);
  });

  it("names the df in a shifted lane's reason: pooled with laneLotPooling 'homogeneous-parameters', the parameter's own with 'parameter'", () => {
    const b = { version: 1, createdAt: 'x', payload: baseline };
    const defaultPolicy = findPolicy('default');
    const policy = { ...defaultPolicy, consistency: { ...defaultPolicy.consistency, laneLotPooling: 'homogeneous-parameters' as const } };
    const pooledAt = baseline.acrossCorners!.find((x) => x.parameter === 'tx_avg_power')!.laneLotPool;
    const r = evaluateLot({ lot: lots[8]!, spec, policy, baseline: b, revision: 1 });
    const reason = r.proposal.reasons.find((x) => x.code === 'lane-shift' && x.parameter === 'tx_avg_power' && x.corner === 'all corners');
    expect(reason?.lane).toBe(2);
    expect(pooledAt).toBeDefined();
    // The JSON reason carries the df in its test too; the pooled baseline df exceed the parameter's own 21.
    const pooledDf = reason!.test!.df![0]!;
    expect(pooledDf).toBeGreaterThan(21);
    expect(reason!.message).toContain(`t with ${Math.round(pooledDf)} df`);
    expect(reason!.test!.method).toMatch(/lane × lot variance pooled over \d+ parameters/);
    expect(reason!.message).toMatch(/t with \d+ df \(lane × lot variance pooled over \d+ parameters\)/);
    const own = evaluateLot({
      lot: lots[8]!,
      spec,
      policy: { ...policy, consistency: { ...policy.consistency, laneLotPooling: 'parameter' } },
      baseline: b,
      revision: 1,
    });
    const ownReason = own.proposal.reasons.find(
      (x) => x.code === 'lane-shift' && x.parameter === 'tx_avg_power' && x.corner === 'all corners',
    );
    expect(ownReason?.lane).toBe(2);
    const df = Number(/t with (\d+) df/.exec(ownReason!.message)![1]);
    // Satterthwaite between the baseline's 21 df and the lot's own n − 1: at most their sum.
    expect(df).toBeLessThanOrEqual(21 + 99);
    expect(ownReason!.message).not.toContain('pooled');
  });
});

describe('a baseline whose lane parameters do NOT share one lane × lot variation', () => {
  it('does not pool below 20 df per parameter (a 5-lot baseline of 4 lanes: 12 df), and says so', () => {
    const b = buildBaseline({ spec, lots: lots.slice(0, 5), createdBy: 't' });
    expect(b.acrossCorners!.every((a) => a.laneLotPool === undefined)).toBe(true);
    expect(b.notes.join('\n')).toContain("not pooled over parameters: each parameter's own estimate has 12 df, fewer than the 20");
  });

  it('never pools a parameter without lane × lot variation with one carrying 0.4σ (alternating k, 6 histories)', () => {
    for (let h = 0; h < 6; h++) {
      const byParameter = Object.fromEntries(measuredLane.map((p, i) => [p, i % 2 === 0 ? 0 : 0.4]));
      const history = generateHistory({
        product: spec,
        seed: `lane-lot-pooling-mixed-${h}`,
        lotDefaults: { laneLotSigmaByParameter: byParameter },
        lots: [1, 2, 3, 4, 5, 6, 7, 8].map((i) => ({ lot: `M${i}`, units: 80 })),
      }).map(toLotData);
      const b = buildBaseline({ spec, lots: history, createdBy: 't' });
      const pool = b.acrossCorners!.find((a) => a.laneLotPool !== undefined)?.laneLotPool;
      const ks = new Set((pool?.parameters ?? []).map((p) => byParameter[p]));
      expect(ks.size).toBeLessThanOrEqual(1);
    }
  });
});

describe("moderated lane × lot variances (laneLotPooling: 'moderated'; the statistic is checked against SciPy in tests/spc/variance/moderated-variance.test.ts)", () => {
  it('records, for every measured lane parameter, the posterior recomputed by hand from the recorded prior', () => {
    const moderated = baseline.acrossCorners!.filter((a) => a.laneLotModerated !== undefined);
    expect(moderated.map((a) => a.parameter)).toEqual(moderated[0]!.laneLotModerated!.parameters);
    expect(moderated.length).toBeGreaterThanOrEqual(3);
    for (const p of moderated.map((a) => a.parameter)) expect(measuredLane).toContain(p);
    expect(baseline.acrossCorners!.find((a) => a.parameter === 'tx_oma_minus_tdecq')!.laneLotModerated).toBeUndefined();
    const total = 21 * moderated.length;
    for (const a of moderated) {
      const m = a.laneLotModerated!;
      // Smyth (2004) posterior: (d0 s0² + d s²)/(d0 + d) with min(d0 + d, Σ d) df; s0² alone when d0 = ∞.
      if (m.priorDf === null) {
        expect(m.laneContrastVariance).toBe(m.priorScale);
        expect(m.laneLotDf).toBe(total);
      } else {
        expect(m.laneContrastVariance).toBeCloseTo((m.priorDf * m.priorScale + 21 * a.laneContrastVariance) / (m.priorDf + 21), 12);
        expect(m.laneLotDf).toBeCloseTo(Math.min(m.priorDf + 21, total), 9);
        // Between its own estimate and the prior's scale.
        expect(m.laneContrastVariance).toBeGreaterThanOrEqual(Math.min(a.laneContrastVariance, m.priorScale));
        expect(m.laneContrastVariance).toBeLessThanOrEqual(Math.max(a.laneContrastVariance, m.priorScale));
      }
      expect(laneLotComponents(a, 'moderated').laneContrastVariance).toBe(m.laneContrastVariance);
      expect(laneLotComponents(a, 'moderated').laneLotDf).toBe(m.laneLotDf);
    }
    expect(baseline.notes.join('\n')).toContain(`moderated over ${moderated.length} parameters`);
  });

  it('falls back to the pool in a baseline made before moderation was recorded', () => {
    const a = baseline.acrossCorners!.find((x) => x.laneLotPool !== undefined && x.laneLotModerated !== undefined)!;
    const { laneLotModerated: _m, ...old } = a;
    expect(laneLotComponents(old, 'moderated').laneLotDf).toBe(a.laneLotPool!.laneLotDf);
    const { laneLotPool: _p, ...neither } = old;
    expect(laneLotComponents(neither, 'moderated')).toBe(neither);
  });

  it('moderates a 5-lot baseline too (12 own df each), where nothing is pooled', () => {
    const b = buildBaseline({ spec, lots: lots.slice(0, 5), createdBy: 't' });
    const m = b.acrossCorners!.filter((a) => a.laneLotModerated !== undefined);
    expect(m.length).toBeGreaterThanOrEqual(3);
    for (const a of m) expect(a.laneLotModerated!.laneLotDf).toBeGreaterThan(12);
  });

  it("names the moderated df in a shifted lane's reason (the default policy moderates)", () => {
    const policy = findPolicy('default');
    expect(policy.consistency.laneLotPooling ?? DEFAULT_LANE_LOT_POOLING).toBe('moderated');
    const r = evaluateLot({
      lot: lots[8]!,
      spec,
      policy,
      baseline: { version: 1, createdAt: 'x', payload: baseline },
      revision: 1,
    });
    const reason = r.proposal.reasons.find((x) => x.code === 'lane-shift' && x.parameter === 'tx_avg_power' && x.corner === 'all corners');
    expect(reason?.lane).toBe(2);
    const m = baseline.acrossCorners!.find((x) => x.parameter === 'tx_avg_power')!.laneLotModerated!;
    expect(reason!.message).toMatch(
      new RegExp(`t with \\d+ df \\(lane × lot variance moderated over ${m.parameters.length} parameters\\)`),
    );
    expect(reason!.test!.method).toContain(`moderated over ${m.parameters.length} parameters`);
  });
});
