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
import { squeezeVariances } from '../spc/moderated-variance.js';
import { lanePhrase } from '../domain/lanes.js';
import { laneNamingOf } from './lane-naming.js';
import { LotqaError } from '../errors/lotqa-error.js';
import {
  BASELINE_FORMAT,
  type Baseline,
  type BaselineAcrossCorners,
  type BaselineCell,
  type BaselineComponents,
  type BaselineExclusion,
  type BaselineHomogeneityWarning,
} from '../domain/baseline.js';
import { bartlettTest, brownForsytheTest } from '../spc/consistency.js';
import { adjustPValues } from '../spc/multiple-testing.js';
import { isStatisticsInputError } from '../spc/stats-error.js';
import {
  homogeneousLaneLotPool,
  lotLaneStatistics,
  pooledLaneLotMeanSquare,
  varianceComponents,
  type LotLaneStatistics,
} from '../spc/variance-components.js';
import { laneMatrix } from './lane-matrix.js';
import { baselineStationOffsets, type BaselineStationLot } from './station-effects.js';
import { acrossCornerGroups, cornerAveragedMatrix } from './lane-across-corners.js';
import type { LotData } from '../domain/lot-data.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { d2 } from '../spc/constants.js';
import { movingRangeSigma } from '../spc/sigma-estimators.js';
import { cellSeries } from './cell-series.js';
import { buildLotView, LotEvaluationError, type LotView } from './lot-view.js';
import { judgeRun } from './unit-conformance.js';
import { agreeing, counted } from '../domain/counted.js';

/** Values kept per chart for distribution tests (KS, Brown–Forsythe) against later lots. */
export const SAMPLE_CAP = 1000;

export interface BuildBaselineInput {
  readonly spec: ProductSpec;
  readonly lots: readonly LotData[];
  readonly exclusions?: readonly BaselineExclusion[];
  readonly createdBy: string;
  /** Largest share of the lots' units the baseline may exclude (policy `consistency.baselineMaxExcludedShare`). @defaultValue 0.2 */
  readonly maxExcludedShare?: number;
}

/** Fewest qualified lots a baseline is made from: lot-to-lot variation needs at least 2 df. */
export const MIN_BASELINE_LOTS = 3;
/** Lots below which the baseline says its lot-to-lot estimates are rough. */
export const RECOMMENDED_BASELINE_LOTS = 5;
export const DEFAULT_MAX_EXCLUDED_SHARE = 0.2;
/** Family-wise level of the baseline's homogeneity check (Holm over every chart's two tests). */
export const HOMOGENEITY_ALPHA = 0.01;
/**
 * Level of the Bartlett step-down that decides which parameters' lane × lot estimates are pooled. High on
 * purpose: wrongly pooling a parameter that moves more than the others under-states its lane × lot variance
 * (false holds), wrongly keeping one apart only costs it the pooled df.
 */
export const LANE_LOT_POOLING_ALPHA = 0.1;
/**
 * Level of the one-sided F test that keeps a parameter moving MORE than the pooled others apart even when
 * Bartlett accepts the set: in the bench's mixed cell (lane × lot σ 0.2 and 0.3 alternating) Bartlett alone
 * pooled both kinds in every 10-lot baseline and the 0.3 parameters' lanes were held 2/240 healthy lots.
 */
export const LANE_LOT_UPWARD_ALPHA = 0.2;
/**
 * Fewest df of each parameter's own lane × lot estimate for pooling: below it neither test can tell which
 * parameters agree, and the pooled df over-state what correlated parameters (OMA moves with power and
 * extinction ratio) really add. Measured: 5-lot baselines of a 4-lane product (12 df each) pooled held
 * 6/300 healthy lots at k = 0.3 and 4/300 with k 0.2 / 0.3 mixed; 10-lot ones (27 df) 1/300 in both.
 */
export const MIN_LANE_LOT_DF_FOR_POOLING = 20;

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
  if (lots.length < MIN_BASELINE_LOTS)
    throw new BaselineError(
      `a baseline needs at least ${MIN_BASELINE_LOTS} qualified lots of product ${spec.productId} (${RECOMMENDED_BASELINE_LOTS} recommended), got ${lots.length}: lot-to-lot variation cannot be estimated from fewer`,
    );
  if (new Set(lots.map((l) => l.lot)).size !== lots.length)
    throw new BaselineError('a baseline lot is named twice; name each qualified lot once');
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

  const totalUnits = views.reduce((a, v) => a + v.view.units.length, 0);
  const maxShare = input.maxExcludedShare ?? DEFAULT_MAX_EXCLUDED_SHARE;
  if (totalUnits > 0 && exclusions.length / totalUnits > maxShare) {
    const byLot = new Map<string, number>();
    for (const e of exclusions) byLot.set(e.lot, (byLot.get(e.lot) ?? 0) + 1);
    throw new BaselineError(
      `the baseline would exclude ${exclusions.length} of ${totalUnits} units (${((100 * exclusions.length) / totalUnits).toFixed(1)} %), more than the ${(100 * maxShare).toFixed(0)} % the policy allows (${[...byLot].map(([l, k]) => `${l}: ${k}`).join(', ')}): these lots do not show the qualified process; choose other lots`,
    );
  }
  if (lots.length < RECOMMENDED_BASELINE_LOTS)
    notes.push(
      `only ${lots.length} lots: lot-to-lot variation is estimated with ${lots.length - 1} df, so lot-shift tests are wide; ${RECOMMENDED_BASELINE_LOTS} or more lots are recommended`,
    );

  const cells: BaselineCell[] = [];
  const first = views[0]!.view;
  const homogeneityCandidates: {
    label: string;
    cell: Omit<BaselineHomogeneityWarning, 'lot' | 'bartlettP' | 'brownForsytheP'>;
    p: [number, number];
    lot: string;
  }[] = [];
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
    const lotSds: number[] = [];
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
      lotSds.push(values.length >= 2 ? Math.sqrt(ss / (values.length - 1)) : 0);
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
    // Do the baseline lots share one spread? (Bartlett, and Brown–Forsythe which tolerates non-normal data.)
    const groups = perLot.map((values, j) => ({ values, lot: lots[j]!.lot })).filter((g) => g.values.length >= 3);
    if (groups.length >= 2) {
      try {
        const b = bartlettTest(groups.map((g) => g.values));
        const bf = brownForsytheTest(groups.map((g) => g.values));
        const pooled = Math.log(sigmaUnit * sigmaUnit);
        let worst = groups[0]!;
        let worstGap = -1;
        for (const g of groups) {
          let m = 0;
          for (const v of g.values) m += v;
          m /= g.values.length;
          let ss = 0;
          for (const v of g.values) ss += (v - m) ** 2;
          const gap = Math.abs(Math.log(ss / (g.values.length - 1)) - pooled);
          if (gap > worstGap) {
            worstGap = gap;
            worst = g;
          }
        }
        homogeneityCandidates.push({
          label,
          lot: worst.lot,
          cell: { parameter: def.parameter.id, corner: def.corner, lane: def.lane, bartlettT: b.t, brownForsytheW: bf.w },
          p: [b.pValue, bf.pValue],
        });
      } catch (err) {
        if (!isStatisticsInputError(err)) throw err;
        notes.push(`${label}: spread homogeneity not checked — ${err.message}`);
      }
    }
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
      lotSds,
      sample: evenSample(all, SAMPLE_CAP),
    });
  }
  if (cells.length === 0)
    throw new BaselineError(
      `the baseline freezes no chart of product ${spec.productId}: ${notes[0] ?? 'no chart has readings'}; check that the lots hold conforming units of this product`,
    );

  // Homogeneity: Holm over every chart's two tests, so a healthy baseline warns about ~1 % of the time.
  const adjusted = adjustPValues(
    homogeneityCandidates.flatMap((h) => h.p),
    'holm',
  );
  const homogeneity: BaselineHomogeneityWarning[] = [];
  const flaggedLots = new Map<string, string[]>();
  homogeneityCandidates.forEach((h, i) => {
    if (Math.min(adjusted[2 * i]!, adjusted[2 * i + 1]!) > HOMOGENEITY_ALPHA) return;
    homogeneity.push({ ...h.cell, lot: h.lot, bartlettP: h.p[0], brownForsytheP: h.p[1] });
    flaggedLots.set(h.lot, [...(flaggedLots.get(h.lot) ?? []), h.label]);
  });
  for (const [lot, labels] of flaggedLots)
    notes.push(
      `WARNING: baseline lot ${lot} does not share the other lots' spread on ${counted(labels.length, 'chart')} (${labels.slice(0, 5).join('; ')}${labels.length > 5 ? '; …' : ''}), Bartlett / Brown–Forsythe with Holm at ${HOMOGENEITY_ALPHA}: check that it belongs to the qualified process`,
    );

  const components = groupComponents(views, cells, notes);
  const acrossCorners = moderateLaneLotAcrossParameters(
    poolLaneLotAcrossParameters(acrossCornerComponents(views, components, notes), spec, notes),
    spec,
    notes,
  );

  if (beyond > 0)
    notes.push(
      `${counted(beyond, 'baseline reading')} ${agreeing(beyond, "lies beyond its chart's 3σ limits and was kept: exclude it", "lie beyond their chart's 3σ limits and were kept: exclude them")} with an assignable cause if there is one`,
    );
  return {
    kind: 'lotqa/baseline',
    format: BASELINE_FORMAT,
    productId: spec.productId,
    specVersion: spec.version,
    lots: lots.map((l) => l.lot),
    createdBy: input.createdBy,
    cells,
    exclusions,
    notes,
    components,
    acrossCorners,
    homogeneity,
  };
}

/** Variance components per parameter × corner over the lanes that froze a chart. */
function groupComponents(
  views: readonly { view: LotView; keep: Set<number> }[],
  cells: readonly BaselineCell[],
  notes: string[],
): BaselineComponents[] {
  const out: BaselineComponents[] = [];
  const first = views[0]!.view;
  const groups = new Map<string, BaselineCell[]>();
  for (const c of cells) {
    const k = `${c.parameter}\u0000${c.corner}`;
    const g = groups.get(k);
    if (g) g.push(c);
    else groups.set(k, [c]);
  }
  for (const group of groups.values()) {
    const { parameter, corner } = group[0]!;
    const defs = group.map((c) => first.cells.findIndex((d) => d.parameter.id === parameter && d.corner === corner && d.lane === c.lane));
    const sigmas = group.map((c) => c.sigmaUnit);
    try {
      const perLot: LotLaneStatistics[] = [];
      const stationLots: BaselineStationLot[] = [];
      for (const { view, keep } of views) {
        const matrix = laneMatrix(
          defs.map((ci) => cellSeries(view, view.cells[ci]!, (u) => keep.has(u))),
          sigmas,
          view.units.length,
        );
        perLot.push(lotLaneStatistics(matrix, group.length));
        stationLots.push({ matrix, lanes: group.length, unitStations: view.units.map((u) => u.station) });
      }
      const { laneCount: _laneCount, ...vc } = varianceComponents(perLot);
      const stationOffsets = baselineStationOffsets(stationLots);
      out.push({
        parameter,
        corner,
        lanes: group.map((c) => c.lane),
        sigmas,
        withinDf: group.reduce((a, c) => a + c.dfUnit, 0),
        ...vc,
        ...(stationOffsets.length > 0 ? { stationOffsets } : {}),
      });
    } catch (err) {
      if (!isStatisticsInputError(err)) throw err;
      notes.push(`${parameter} @ ${corner}: no lot-to-lot variance components — ${err.message}; its lot and lane shifts are not tested`);
    }
  }
  return out;
}

/** Lane components of each lane parameter's contrasts averaged over its corners (src/evaluate/lane-across-corners.ts). */
function acrossCornerComponents(
  views: readonly { view: LotView; keep: Set<number> }[],
  components: readonly BaselineComponents[],
  notes: string[],
): BaselineAcrossCorners[] {
  const out: BaselineAcrossCorners[] = [];
  const first = views[0]!.view;
  for (const { parameter, members } of acrossCornerGroups(components)) {
    const lanes = members[0]!.lanes as number[];
    const defs = members.map((m) =>
      lanes.map((lane) => first.cells.findIndex((d) => d.parameter.id === parameter && d.corner === m.corner && d.lane === lane)),
    );
    try {
      const perLot = views.map(({ view, keep }) =>
        lotLaneStatistics(
          cornerAveragedMatrix(
            members.map((m, c) =>
              laneMatrix(
                defs[c]!.map((ci) => cellSeries(view, view.cells[ci]!, (u) => keep.has(u))),
                m.sigmas,
                view.units.length,
              ),
            ),
          ),
          lanes.length,
        ),
      );
      const { laneCount: _laneCount, ...vc } = varianceComponents(perLot);
      out.push({ parameter, corners: members.map((m) => m.corner), lanes, sigmas: members.map((m) => m.sigmas), ...vc });
    } catch (err) {
      if (!isStatisticsInputError(err)) throw err;
      notes.push(`${parameter}: no across-corners lane components — ${err.message}; its lanes are tested per corner only`);
    }
  }
  return out;
}

/**
 * Pool the across-corners lane × lot mean squares of a product's measured lane parameters whose estimates are
 * homogeneous (Bartlett step-down at {@link LANE_LOT_POOLING_ALPHA}), so a 10-lot baseline of a 4-lane product
 * with 7 such parameters tests its lanes with ~189 df instead of 27. Derived parameters never enter: they are
 * functions of measured ones, so their estimates are not independent of the others' and would count df twice.
 * The pooled df still assume the parameters' lane × lot offsets independent of one another (as the df of each
 * parameter's own estimate assume its lanes' independent); a note says what was pooled.
 */
function poolLaneLotAcrossParameters(
  acrossCorners: readonly BaselineAcrossCorners[],
  spec: ProductSpec,
  notes: string[],
): BaselineAcrossCorners[] {
  const derived = new Set(spec.parameters.filter((p) => p.derived !== undefined).map((p) => p.id));
  const candidates = acrossCorners.flatMap((ac, i) => (derived.has(ac.parameter) || ac.laneLotSigma === null ? [] : [i]));
  const ownDf = candidates.length > 0 ? Math.min(...candidates.map((i) => acrossCorners[i]!.laneLotDf)) : 0;
  if (candidates.length >= 2 && ownDf < MIN_LANE_LOT_DF_FOR_POOLING) {
    notes.push(
      `lane × lot variance not pooled over parameters: each parameter's own estimate has ${ownDf} df, fewer than the ${MIN_LANE_LOT_DF_FOR_POOLING} needed to tell which parameters agree (more baseline lots pool)`,
    );
    return [...acrossCorners];
  }
  const items = candidates.map((i) => ({
    meanSquare: acrossCorners[i]!.laneContrastVariance,
    samplingPart: acrossCorners[i]!.laneContrastSamplingVariance,
    df: acrossCorners[i]!.laneLotDf,
  }));
  const pool = homogeneousLaneLotPool(items, LANE_LOT_POOLING_ALPHA, LANE_LOT_UPWARD_ALPHA);
  if (pool.bartlettP === null) return [...acrossCorners];
  const parameters = pool.members.map((m) => acrossCorners[candidates[m]!]!.parameter);
  const out = [...acrossCorners];
  for (const m of pool.members) {
    const i = candidates[m]!;
    const pooled = pooledLaneLotMeanSquare(items, pool.members, m);
    out[i] = {
      ...acrossCorners[i]!,
      laneLotPool: {
        parameters,
        laneContrastVariance: pooled.meanSquare,
        laneLotDf: pooled.df,
        bartlettP: pool.bartlettP,
        alpha: LANE_LOT_POOLING_ALPHA,
      },
    };
  }
  const apart = candidates.map((i) => acrossCorners[i]!.parameter).filter((p) => !parameters.includes(p));
  const df = pool.members.reduce((a, m) => a + items[m]!.df, 0);
  notes.push(
    `lane × lot variance (lanes averaged over corners) pooled over ${parameters.length} parameters (${parameters.join(', ')}), Bartlett p = ${pool.bartlettP.toFixed(3)} > ${LANE_LOT_POOLING_ALPHA}: ${df} df instead of ${items[pool.members[0]!]!.df} each${apart.length > 0 ? `; kept apart (Bartlett, or larger than the others by a one-sided F test at ${LANE_LOT_UPWARD_ALPHA}): ${apart.join(', ')}` : ''}`,
  );
  return out;
}

/** Fewest measured lane parameters whose mean squares the moderation's prior is fitted to. */
export const MIN_PARAMETERS_FOR_MODERATION = 3;

/**
 * Moderate each measured lane parameter's across-corners lane × lot mean square towards the others' by
 * empirical Bayes (Smyth 2004, limma `squeezeVar`; src/spc/moderated-variance.ts): a scaled inverse χ² prior
 * (d0, s0²) is fitted to the parameters' mean squares by moments of their logs, and each gets the posterior
 * (d0 s0² + d s²)/(d0 + d) with d0 + d df (at most the parameters' Σ d). Unlike the all-or-nothing pool, a
 * mean square that is high by chance is pulled part of the way towards the others, and when the parameters
 * truly differ the fitted d0 is small and each keeps most of its own. Derived parameters never enter (their
 * estimates are functions of the measured ones'). Recorded in every baseline; used under
 * `consistency.laneLotPooling: moderated`.
 */
function moderateLaneLotAcrossParameters(
  acrossCorners: readonly BaselineAcrossCorners[],
  spec: ProductSpec,
  notes: string[],
): BaselineAcrossCorners[] {
  const derived = new Set(spec.parameters.filter((p) => p.derived !== undefined).map((p) => p.id));
  const candidates = acrossCorners.flatMap((ac, i) =>
    derived.has(ac.parameter) || ac.laneLotSigma === null || !(ac.laneContrastVariance > 0) || !(ac.laneLotDf > 0) ? [] : [i],
  );
  if (candidates.length < MIN_PARAMETERS_FOR_MODERATION) return [...acrossCorners];
  const { prior, posterior } = squeezeVariances(
    candidates.map((i) => acrossCorners[i]!.laneContrastVariance),
    candidates.map((i) => acrossCorners[i]!.laneLotDf),
  );
  const parameters = candidates.map((i) => acrossCorners[i]!.parameter);
  const priorDf = Number.isFinite(prior.df) ? prior.df : null;
  const out = [...acrossCorners];
  candidates.forEach((i, j) => {
    out[i] = {
      ...acrossCorners[i]!,
      laneLotModerated: {
        parameters,
        priorDf,
        priorScale: prior.scale,
        laneContrastVariance: posterior[j]!.meanSquare,
        laneLotDf: posterior[j]!.df,
      },
    };
  });
  const own = acrossCorners[candidates[0]!]!.laneLotDf;
  notes.push(
    `lane × lot variance (lanes averaged over corners) moderated over ${parameters.length} parameters (${parameters.join(', ')}; used under laneLotPooling: moderated): prior ${priorDf === null ? 'df ∞ (the estimates agree within chance: each takes the common value)' : `df d0 = ${priorDf.toFixed(1)}`}, scale ${prior.scale.toPrecision(3)}; ${own} own df become ${Math.round(posterior[0]!.df)}`,
  );
  return out;
}
