/**
 * Station effects: a tester reading one critical parameter off is named in the lot's reason, and healthy
 * lots tested on several stations raise no station reason. Checked on generated lots over several seeds,
 * and the statistic against an independent recomputation (Welch's t of src/spc/consistency.ts).
 */
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot } from '../../src/evaluate/evaluate-lot.js';
import { baselineStationOffsets, stationEffects } from '../../src/evaluate/station-effects.js';
import type { CellSeries } from '../../src/evaluate/cell-series.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { welchTTest } from '../../src/spc/consistency.js';
import { stationEffectRows } from '../../src/report/engineering-stations.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');

/** One exact reading per unit, unit i reading values[i]: a chart's series with nothing censored. */
function exactSeries(values: readonly number[]): CellSeries {
  return {
    values: Float64Array.from(values),
    censoring: new Uint8Array(values.length),
    unitIndex: Int32Array.from(values, (_, i) => i),
    exact: Float64Array.from(values),
    exactUnitIndex: Int32Array.from(values, (_, i) => i),
  };
}

describe.each(['stations-1', 'stations-2', 'stations-3'])('station effects, factory seed %s', (seed) => {
  const data = generateHistory({
    product: spec,
    seed,
    lotDefaults: { stations: 4 },
    lots: [
      ...['Q1', 'Q2', 'Q3', 'Q4', 'Q5'].map((lot) => ({ lot, units: 160 })),
      { lot: 'HEALTHY', units: 160 },
      { lot: 'ATE3', units: 160, stationOffsets: [{ station: 'ATE-03', parameter: 'tx_avg_power', sigma: 1 }] },
      { lot: 'ATE3-FAR', units: 160, stationOffsets: [{ station: 'ATE-03', parameter: 'tx_avg_power', sigma: 3 }] },
    ],
  }).map(toLotData);
  const baseline = { version: 1, createdAt: 'x', payload: buildBaseline({ spec, lots: data.slice(0, 5), createdBy: 't' }) };

  it('names the station that reads launch power 1σ high against the other 3', () => {
    const r = evaluateLot({ lot: data[6]!, spec, policy, baseline, revision: 1 });
    expect(r.proposal.disposition).toBe('HOLD');
    const st = r.proposal.reasons.filter((x) => x.code === 'station-shift');
    expect(st.length).toBeGreaterThan(0);
    expect(st.every((x) => x.station === 'ATE-03' && x.parameter === 'tx_avg_power')).toBe(true);
    expect(st[0]!.message).toMatch(/^ATE-03 reads tx_avg_power @ \w+ \d\.\d\d σ high against the other 3 stations/);
    // Each reason keeps its test: Welch df between the smaller group's n − 1 and the pooled n − 2 (40 vs 120 units).
    for (const x of st) {
      expect(x.test!.method).toMatch(/Welch/);
      expect(x.test!.df![0]).toBeGreaterThan(39);
      expect(x.test!.df![0]).toBeLessThan(158);
      expect(x.test!.adjustedP).toBeLessThanOrEqual(x.test!.alpha);
    }
    const row = r.stationEffects!.find((x) => x.parameter === 'tx_avg_power')!;
    expect(row.stations.map((s) => s.station)).toEqual(['ATE-01', 'ATE-02', 'ATE-03', 'ATE-04']);
    // The engineering report's station table highlights ATE-03 on the held parameter × corner only.
    const table = stationEffectRows(r);
    expect(table.header).toEqual(['Parameter · corner', 'ATE-01', 'ATE-02', 'ATE-03', 'ATE-04']);
    const heldRows = table.rows.filter((x) => x.held.some(Boolean));
    expect(heldRows.length).toBe(st.length);
    for (const h of heldRows) {
      expect(h.cells[0]).toMatch(/^tx_avg_power · /);
      expect(h.held).toEqual([false, false, false, true, false]);
      expect(h.cells[3]).toMatch(/\(\+\d\.\d\dσ\) n=40$/);
    }
  });

  it('names only the station that reads 3σ high, not the others it pulls −1σ against it (step-down)', () => {
    const r = evaluateLot({ lot: data[7]!, spec, policy, baseline, revision: 1 });
    const st = r.proposal.reasons.filter((x) => x.code === 'station-shift');
    expect(st.length).toBeGreaterThan(0);
    expect(st.map((x) => x.station)).toEqual(st.map(() => 'ATE-03'));
    // The table still shows every station against all the others: ATE-01 sits about −1σ against a pool holding ATE-03.
    const row = r.stationEffects!.find((x) => x.parameter === 'tx_avg_power')!;
    expect(row.stations.find((s) => s.station === 'ATE-01')!.againstOthersSigma!).toBeLessThan(-0.5);
  });

  it('raises no station reason on a healthy lot', () => {
    const r = evaluateLot({ lot: data[5]!, spec, policy, baseline, revision: 1 });
    expect(r.proposal.reasons.filter((x) => x.code === 'station-shift')).toEqual([]);
  });
});

describe('the station statistic', () => {
  it('is the Welch comparison of one station’s unit means with the other stations’', () => {
    const x = [1.2, 0.8, 1.1, 1.4, 0.9, 1.3, 1.0];
    const y = [0.1, -0.2, 0.3, 0.0, -0.1, 0.2, 0.05, -0.3];
    const series = exactSeries([...x, ...y]);
    const stations = [...x.map(() => 'A'), ...y.map(() => 'B')];
    const r = stationEffects('p', 'room', [series], [1], stations, 0);
    const w = welchTTest(Float64Array.from(x), Float64Array.from(y));
    const a = r.hypotheses.find((h) => h.station === 'A')!;
    expect(a.estimate).toBeCloseTo(w.meanDifference, 12);
    // Margin 0: the minimum-effect test is Welch's two-sided test.
    expect(a.p).toBeCloseTo(w.pValue, 8);
    // The df and standard error it used travel with the hypothesis (into the reason, for "show the work").
    expect(a.df).toHaveLength(1);
    expect(a.df![0]).toBeCloseTo(w.df, 10);
    expect(a.standardError).toBeCloseTo(w.standardError, 12);
  });

  it('re-tests the stations left against the stations not flagged only (Welch recomputed on those units)', () => {
    const x = [1.2, 0.8, 1.1, 1.4, 0.9, 1.3, 1.0];
    const y = [0.1, -0.2, 0.3, 0.0, -0.1, 0.2, 0.05, -0.3];
    const z = [5.1, 4.8, 5.3, 4.9, 5.0, 5.2];
    const all = [...x, ...y, ...z];
    const series = exactSeries(all);
    const stations = [...x.map(() => 'A'), ...y.map(() => 'B'), ...z.map(() => 'C')];
    const r = stationEffects('p', 'room', [series], [1], stations, 0);
    expect(r.hypotheses.map((h) => h.station)).toEqual(['A', 'B', 'C']);
    // C flagged: A and B each against the other only.
    const again = r.retest([true, true, false]);
    const w = welchTTest(Float64Array.from(x), Float64Array.from(y));
    expect(again.map((h) => h.station)).toEqual(['A', 'B']);
    expect(again[0]!.estimate).toBeCloseTo(w.meanDifference, 12);
    expect(again[0]!.p).toBeCloseTo(w.pValue, 8);
    expect(again[1]!.estimate).toBeCloseTo(-w.meanDifference, 12);
    expect(again[0]!.otherStations).toBe(1);
  });
});

describe('a tester whose offset the baseline already shows', () => {
  // ATE-03 reads launch power 1.3σ high in every lot, the baseline's qualified lots too: the known state of
  // that tester, well above the 0.5σ margin. Before the baseline kept its stations' offsets such a lot was held
  // for a tester that had not changed (the SAME lot judged against this baseline without its stationOffsets:
  // HOLD, station-shift 0.90–1.04σ at the three corners).
  const offset = (sigma: number) => [{ station: 'ATE-03', parameter: 'tx_avg_power', sigma }];
  const data = generateHistory({
    product: spec,
    seed: 'stations-known-1',
    lotDefaults: { stations: 4 },
    lots: [
      ...['Q1', 'Q2', 'Q3', 'Q4', 'Q5'].map((lot) => ({ lot, units: 160, stationOffsets: offset(1.3) })),
      { lot: 'SAME', units: 160, stationOffsets: offset(1.3) },
      { lot: 'MOVED', units: 160, stationOffsets: offset(2.8) },
    ],
  }).map(toLotData);
  const payload = buildBaseline({ spec, lots: data.slice(0, 5), createdBy: 't' });
  const baseline = { version: 1, createdAt: 'x', payload };

  it('records each station’s offset in the baseline: ATE-03 high against the lot mean, the others below it', () => {
    const comp = payload.components!.find((c) => c.parameter === 'tx_avg_power')!;
    const ate3 = comp.stationOffsets!.find((s) => s.station === 'ATE-03')!;
    // Against the lot mean (which holds ATE-03's own quarter): 1.3 × (1 − 1/4) ≈ 0.98 generator σ; in the lane's
    // within-lot σ (which also holds the stations' spread) a little less, give or take √(0.25/200) ≈ 0.035.
    expect(ate3.offset).toBeGreaterThan(0.7);
    expect(ate3.offset).toBeLessThan(1.1);
    for (const x of comp.stationOffsets!.filter((y) => y.station !== 'ATE-03')) expect(x.offset).toBeLessThan(0);
    expect(comp.stationOffsets!.map((s) => s.station)).toEqual(['ATE-01', 'ATE-02', 'ATE-03', 'ATE-04']);
  });

  it('does not hold a lot whose tester reads as it did in the baseline lots', () => {
    const r = evaluateLot({ lot: data[5]!, spec, policy, baseline, revision: 1 });
    expect(r.proposal.reasons.filter((x) => x.code === 'station-shift')).toEqual([]);
    // The station table still shows what the lot's testers read against each other (ATE-03 high).
    const row = r.stationEffects!.find((x) => x.parameter === 'tx_avg_power')!;
    expect(row.stations.find((s) => s.station === 'ATE-03')!.againstOthersSigma!).toBeGreaterThan(0.4);
  });

  it('names the tester that moved a further 1.5σ since, saying what it read in the baseline lots', () => {
    const r = evaluateLot({ lot: data[6]!, spec, policy, baseline, revision: 1 });
    const st = r.proposal.reasons.filter((x) => x.code === 'station-shift');
    expect(st.length).toBeGreaterThan(0);
    expect(st.every((x) => x.station === 'ATE-03' && x.parameter === 'tx_avg_power')).toBe(true);
    expect(st[0]!.message).toMatch(/against the other 3 stations beyond the \+1\.\d\d σ it read against them in the baseline lots/);
  });
});

describe('the baseline’s station offsets', () => {
  it('are each station’s mean of (unit − lot mean), with the pooled within-station variance (recomputed by hand)', () => {
    // Two lots, one lane; lot 1: A = 1, 3; B = 0, 0 (mean 1). Lot 2: A = 2, 2, 5; B = 1 (mean 2.5).
    const lot = (values: number[], stations: string[]) => ({ matrix: Float64Array.from(values), lanes: 1, unitStations: stations });
    const r = baselineStationOffsets([lot([1, 3, 0, 0], ['A', 'A', 'B', 'B']), lot([2, 2, 5, 1], ['A', 'A', 'A', 'B'])]);
    // A: (0 + 2 − 0.5 − 0.5 + 2.5) / 5 = 0.7; within-station SS: lot 1 (1−2)²+(3−2)² = 2, lot 2 around 3: 1+1+4 = 6;
    // df 5 − 2 = 3 → 8/3. B: (−1 − 1 − 1.5)/3 = −7/6; SS 0 + 0 = 0 with df 3 − 2 = 1 → 0.
    expect(r.map((x) => x.station)).toEqual(['A', 'B']);
    expect(r[0]!.offset).toBeCloseTo(0.7, 12);
    expect(r[0]!.variance).toBeCloseTo(8 / 3, 12);
    expect(r[0]!.units).toBe(5);
    expect(r[1]!.offset).toBeCloseTo(-7 / 6, 12);
    expect(r[1]!.variance).toBe(0);
  });

  it('shift the expected difference by o_s − Σ w o_others and widen its standard error by their estimates’ error', () => {
    const x = [1.2, 0.8, 1.1, 1.4, 0.9, 1.3, 1.0];
    const y = [0.1, -0.2, 0.3, 0.0, -0.1, 0.2, 0.05, -0.3];
    const all = [...x, ...y];
    const series = exactSeries(all);
    const stations = [...x.map(() => 'A'), ...y.map(() => 'B')];
    const known = [
      { station: 'A', units: 50, offset: 0.6, variance: 0.5 },
      { station: 'B', units: 40, offset: -0.3, variance: 0.4 },
    ];
    const r = stationEffects('p', 'room', [series], [1], stations, 0, known);
    const w = welchTTest(Float64Array.from(x), Float64Array.from(y));
    const a = r.hypotheses.find((h) => h.station === 'A')!;
    expect(a.stationBaselineOffset).toBeCloseTo(0.9, 12);
    expect(a.estimate).toBeCloseTo(w.meanDifference - 0.9, 12);
    expect(a.standardError).toBeCloseTo(Math.sqrt(w.standardError ** 2 + 0.5 / 50 + 0.4 / 40), 12);
  });
});
