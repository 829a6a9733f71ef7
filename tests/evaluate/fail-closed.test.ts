/**
 * Fail closed: a critical chart whose statistics cannot be computed holds the lot with a reason that says
 * why, and lanes are named as the station names them (1-based). Only the statistics' own input errors
 * become notes; anything else propagates.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { findProduct } from '../../src/domain/catalog.js';
import { findPolicy } from '../../src/acceptance/policy-catalog.js';
import { CENSOR_ABOVE, MODULE_LANE, type LotData } from '../../src/domain/lot-data.js';
import { buildBaseline } from '../../src/evaluate/build-baseline.js';
import { evaluateLot, type BaselineRef } from '../../src/evaluate/evaluate-lot.js';
import { generateHistory } from '../../src/sim/index.js';
import { toLotData } from '../../src/sim/to-lot-data.js';
import { isStatisticsInputError, StatsInputError } from '../../src/spc/stats-error.js';
import { SpcInputError } from '../../src/spc/spc-error.js';

const spec = findProduct('qsfp112-400g-dr4');
const policy = findPolicy('default');
let clean: LotData;
let baseline: BaselineRef;

beforeAll(() => {
  const lots = generateHistory({
    product: spec,
    seed: 'fail-closed',
    lots: ['Q1', 'Q2', 'Q3', 'CLEAN'].map((lot) => ({ lot, units: 80 })),
  }).map(toLotData);
  baseline = { version: 1, createdAt: '2026-01-01T00:00:00Z', payload: buildBaseline({ spec, lots: lots.slice(0, 3), createdBy: 'test' }) };
  clean = lots[3]!;
});

/** A copy of the lot with every reading of `parameter` on `lane` (all corners) changed by `edit`. */
function editReadings(
  lot: LotData,
  parameter: string,
  lane: number,
  edit: (value: Float64Array, censoring: Uint8Array, k: number) => void,
): LotData {
  const value = Float64Array.from(lot.value);
  const censoring = Uint8Array.from(lot.censoring);
  const p = lot.parameters.indexOf(parameter);
  for (let k = 0; k < value.length; k++) if (lot.parameterIndex[k] === p && lot.lane[k] === lane) edit(value, censoring, k);
  return { ...lot, value, censoring };
}

describe('a critical chart that cannot be judged holds the lot', () => {
  it('accepts the untouched lot (the control)', () => {
    expect(evaluateLot({ lot: clean, spec, policy, baseline, revision: 1 }).proposal.disposition).toBe('ACCEPT');
  });

  it('holds a lot whose launch power on lane index 1 is read by a stuck gauge, naming it lane 2', () => {
    const p = clean.parameters.indexOf('tx_avg_power');
    const k0 = clean.parameterIndex.findIndex((x, k) => x === p && clean.lane[k] === 1);
    const stuckAt = clean.value[k0]!;
    const lot = editReadings(clean, 'tx_avg_power', 1, (v, _c, k) => (v[k] = stuckAt));
    for (const b of [baseline, null]) {
      const r = evaluateLot({ lot, spec, policy, baseline: b, revision: 1 });
      expect(r.proposal.disposition).toBe('HOLD');
      const reasons = r.proposal.reasons.filter((x) => x.code === 'statistics-unavailable');
      // One per corner the parameter is measured at, all on that lane.
      expect(reasons.length).toBe(new Set(r.cells.filter((c) => c.key.parameter === 'tx_avg_power').map((c) => c.key.corner)).size);
      for (const x of reasons) {
        expect(x.severity).toBe('HOLD');
        expect(x.lane).toBe(1);
        expect(x.laneName).toBe('2');
        expect(x.message).toContain('tx_avg_power @');
        expect(x.message).toContain('lane 2:');
        expect(x.message).toMatch(/zero spread — a stuck gauge/);
      }
    }
  });

  it('holds a lot whose critical readings are all censored, and says so', () => {
    const lot = editReadings(clean, 'tx_avg_power', 0, (_v, c, k) => (c[k] = CENSOR_ABOVE));
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    // Readings above the range may also fail the units (REJECT); the chart itself must never pass silently.
    expect(r.proposal.disposition).not.toBe('ACCEPT');
    expect(r.proposal.reasons.filter((y) => y.code === 'statistics-unavailable').every((y) => y.severity === 'HOLD')).toBe(true);
    const x = r.proposal.reasons.find((y) => y.code === 'statistics-unavailable')!;
    expect(x.message).toMatch(/all 80 readings are censored/);
    expect(x.message).toContain('lane 1:');
  });

  it('holds a lot whose spread collapsed against the baseline (a saturated gauge that still jitters)', () => {
    const p = clean.parameters.indexOf('tx_avg_power');
    const lot = editReadings(clean, 'tx_avg_power', 2, (v, _c, k) => {
      // Readings within ±1e-4 dB of one value: not identical, but far below the baseline σ.
      v[k] = 1 + ((k * 7919) % 11) * 1e-4;
    });
    expect(p).toBeGreaterThanOrEqual(0);
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    const x = r.proposal.reasons.find((y) => y.code === 'statistics-unavailable')!;
    expect(x.message).toMatch(/spread collapsed to \d+\.\d % of the baseline σ/);
    expect(x.laneName).toBe('3');
  });

  it('holds a lot with too few readings of a critical parameter', () => {
    // Two units only.
    const keepRuns = new Set([0, 1]);
    const idx: number[] = [];
    for (let k = 0; k < clean.runIndex.length; k++) if (keepRuns.has(clean.runIndex[k]!)) idx.push(k);
    const pick = <T extends { [i: number]: number; length: number }>(a: T, make: (n: number) => T): T => {
      const out = make(idx.length);
      idx.forEach((k, j) => (out[j] = a[k]!));
      return out;
    };
    const lot: LotData = {
      ...clean,
      runs: clean.runs.slice(0, 2),
      runIndex: pick(clean.runIndex, (n) => new Int32Array(n)),
      parameterIndex: pick(clean.parameterIndex, (n) => new Uint16Array(n)),
      cornerIndex: pick(clean.cornerIndex, (n) => new Uint16Array(n)),
      lane: pick(clean.lane, (n) => new Int16Array(n)),
      value: pick(clean.value, (n) => new Float64Array(n)),
      censoring: pick(clean.censoring, (n) => new Uint8Array(n)),
      fileHashes: clean.fileHashes.slice(0, 2),
    };
    const r = evaluateLot({ lot, spec, policy, baseline, revision: 1 });
    expect(r.proposal.disposition).toBe('HOLD');
    const xs = r.proposal.reasons.filter((y) => y.code === 'statistics-unavailable');
    expect(xs.length).toBeGreaterThan(0);
    expect(xs.every((x) => /only 2 uncensored readings; at least 3 are needed/.test(x.message))).toBe(true);
    // Every critical chart is named, module-scope ones too.
    const critical = r.cells.filter((c) => c.critical).length;
    expect(xs.length).toBe(critical);
    expect(xs.some((x) => x.lane === null) || r.cells.every((c) => c.key.lane !== null || !c.critical)).toBe(true);
    expect(MODULE_LANE).toBe(-1);
  });

  it('treats only the statistics’ own input errors as notes', () => {
    expect(isStatisticsInputError(new StatsInputError('too few'))).toBe(true);
    expect(isStatisticsInputError(new SpcInputError('empty'))).toBe(true);
    expect(isStatisticsInputError(new TypeError("Cannot read properties of undefined (reading 'x')"))).toBe(false);
    expect(isStatisticsInputError(new Error('the interquartile range is 0'))).toBe(false);
  });
});
