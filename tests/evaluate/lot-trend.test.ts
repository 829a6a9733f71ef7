/**
 * Batch-to-batch trend: the EWMA of src/spc checked on the NIST/SEMATECH e-Handbook example (§6.3.2.4),
 * a generated history drifting 0.2σ per lot held with the parameter, corner, lane, chart and lots named,
 * and the healthy false-alarm rate of the default settings measured by simulation
 * (bench/trend-simulation.ts: the real variance components and trend charts on simulated lots).
 */
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { TREND_DEFAULTS } from '../../src/domain/acceptance-policy.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import type { TrendHistoryLot } from '../../src/evaluate/lot-trend.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { healthySignalRate } from './support/healthy-trend-rate.js';
import { ewmaChart } from '../../src/spc/ewma-chart.js';
import type { LotResult } from '../../src/domain/lot-result.js';

describe('EWMA on the NIST/SEMATECH e-Handbook example 6.3.2.4 (EWMA0 = 50, s = 2.0539, λ = 0.3, k = 3)', () => {
  const data = [52.0, 47.0, 53.0, 49.3, 50.1, 47.0, 51.0, 50.1, 51.2, 50.5, 49.6, 47.6, 49.9, 51.3, 47.8, 51.2, 52.6, 52.4, 53.6, 52.1];
  const chart = ewmaChart(data, { lambda: 0.3, sigmaMultiplier: 3, target: 50, sigma: 2.0539 });
  it('the published EWMA column and limits UCL = 52.5884, LCL = 47.4115, no point out', () => {
    const published = [
      50.6, 49.52, 50.56, 50.18, 50.16, 49.21, 49.75, 49.85, 50.26, 50.33, 50.11, 49.36, 49.52, 50.05, 49.38, 49.92, 50.73, 51.23, 51.94,
      51.99,
    ];
    published.forEach((z, t) => expect(Math.abs(chart.points[t]! - z)).toBeLessThan(0.006));
    expect(chart.asymptote!.ucl).toBeCloseTo(52.5884, 3);
    expect(chart.asymptote!.lcl).toBeCloseTo(47.4115, 3);
    expect(chart.signals).toEqual([]);
  });
});

const spec = findProduct('qsfp112-400g-dr4');
const holdPolicy = { ...findPolicy('default'), trend: { action: 'hold' as const } };

/** What src/queries/product-trend.ts reads back from a stored result. */
function historyOf(r: LotResult): TrendHistoryLot {
  return { lot: r.lot, at: r.quantity.firstTestTime ?? '', cells: r.trend!.lot };
}

describe('a generated history drifting 0.2σ per lot in launch power', () => {
  const data = generateHistory({
    product: spec,
    seed: 'trend-drift',
    lots: [
      ...['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9', 'B10'].map((lot) => ({ lot, units: 120 })),
      ...Array.from({ length: 10 }, (_, i) => ({ lot: `D${i + 1}`, units: 120 })),
    ],
  }).map(toLotData);
  const baseline = { version: 1, createdAt: 'x', payload: buildBaseline({ spec, lots: data.slice(0, 10), createdBy: 't' }) };
  // The drift starts after the baseline: the generator moves lot k by k × 0.2σ, so re-centre it.
  const drifting = generateHistory({
    product: spec,
    seed: 'trend-drift',
    lots: Array.from({ length: 10 }, (_, i) => ({ lot: `D${i + 1}`, units: 120 })),
    drift: [{ parameter: 'tx_avg_power', sigmaPerLot: 0.2 }],
  }).map(toLotData);

  it('holds once the drift is a few lots old, naming parameter, corner, lane, chart and lots', () => {
    const history: TrendHistoryLot[] = [];
    let firstHold = -1;
    let held: LotResult | null = null;
    drifting.forEach((lot, i) => {
      const r = evaluateLot({ lot, spec, policy: holdPolicy, baseline, revision: 1, history });
      const trend = r.proposal.reasons.filter((x) => x.code.startsWith('trend-'));
      if (trend.length > 0 && firstHold < 0) {
        firstHold = i;
        held = r;
      }
      history.push(historyOf(r));
    });
    expect(firstHold).toBeGreaterThan(0);
    expect(firstHold).toBeLessThan(10);
    const r = held!;
    expect(r.proposal.disposition).toBe('HOLD');
    const reasons = r.proposal.reasons.filter((x) => x.code.startsWith('trend-'));
    expect(reasons.every((x) => x.severity === 'HOLD' && x.parameter === 'tx_avg_power')).toBe(true);
    expect(reasons[0]!.message).toMatch(/^tx_avg_power @ \w+ (lane|channel) .*(EWMA|CUSUM).* drifting up over lots D\d/);
    expect(reasons[0]!.laneName).toBeDefined();
    const chart = r.trend!.charts.find((c) => c.signals.length > 0)!;
    expect(chart.lots[chart.lots.length - 1]).toBe(r.lot);
    // The result records the phase-I β it was charted with (the report and "show the work" state it).
    expect(r.trend!.phaseOneBeta).toBe(TREND_DEFAULTS.phaseOneBeta);
  });

  it('a healthy lot with the same history shape raises no trend reason', () => {
    const r = evaluateLot({ lot: data[10]!, spec, policy: holdPolicy, baseline, revision: 1, history: [] });
    expect(r.trend!.charts.length).toBeGreaterThan(0);
    expect(r.proposal.reasons.filter((x) => x.code.startsWith('trend-'))).toEqual([]);
  });
});

describe('healthy false-alarm rate of the default trend settings (simulation, src/sim/trend-simulation.ts)', () => {
  it('10-lot baseline, 4 lanes, lot σ 0.15, lane × lot σ 0.1: ≤ 1 % of lots signal per parameter × corner', () => {
    const { signals, lots } = healthySignalRate(10, 'healthy');
    expect(lots).toBe(5000);
    expect(signals / lots).toBeLessThanOrEqual(0.01);
  });
});

describe('engineering report trend page', () => {
  it('groups the charts per parameter × corner and renders a page titled "Batch-to-batch trend"', async () => {
    const { trendPanels } = await import('../../src/report/engineering-trend.js');
    const { renderEngineeringReport } = await import('../../src/report/engineering-pdf.js');
    const data = generateHistory({
      product: spec,
      seed: 'trend-page',
      lots: [1, 2, 3, 4, 5, 6].map((i) => ({ lot: `P${i}`, units: 60 })),
    }).map(toLotData);
    const baseline = { version: 1, createdAt: 'x', payload: buildBaseline({ spec, lots: data.slice(0, 5), createdBy: 't' }) };
    const r = evaluateLot({ lot: data[5]!, spec, policy: holdPolicy, baseline, revision: 1, history: [] });
    const panels = trendPanels(r);
    expect(panels.length).toBe(new Set(r.trend!.charts.map((c) => `${c.parameter}|${c.corner}`)).size);
    expect(panels.every((p) => p.charts.every((c) => c.parameter === p.parameter && c.corner === p.corner))).toBe(true);
    const pdf = await renderEngineeringReport(r, null);
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    expect(pdf.includes(Buffer.from('Batch-to-batch trend'))).toBe(true);
  });
});

describe('phase I standardisation and the trend actions', () => {
  it('z = (x̄ − centre)/σ_pred with σ_pred² = σ_u²(lot² + lane×lot² + centre error + 1/n), EWMA and CUSUM by hand', async () => {
    const { trendSeries } = await import('../../src/evaluate/lot-trend.js');
    const p = { centre: 10, sigmaUnit: 2, betweenVariance: 0.04, centreVariance: 0.01 };
    const pts = [
      { lot: 'A', n: 100, mean: 10.5, sd: 2 },
      { lot: 'B', n: 25, mean: 11.2, sd: 2 },
      { lot: 'C', n: 100, mean: 11.9, sd: 2 },
    ];
    const s = trendSeries(p, pts, { ewmaLambda: 0.5, ewmaL: 3, cusumK: 0.5, cusumH: 1 });
    const z = pts.map((x) => (x.mean - 10) / (2 * Math.sqrt(0.04 + 0.01 + 1 / x.n)));
    s.z.forEach((v, i) => expect(v).toBeCloseTo(z[i]!, 12));
    let e = 0;
    let c = 0;
    z.forEach((v, i) => {
      e = 0.5 * v + 0.5 * e;
      c = Math.max(0, c + v - 0.5);
      expect(s.ewma[i]).toBeCloseTo(e, 12);
      expect(s.cusumUpper[i]).toBeCloseTo(c, 12);
    });
    // z ≈ 1.66, 1.79, 3.97: the upper CUSUM leaves 0 at A and is above h = 1 at C; the lots since it left 0 are named.
    expect(s.signals.find((x) => x.chart === 'cusum')).toEqual({ chart: 'cusum', direction: 'up', lots: ['A', 'B', 'C'] });
  });

  it('warn gives INFO reasons, hold HOLDs, off draws no charts but keeps the lot statistics', () => {
    const data = generateHistory({
      product: spec,
      seed: 'trend-actions',
      lots: [
        ...[1, 2, 3, 4, 5].map((i) => ({ lot: `A${i}`, units: 60 })),
        { lot: 'X', units: 60, shifts: [{ parameter: 'tx_avg_power', sigma: 2 }] },
      ],
    }).map(toLotData);
    const baseline = { version: 1, createdAt: 'x', payload: buildBaseline({ spec, lots: data.slice(0, 5), createdBy: 't' }) };
    const lot = data[5]!;
    const loose = {
      ...findPolicy('default'),
      consistency: { ...findPolicy('default').consistency, maxMeanShiftSigma: 5, maxLaneShiftSigma: 5 },
    };
    const strong = { ewmaLambda: 1, ewmaL: 4, cusumK: 0.5, cusumH: 3 };
    const warn = evaluateLot({ lot, spec, policy: { ...loose, trend: { action: 'warn', ...strong } }, baseline, revision: 1, history: [] });
    const trendReasons = warn.proposal.reasons.filter((x) => x.code.startsWith('trend-'));
    expect(trendReasons.length).toBeGreaterThan(0);
    expect(trendReasons.every((x) => x.severity === 'INFO')).toBe(true);
    expect(trendReasons.some((x) => x.parameter === 'tx_avg_power')).toBe(true);
    const hold = evaluateLot({ lot, spec, policy: { ...loose, trend: { action: 'hold', ...strong } }, baseline, revision: 1, history: [] });
    expect(hold.proposal.disposition).toBe('HOLD');
    const off = evaluateLot({ lot, spec, policy: { ...loose, trend: { action: 'off' } }, baseline, revision: 1, history: [] });
    expect(off.trend!.charts).toEqual([]);
    expect(off.trend!.lot.length).toBeGreaterThan(0);
    expect(off.proposal.reasons.filter((x) => x.code.startsWith('trend-'))).toEqual([]);
  });
});

describe('a log-scale parameter (pre-FEC BER, charted on log10) on a healthy history', () => {
  // Regression: the lot statistics were once taken in linear units while the baseline's centre is on
  // log10, so every lot of the demo history "drifted" in BER on every lane and corner.
  const dr8 = findProduct('osfp-800g-dr8');
  const data = generateHistory({
    product: dr8,
    seed: 'trend-log-scale',
    lots: ['B1', 'B2', 'B3', 'B4', 'B5', 'N1', 'N2', 'N3'].map((lot) => ({ lot, units: 60 })),
  }).map(toLotData);
  const baseline = { version: 1, createdAt: 'x', payload: buildBaseline({ spec: dr8, lots: data.slice(0, 5), createdBy: 't' }) };

  it('records the lot means on the chart scale and raises no BER trend reason', () => {
    const history: TrendHistoryLot[] = [];
    for (const lot of data.slice(5)) {
      const r = evaluateLot({ lot, spec: dr8, policy: holdPolicy, baseline, revision: 1, history });
      const ber = r.trend!.lot.filter((c) => c.parameter === 'prefec_ber');
      expect(ber.length).toBeGreaterThan(0);
      // log10 of a BER around 1e-6 … 1e-5, not a linear value near zero
      for (const c of ber) expect(c.mean).toBeLessThan(-3);
      expect(r.proposal.reasons.filter((x) => x.code.startsWith('trend-') && x.parameter === 'prefec_ber')).toEqual([]);
      history.push(historyOf(r));
    }
  });
});
