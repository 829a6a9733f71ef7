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
import { stationEffects } from '../../src/evaluate/station-effects.js';
import type { CellSeries } from '../../src/evaluate/cell-series.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { welchTTest } from '../../src/spc/consistency.js';
import { stationEffectRows } from '../../src/report/engineering-stations.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');

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
    const series: CellSeries = {
      values: Float64Array.from([...x, ...y]),
      censoring: new Uint8Array(15),
      unitIndex: Int32Array.from({ length: 15 }, (_, i) => i),
      exact: Float64Array.from([...x, ...y]),
      exactUnitIndex: Int32Array.from({ length: 15 }, (_, i) => i),
    };
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
    const series: CellSeries = {
      values: Float64Array.from(all),
      censoring: new Uint8Array(all.length),
      unitIndex: Int32Array.from(all, (_, i) => i),
      exact: Float64Array.from(all),
      exactUnitIndex: Int32Array.from(all, (_, i) => i),
    };
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
