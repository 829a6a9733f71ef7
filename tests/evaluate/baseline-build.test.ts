/**
 * Building a baseline: enough lots, charts actually frozen, a bounded share of units excluded, variance
 * components with their df, and a warning naming a baseline lot whose spread does not belong.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import type { LotData } from '../../src/domain/lot-data.js';
import { BASELINE_FORMAT } from '../../src/domain/baseline.js';
import { buildBaseline, BaselineError } from '../../src/evaluate/build-baseline.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';

const spec = findProduct('qsfp112-400g-dr4');
let lots: LotData[];

beforeAll(() => {
  lots = generateHistory({
    product: spec,
    seed: 'baseline-build',
    lotDefaults: { laneLotSigma: 0.2 },
    lots: [
      { lot: 'B1', units: 120 },
      { lot: 'B2', units: 120 },
      { lot: 'B3', units: 120 },
      { lot: 'B4', units: 120 },
      { lot: 'WIDE', units: 120, variance: [{ parameter: 'tx_avg_power', factor: 1.8 }] },
    ],
  }).map(toLotData);
});

describe('a baseline', () => {
  it('needs at least 3 lots, and says 5 are recommended', () => {
    expect(() => buildBaseline({ spec, lots: lots.slice(0, 2), createdBy: 't' })).toThrow(
      /at least 3 qualified lots .* \(5 recommended\), got 2/,
    );
    const b = buildBaseline({ spec, lots: lots.slice(0, 3), createdBy: 't' });
    expect(b.notes.join('\n')).toMatch(/only 3 lots: lot-to-lot variation is estimated with 2 df/);
  });

  it('estimates within-lot, lot-to-lot and lane × lot σ per parameter × corner with honest df', () => {
    const b = buildBaseline({ spec, lots: lots.slice(0, 4), createdBy: 't' });
    expect(b.format).toBe(BASELINE_FORMAT);
    const c = b.components!.find((x) => x.parameter === 'tx_avg_power' && x.corner === 'room')!;
    expect(c.lanes).toEqual([0, 1, 2, 3]);
    expect(c.lots).toBe(4);
    expect(c.lotDf).toBe(3);
    expect(c.laneLotDf).toBe(3 * 3);
    // Within-lot df: Σ over lanes of (units kept − lots).
    const cells = b.cells.filter((x) => x.parameter === 'tx_avg_power' && x.corner === 'room');
    expect(c.withinDf).toBe(cells.reduce((a, x) => a + x.n - 4, 0));
    expect(c.laneLotSigma).not.toBeNull();
    // The generator put 0.2σ of lane × lot variation in: 4 lots × 3 contrasts see it, roughly.
    expect(c.laneLotSigma!).toBeGreaterThan(0.05);
    expect(c.laneLotSigma!).toBeLessThan(0.45);
    // Each lot's own SD is kept beside its mean (phase I of the lot-σ trend).
    for (const cell of cells) expect(cell.lotSds).toHaveLength(cell.lotMeans.length);
    // The across-corners lane components: the lane contrast averaged over the corners, same df.
    const perCorner = b.components!.filter((x) => x.parameter === 'tx_avg_power');
    const a = b.acrossCorners!.find((x) => x.parameter === 'tx_avg_power')!;
    expect(a.corners).toEqual(perCorner.map((x) => x.corner));
    expect(a.corners.length).toBe(3);
    expect(a.lanes).toEqual([0, 1, 2, 3]);
    expect(a.sigmas).toEqual(perCorner.map((x) => x.sigmas));
    expect(a.laneLotDf).toBe(3 * 3);
    // Independent recomputation: a contrast is linear, so its mean over corners is the mean of the per-corner
    // contrast means (equal up to the few units with a censored reading at one corner only).
    a.laneContrastMeans.forEach((m, l) =>
      expect(m).toBeCloseTo(perCorner.reduce((acc, x) => acc + x.laneContrastMeans[l]!, 0) / perCorner.length, 2),
    );
    // tx_wavelength is tested at 2 corners: still one across-corners test; module_power has no lanes: none.
    expect(b.acrossCorners!.find((x) => x.parameter === 'tx_wavelength')!.corners).toHaveLength(2);
    expect(b.acrossCorners!.some((x) => x.parameter === 'module_power')).toBe(false);
  });

  it('warns by name about a baseline lot whose spread does not belong', () => {
    const b = buildBaseline({ spec, lots, createdBy: 't' });
    const warned = b.notes.filter((n) => n.startsWith('WARNING: baseline lot'));
    expect(warned.length).toBe(1);
    expect(warned[0]).toMatch(/^WARNING: baseline lot WIDE does not share the other lots' spread on \d+ charts? \(tx_avg_power @/);
    expect(b.homogeneity!.every((h) => h.lot === 'WIDE' && h.parameter === 'tx_avg_power')).toBe(true);
    // A healthy set of lots raises no warning.
    expect(buildBaseline({ spec, lots: lots.slice(0, 4), createdBy: 't' }).homogeneity).toEqual([]);
  });

  it('is refused when it would exclude more units than the policy allows, naming the lots', () => {
    const exclusions = lots[0]!.runs.slice(0, 80).map((r) => ({ lot: 'B1', serial: r.serial, reason: 'scratched fibre' }));
    expect(() => buildBaseline({ spec, lots: lots.slice(0, 3), exclusions, createdBy: 't' })).toThrow(
      /exclude \d+ of 360 units \(2\d\.\d %\), more than the 20 % the policy allows \(B1: 8\d/,
    );
    // The policy sets the share (consistency.baselineMaxExcludedShare; the default policy says 0.2).
    expect(findPolicy('default').consistency.baselineMaxExcludedShare).toBe(0.2);
    expect(() => buildBaseline({ spec, lots: lots.slice(0, 3), exclusions, createdBy: 't', maxExcludedShare: 0.1 })).toThrow(
      /more than the 10 % the policy allows/,
    );
    expect(
      buildBaseline({ spec, lots: lots.slice(0, 3), exclusions, createdBy: 't', maxExcludedShare: 0.3 }).exclusions.length,
    ).toBeGreaterThanOrEqual(80);
  });

  it('is refused when it freezes no chart', () => {
    const exclusions = lots.slice(0, 3).flatMap((l) => l.runs.map((r) => ({ lot: l.lot, serial: r.serial, reason: 'all out' })));
    expect(() => buildBaseline({ spec, lots: lots.slice(0, 3), exclusions, createdBy: 't', maxExcludedShare: 1 })).toThrow(BaselineError);
    expect(() => buildBaseline({ spec, lots: lots.slice(0, 3), exclusions, createdBy: 't', maxExcludedShare: 1 })).toThrow(
      /freezes no chart/,
    );
  });

  it('made by an older lotqa (format 1) is refused with the command to re-create it', () => {
    const b = buildBaseline({ spec, lots: lots.slice(0, 3), createdBy: 't' });
    const { components: _c, format: _f, ...old } = b;
    expect(() =>
      evaluateLot({
        lot: lots[3]!,
        spec,
        policy: findPolicy('default'),
        baseline: { version: 4, createdAt: 'x', payload: old },
        revision: 1,
      }),
    ).toThrow(/baseline v4 of qsfp112-400g-dr4 was made by an older lotqa \(format 1/);
  });
});
