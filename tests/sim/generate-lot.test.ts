import { describe, expect, it } from 'vitest';
import { mean, sampleStandardDeviation } from 'simple-statistics';
import { generateLot, slotValues, type GeneratedLot } from '../../src/sim/generate-lot.js';
import { generateHistory } from '../../src/sim/generate-history.js';
import { parseShift, parseStuck, parseVariance } from '../../src/sim/injection-syntax.js';
import { SeededRandom } from '../../src/sim/seeded-random.js';
import { SimOptionError } from '../../src/sim/sim-errors.js';
import { testSpec } from './support/test-spec.js';

const healthy = generateLot({ spec: testSpec, lot: 'H1', units: 2000, seed: 11 });

function cpk(values: ArrayLike<number>, lsl: number | null, usl: number | null): number {
  const v = Array.from(values);
  const m = mean(v);
  const s = sampleStandardDeviation(v);
  return Math.min(usl === null ? Infinity : (usl - m) / (3 * s), lsl === null ? Infinity : (m - lsl) / (3 * s));
}

describe('seeded random streams', () => {
  it('draws standard normals whose coverage matches the normal table', () => {
    // Standard normal table (NIST/SEMATECH e-Handbook §1.3.6.7.1): P(|Z| < 1) = 0.6827, P(|Z| < 1.96) = 0.9500.
    const r = new SeededRandom(5, 'normal-check');
    const n = 100_000;
    let within1 = 0;
    let within196 = 0;
    for (let i = 0; i < n; i++) {
      const z = Math.abs(r.normal());
      if (z < 1) within1++;
      if (z < 1.96) within196++;
    }
    expect(within1 / n).toBeCloseTo(0.6827, 2);
    expect(within196 / n).toBeCloseTo(0.95, 2);
  });

  it('gives the same stream for the same labels whatever was drawn before', () => {
    const a = new SeededRandom(1).fork('unit', 'SN1');
    const root = new SeededRandom(1);
    root.normal();
    expect(root.fork('unit', 'SN1').uniform()).toBe(a.uniform());
  });
});

describe('healthy lot', () => {
  it('reaches Cpk 1.3–2.3 on every two-sided parameter (worst corner × lane) and ≥ 1.3 on every slot', () => {
    const byParameter = new Map<string, number>();
    for (const s of healthy.model.slots) {
      if (s.lsl === null || s.usl === null) continue;
      const c = cpk(slotValues(healthy, s.parameter, s.corner, s.lane), s.lsl, s.usl);
      expect(c, `${s.parameter} ${s.corner} lane ${s.lane}`).toBeGreaterThanOrEqual(1.3);
      byParameter.set(s.parameter, Math.min(byParameter.get(s.parameter) ?? Infinity, c));
    }
    expect([...byParameter.keys()].sort()).toEqual(['tx_avg_power', 'tx_oma_outer', 'tx_wavelength', 'vcc']);
    for (const [parameter, c] of byParameter) {
      expect(c, parameter).toBeGreaterThanOrEqual(1.3);
      expect(c, parameter).toBeLessThanOrEqual(2.3);
    }
  });

  it('puts one-sided parameters about 3·Cpk σ inside their limit', () => {
    for (const s of healthy.model.slots.filter((x) => x.parameter === 'tx_er' && x.corner === 'hot')) {
      const c = cpk(slotValues(healthy, s.parameter, s.corner, s.lane), s.lsl, null);
      expect(c).toBeGreaterThan(1.3);
      expect(c).toBeLessThan(2.3);
    }
  });

  it('follows temperature: hot has less launch power, longer wavelength, worse RX sensitivity, more module power', () => {
    const at = (p: string, corner: string, lane: number | null) => mean(Array.from(slotValues(healthy, p, corner, lane)));
    expect(at('tx_avg_power', 'hot', 0)).toBeLessThan(at('tx_avg_power', 'room', 0));
    const drift = (at('tx_wavelength', 'hot', 1) - at('tx_wavelength', 'room', 1)) / 45;
    expect(drift).toBeGreaterThan(0.05);
    expect(drift).toBeLessThanOrEqual(0.1);
    expect(at('rx_sensitivity_oma', 'hot', 2)).toBeGreaterThan(at('rx_sensitivity_oma', 'room', 2));
    expect(at('module_power', 'hot', null)).toBeGreaterThan(at('module_power', 'room', null));
  });

  it('makes OMA track average power, keeps TDECQ positive and right-skewed, never writes derived parameters', () => {
    const oma = Array.from(slotValues(healthy, 'tx_oma_outer', 'room', 0));
    const pavg = Array.from(slotValues(healthy, 'tx_avg_power', 'room', 0));
    const mo = mean(oma);
    const mp = mean(pavg);
    const cov = oma.reduce((s, v, i) => s + (v - mo) * ((pavg[i] ?? 0) - mp), 0) / (oma.length - 1);
    expect(cov / (sampleStandardDeviation(oma) * sampleStandardDeviation(pavg))).toBeGreaterThan(0.5);
    const tdecq = Array.from(slotValues(healthy, 'tx_tdecq', 'hot', 0));
    expect(Math.min(...tdecq)).toBeGreaterThan(0);
    const m = mean(tdecq);
    const s = sampleStandardDeviation(tdecq);
    const skewness = tdecq.reduce((a, v) => a + ((v - m) / s) ** 3, 0) / tdecq.length;
    expect(skewness).toBeGreaterThan(0.2);
    expect(healthy.model.slots.some((x) => x.parameter === 'tx_oma_minus_tdecq')).toBe(false);
  });

  it('measures module parameters once per unit × corner, only at their corners', () => {
    const power = healthy.model.slots.filter((s) => s.parameter === 'module_power');
    expect(power.map((s) => [s.corner, s.lane])).toEqual([
      ['room', null],
      ['hot', null],
    ]);
  });

  it('censors about the configured share of RX sensitivity readings at a floor', () => {
    const lot = generateLot({
      spec: testSpec,
      lot: 'C1',
      units: 2000,
      seed: 4,
      lotSigma: 0,
      process: { censorRate: 0.01, stationOffsetSigma: 0, driftSigma: 0 },
    });
    const censored = lot.runs.reduce((n, r) => n + r.censoring.reduce((a, c) => a + c, 0), 0);
    const rx = lot.model.slots.filter((s) => s.parameter === 'rx_sensitivity_oma').length * lot.runs.length;
    // The floor is the 1 % quantile rounded to 0.1 dB (≈ ±0.14σ), so the share lands between ~0.6 % and ~1.5 %.
    expect(censored / rx).toBeGreaterThan(0.005);
    expect(censored / rx).toBeLessThan(0.016);
    for (const r of lot.runs) r.censoring.forEach((c, i) => c === 1 && expect(r.values[i]).toBe(lot.model.slots[i]?.censorFloor));
  });
});

describe('injections', () => {
  const base = { spec: testSpec, lot: 'S1', units: 2000, seed: 21 } as const;
  const plain = generateLot(base);

  it('a 1σ shift on lane 2 moves that lane by 1σ (±0.15σ) and leaves other lanes alone', () => {
    const shifted = generateLot({ ...base, shifts: [{ parameter: 'tx_er', lane: 2, sigma: 1 }] });
    for (const corner of ['cold', 'room', 'hot']) {
      const slot = shifted.model.slots.find((s) => s.parameter === 'tx_er' && s.corner === corner && s.lane === 2);
      const moved =
        (mean(Array.from(slotValues(shifted, 'tx_er', corner, 2))) - mean(Array.from(slotValues(plain, 'tx_er', corner, 2)))) /
        (slot?.sigma ?? NaN);
      expect(Math.abs(moved - 1)).toBeLessThan(0.15);
      // Against the process model (unpaired): lane 2's deviation from its modelled mean minus the other
      // lanes' (which share the lot, station and drift offsets).
      const deviation = (lane: number): number => {
        const s = shifted.model.slots.find((x) => x.parameter === 'tx_er' && x.corner === corner && x.lane === lane);
        return (mean(Array.from(slotValues(shifted, 'tx_er', corner, lane))) - (s?.mean ?? NaN)) / (s?.sigma ?? NaN);
      };
      const fromModel = deviation(2) - (deviation(0) + deviation(1) + deviation(3)) / 3;
      expect(Math.abs(fromModel - 1)).toBeLessThan(0.15);
      for (const lane of [0, 1, 3]) expect(slotValues(shifted, 'tx_er', corner, lane)).toEqual(slotValues(plain, 'tx_er', corner, lane));
    }
    // Exact control: parameters correlated with ER (TDECQ, OMA) follow its unit-to-unit variation, not the injected shift.
    expect(slotValues(shifted, 'tx_tdecq', 'room', 2)).toEqual(slotValues(plain, 'tx_tdecq', 'room', 2));
    expect(slotValues(shifted, 'tx_wavelength', 'room', 2)).toEqual(slotValues(plain, 'tx_wavelength', 'room', 2));
  });

  it('a shift restricted to one corner leaves the other corners alone', () => {
    const shifted = generateLot({ ...base, shifts: [{ parameter: 'tx_wavelength', sigma: -2, corner: 'hot' }] });
    expect(slotValues(shifted, 'tx_wavelength', 'room', 0)).toEqual(slotValues(plain, 'tx_wavelength', 'room', 0));
    const slot = shifted.model.slots.find((s) => s.parameter === 'tx_wavelength' && s.corner === 'hot' && s.lane === 3);
    const moved =
      (mean(Array.from(slotValues(shifted, 'tx_wavelength', 'hot', 3))) - mean(Array.from(slotValues(plain, 'tx_wavelength', 'hot', 3)))) /
      (slot?.sigma ?? NaN);
    expect(moved).toBeCloseTo(-2, 1);
  });

  it('a variance blow-up of 2 doubles the spread around the same mean', () => {
    const wide = generateLot({ ...base, variance: [{ parameter: 'tx_wavelength', factor: 2 }] });
    for (const lane of [0, 3]) {
      const a = Array.from(slotValues(plain, 'tx_wavelength', 'room', lane));
      const b = Array.from(slotValues(wide, 'tx_wavelength', 'room', lane));
      expect(sampleStandardDeviation(b) / sampleStandardDeviation(a)).toBeCloseTo(2, 1);
      expect(Math.abs(mean(b) - mean(a))).toBeLessThan(0.1 * sampleStandardDeviation(a));
    }
  });

  it('outlier units carry one reading 6–8σ off, recorded as a fault', () => {
    const lot = generateLot({ ...base, units: 300, outliers: 5 });
    const ref = generateLot({ ...base, units: 300 });
    const outliers = lot.runs.filter((r) => r.faults.some((f) => f.kind === 'outlier'));
    expect(outliers).toHaveLength(5);
    for (const run of outliers) {
      const fault = run.faults.find((f) => f.kind === 'outlier');
      if (fault?.kind !== 'outlier') throw new Error('unreachable');
      expect(Math.abs(fault.sigmas)).toBeGreaterThanOrEqual(6);
      expect(Math.abs(fault.sigmas)).toBeLessThanOrEqual(8);
      const index = lot.model.slotIndex.get(`${fault.parameter}|${fault.corner}|${fault.lane ?? '-'}`) as number;
      const slot = lot.model.slots[index];
      const healthyRun = ref.runs[run.unitIndex];
      if (slot === undefined || healthyRun === undefined || slot.skew !== 0 || slot.floor !== null || slot.censorFloor !== null) continue;
      expect(((run.values[index] ?? 0) - (healthyRun.values[index] ?? 0)) / slot.sigma).toBeCloseTo(fault.sigmas, 1);
    }
  });

  it('retested units fail a limit on attempt 1 and get an attempt 2 that passes with the set probability', () => {
    const all = generateLot({ ...base, units: 400, retestRate: 0.05, retestPassProbability: 1 });
    const firsts = all.runs.filter((r) => r.attempt === 1 && r.faults.some((f) => f.kind === 'limit-failure'));
    const seconds = all.runs.filter((r) => r.attempt === 2);
    expect(firsts).toHaveLength(20);
    expect(seconds.map((r) => r.serial).sort()).toEqual(firsts.map((r) => r.serial).sort());
    expect(firsts.every((r) => !r.passed)).toBe(true);
    expect(seconds.every((r) => r.passed)).toBe(true);
    for (const r of seconds)
      expect(Date.parse(r.testTime)).toBeGreaterThan(Date.parse(firsts.find((f) => f.serial === r.serial)?.testTime ?? ''));
    const none = generateLot({ ...base, units: 400, retestRate: 0.05, retestPassProbability: 0 });
    expect(none.runs.filter((r) => r.attempt === 2).every((r) => !r.passed)).toBe(true);
  });

  it('rejects injections the product cannot honour, saying what is allowed', () => {
    expect(() => generateLot({ ...base, shifts: [{ parameter: 'tx_foo', sigma: 1 }] })).toThrow(SimOptionError);
    expect(() => generateLot({ ...base, shifts: [{ parameter: 'tx_oma_minus_tdecq', sigma: 1 }] })).toThrow(/derived/);
    expect(() => generateLot({ ...base, shifts: [{ parameter: 'tx_er', lane: 4, sigma: 1 }] })).toThrow(/lane 5 is not a lane .*lanes 1–4/);
    expect(() => generateLot({ ...base, retestRate: 2 })).toThrow(/between 0 and 1/);
  });

  it('parses the command-line spelling of shifts and variance blow-ups, lanes as channel numbers from 1', () => {
    // A person types the channel number the station and the reports print: channel 2 is lane index 1.
    expect(parseShift('tx_er:2:1.5')).toEqual({ parameter: 'tx_er', lane: 1, sigma: 1.5 });
    expect(parseVariance('tx_er:1.5:1:hot')).toEqual({ parameter: 'tx_er', factor: 1.5, lane: 0, corner: 'hot' });
    expect(parseStuck('tx_avg_power:4')).toEqual({ parameter: 'tx_avg_power', lane: 3 });
    expect(() => parseShift('tx_er:0:1')).toThrow(/channel number from 1/);
    expect(() => parseStuck('tx_avg_power:0')).toThrow(/channel number from 1/);
    expect(parseShift('tx_er:*:-1:hot')).toEqual({ parameter: 'tx_er', sigma: -1, corner: 'hot' });
    expect(parseVariance('tx_tdecq:2')).toEqual({ parameter: 'tx_tdecq', factor: 2 });
    expect(() => parseShift('tx_er:2')).toThrow(/param:lane:sigma/);
  });
});

describe('history', () => {
  it('makes consecutive lots with their own lot offsets and shared lane offsets', () => {
    const lots: GeneratedLot[] = generateHistory({
      product: testSpec,
      seed: 3,
      startTime: '2025-02-01T06:00:00Z',
      lots: [
        { lot: 'A1', units: 50 },
        { lot: 'A2', units: 50 },
        { lot: 'A3', units: 50, shifts: [{ parameter: 'tx_er', sigma: 1 }] },
      ],
    });
    expect(lots.map((l) => l.lot)).toEqual(['A1', 'A2', 'A3']);
    expect(lots[0]?.options.startTime).toBe('2025-02-01T06:00:00Z');
    for (let k = 1; k < lots.length; k++)
      expect(Date.parse(lots[k]?.options.startTime ?? '')).toBeGreaterThan(Date.parse(lots[k - 1]?.runs.at(-1)?.testTime ?? ''));
    expect(lots[0]?.lotOffsets.tx_er).not.toBe(lots[1]?.lotOffsets.tx_er);
    expect(lots[0]?.model.slots.map((s) => s.laneOffset)).toEqual(lots[1]?.model.slots.map((s) => s.laneOffset));
  });
});
