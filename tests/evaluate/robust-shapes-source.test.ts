/**
 * The independent healthy-history source of the shapes study (bench/shapes-history.ts) makes the data it
 * says it makes: the study's false-hold table is only as good as its shapes.
 */
import { describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { CENSOR_BELOW, type LotData } from '../../src/domain/lot-data.js';
import { shapedHistory, type Shape } from '../../bench/shapes-history.js';

const spec = findProduct('qsfp112-400g-dr4');
const lotOf = (shape: Shape, units = 400): LotData => shapedHistory({ spec, shape, seed: 'source-check', lots: 1, units })[0]!;

/** Readings of one parameter at one corner and lane (first attempts and retests alike). */
function readings(lot: LotData, parameter: string, corner: string, lane: number): { v: number[]; censored: number } {
  const p = lot.parameters.indexOf(parameter);
  const c = lot.corners.indexOf(corner);
  const v: number[] = [];
  let censored = 0;
  for (let i = 0; i < lot.value.length; i++)
    if (lot.parameterIndex[i] === p && lot.cornerIndex[i] === c && lot.lane[i] === lane) {
      v.push(lot.value[i]!);
      if (lot.censoring[i] === CENSOR_BELOW) censored++;
    }
  return { v, censored };
}
const mean = (x: number[]): number => x.reduce((a, b) => a + b, 0) / x.length;
const moment = (x: number[], k: number): number => {
  const m = mean(x);
  return mean(x.map((v) => (v - m) ** k));
};
const skewness = (x: number[]): number => moment(x, 3) / moment(x, 2) ** 1.5;
const kurtosis = (x: number[]): number => moment(x, 4) / moment(x, 2) ** 2;

describe('bench/shapes-history.ts', () => {
  it('reference: one run per unit, TX power read on every unit and in spec', () => {
    const lot = lotOf('reference');
    expect(lot.runs).toHaveLength(400);
    const power = readings(lot, 'tx_avg_power', 'room', 0).v;
    expect(power).toHaveLength(400);
    expect(Math.min(...power)).toBeGreaterThan(-2.9);
    expect(Math.max(...power)).toBeLessThan(4);
  });

  it('skewed: TDECQ right-skewed (lognormal σ_log 0.35 has skewness ≈ 1.1; sample of 400 well above 0.5)', () => {
    expect(skewness(readings(lotOf('skewed'), 'tx_tdecq', 'room', 0).v)).toBeGreaterThan(0.5);
    expect(Math.abs(skewness(readings(lotOf('reference'), 'tx_tdecq', 'room', 0).v))).toBeLessThan(0.4);
  });

  it('heavy-tails: kurtosis well above the normal 3 (t₄ truncated at ±4.5σ has ≈ 4.5)', () => {
    const lot = lotOf('heavy-tails', 1000);
    const x = readings(lot, 'tx_er', 'room', 1).v;
    expect(kurtosis(x)).toBeGreaterThan(3.6);
  });

  it('censored: about 21 % of RX sensitivity readings written as below the floor', () => {
    const r = readings(lotOf('censored'), 'rx_sensitivity_oma', 'room', 2);
    expect(r.censored / r.v.length).toBeGreaterThan(0.12);
    expect(r.censored / r.v.length).toBeLessThan(0.3);
  });

  it('quantised: every reading on the 0.1 grid', () => {
    const lot = lotOf('quantised', 50);
    for (const v of lot.value) expect(Math.abs(v * 10 - Math.round(v * 10))).toBeLessThan(1e-6);
  });

  it('retests: about 5 % of units tested twice', () => {
    const lot = lotOf('retests');
    const second = lot.runs.filter((r) => r.attempt === 2);
    expect(second.length).toBeGreaterThan(8);
    expect(second.length).toBeLessThan(35);
  });

  it('station-offsets: four stations, each testing some units', () => {
    expect(new Set(lotOf('station-offsets').runs.map((r) => r.station))).toEqual(new Set(['ATE-01', 'ATE-02', 'ATE-03', 'ATE-04']));
  });

  it('correlated-lanes: a unit’s lanes correlate (ρ = 0.6 of the unit effect, ≈ 0.36 per reading); independent otherwise', () => {
    const corr = (shape: Shape): number => {
      const lot = lotOf(shape, 600);
      const a = readings(lot, 'tx_er', 'room', 0).v;
      const b = readings(lot, 'tx_er', 'room', 1).v;
      const ma = mean(a);
      const mb = mean(b);
      const cov = mean(a.map((v, i) => (v - ma) * (b[i]! - mb)));
      return cov / Math.sqrt(moment(a, 2) * moment(b, 2));
    };
    expect(corr('correlated-lanes')).toBeGreaterThan(0.2);
    expect(Math.abs(corr('reference'))).toBeLessThan(0.12);
  });
});
