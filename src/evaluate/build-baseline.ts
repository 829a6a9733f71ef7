/**
 * @module Build a baseline — SPC phase I over qualified lots, frozen per parameter × corner (× lane).
 *
 * From each lot the final attempt of every unit is used, except:
 * - units that fail their limits (a nonconforming unit is not the process to monitor against), and
 * - units the engineer excludes with an assignable cause (`exclusions`), recorded with the reason.
 * Censored readings are left out (their value is a bound, not a reading).
 *
 * Per chart: the grand mean; σ_unit = the pooled within-lot standard deviation (lot-to-lot movement is
 * judged separately, so it must not inflate the yardstick); the individuals-chart σ̂ = MR̄/d2(2) with
 * moving ranges taken within lots only (a jump between two lots is not short-term variation).
 * Points of the baseline beyond its own limits stay in unless an assignable cause is given — the
 * phase I practice in spc-reference §1.5 — and are counted in the notes.
 */
import { lanePhrase } from '../domain/lanes.js';
import { laneNamingOf } from './lane-naming.js';
import { LotqaError } from '../errors/lotqa-error.js';
import type { Baseline, BaselineCell, BaselineExclusion } from '../domain/baseline.js';
import type { LotData } from '../domain/lot-data.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { d2 } from '../spc/constants.js';
import { movingRangeSigma } from '../spc/sigma-estimators.js';
import { cellSeries } from './cell-series.js';
import { buildLotView, LotEvaluationError, type LotView } from './lot-view.js';
import { judgeRun } from './unit-conformance.js';

/** Values kept per chart for distribution tests (KS, Brown–Forsythe) against later lots. */
export const SAMPLE_CAP = 1000;

export interface BuildBaselineInput {
  readonly spec: ProductSpec;
  readonly lots: readonly LotData[];
  readonly exclusions?: readonly BaselineExclusion[];
  readonly createdBy: string;
}

export class BaselineError extends LotqaError {
  override name = 'BaselineError';
}

function evenSample(values: readonly number[], cap: number): number[] {
  if (values.length <= cap) return [...values];
  const step = values.length / cap;
  return Array.from({ length: cap }, (_, i) => values[Math.floor(i * step)]!);
}

export function buildBaseline(input: BuildBaselineInput): Baseline {
  const { spec, lots } = input;
  if (lots.length === 0) throw new BaselineError(`a baseline needs at least one qualified lot of product ${spec.productId}`);
  for (const l of lots) {
    if (l.productId !== spec.productId)
      throw new BaselineError(`lot ${l.lot} is product ${l.productId}, not ${spec.productId}: a baseline is per product`);
  }
  const given = new Map<string, string>();
  for (const e of input.exclusions ?? []) given.set(`${e.lot}\u0000${e.serial}`, e.reason);
  const exclusions: BaselineExclusion[] = [];
  const notes: string[] = [];
  const views: { view: LotView; keep: Set<number> }[] = [];
  const used = new Set<string>();

  for (const lot of lots) {
    let view: LotView;
    try {
      view = buildLotView(lot, spec);
    } catch (err) {
      if (err instanceof LotEvaluationError) throw new BaselineError(`${err.message} (baseline lot)`);
      throw err;
    }
    const keep = new Set<number>();
    view.units.forEach((u, i) => {
      const reason = given.get(`${lot.lot}\u0000${u.serial}`);
      if (reason !== undefined) {
        used.add(`${lot.lot}\u0000${u.serial}`);
        exclusions.push({ lot: lot.lot, serial: u.serial, reason });
        return;
      }
      const verdict = judgeRun(view, u.finalRun).verdict;
      if (verdict !== 'pass') {
        exclusions.push({ lot: lot.lot, serial: u.serial, reason: `nonconforming unit (final attempt ${verdict})` });
        return;
      }
      keep.add(i);
    });
    views.push({ view, keep });
  }
  for (const e of input.exclusions ?? []) {
    if (!used.has(`${e.lot}\u0000${e.serial}`))
      throw new BaselineError(`exclusion ${e.lot}:${e.serial} names no unit of the baseline lots; check the lot and serial`);
  }

  const cells: BaselineCell[] = [];
  const first = views[0]!.view;
  let beyond = 0;
  for (let ci = 0; ci < first.cells.length; ci++) {
    const def = first.cells[ci]!;
    const perLot = views.map(({ view, keep }) => cellSeries(view, view.cells[ci]!, (u) => keep.has(u)).exact);
    const all: number[] = [];
    let ssWithin = 0;
    let dfWithin = 0;
    let mrSum = 0;
    let mrCount = 0;
    const lotMeans: number[] = [];
    const lotSizes: number[] = [];
    for (const values of perLot) {
      if (values.length === 0) continue;
      let sum = 0;
      for (const v of values) sum += v;
      const mean = sum / values.length;
      let ss = 0;
      for (const v of values) ss += (v - mean) ** 2;
      ssWithin += ss;
      dfWithin += values.length - 1;
      lotMeans.push(mean);
      lotSizes.push(values.length);
      for (const v of values) all.push(v);
      if (values.length >= 2) {
        const mr = movingRangeSigma(values, 2);
        mrSum += mr.mrBar * mr.movingRanges.length;
        mrCount += mr.movingRanges.length;
      }
    }
    const label = `${def.parameter.id} @ ${def.corner}${def.lane === null ? '' : ` ${lanePhrase(laneNamingOf(spec), def.lane)}`}`;
    if (all.length < 2 || dfWithin < 1 || mrCount === 0) {
      notes.push(`${label}: too few readings (${all.length}) to freeze limits; lots are judged on specs for this chart`);
      continue;
    }
    const mean = all.reduce((a, v) => a + v, 0) / all.length;
    const sigmaUnit = Math.sqrt(ssWithin / dfWithin);
    const mrBar = mrSum / mrCount;
    const sigma = mrBar / d2(2);
    if (!(sigma > 0) || !(sigmaUnit > 0)) {
      notes.push(`${label}: no variation in the baseline readings; lots are judged on specs for this chart`);
      continue;
    }
    for (const v of all) if (Math.abs(v - mean) > 3 * sigma) beyond++;
    cells.push({
      parameter: def.parameter.id,
      corner: def.corner,
      lane: def.lane,
      n: all.length,
      mean,
      sigmaUnit,
      dfUnit: dfWithin,
      limits: {
        version: 1,
        chart: 'imr',
        centre: mean,
        sigma,
        estimator: 'moving-range',
        subgroupSize: 1,
        span: 2,
        sigmaMultiplier: 3,
        baselineCount: all.length,
        removed: [],
      },
      lotMeans,
      lotSizes,
      sample: evenSample(all, SAMPLE_CAP),
    });
  }
  if (beyond > 0)
    notes.push(
      `${beyond} baseline reading(s) lie beyond their chart's 3σ limits and were kept: exclude them with an assignable cause if there is one`,
    );
  return {
    kind: 'lotqa/baseline',
    productId: spec.productId,
    specVersion: spec.version,
    lots: lots.map((l) => l.lot),
    createdBy: input.createdBy,
    cells,
    exclusions,
    notes,
  };
}
