/**
 * @module Baseline — SPC phase I frozen per parameter × corner (× lane) from qualified lots. New lots are
 * judged against the active baseline of their product (phase II). Plain JSON, stored versioned.
 */
import type { FrozenLimits } from '../spc/chart-types.js';
import type { VarianceComponents } from '../spc/variance-components.js';

export interface BaselineCell {
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  /** Values kept (after exclusions, uncensored). */
  readonly n: number;
  /** Grand mean over all kept values. */
  readonly mean: number;
  /** Pooled within-lot unit-to-unit standard deviation (the σ shifts are measured in). */
  readonly sigmaUnit: number;
  readonly dfUnit: number;
  /** Individuals-chart frozen limits (σ̂ = MR̄/d2 within lots). */
  readonly limits: FrozenLimits;
  readonly lotMeans: readonly number[];
  readonly lotSizes: readonly number[];
  /** Each baseline lot's own sample SD (0 below 2 readings), parallel to lotMeans; phase I of the lot-σ trend (absent before lotqa 0.4). */
  readonly lotSds?: readonly number[];
  /** Up to SAMPLE_CAP kept values (even stride), for distribution tests (KS, Brown–Forsythe). */
  readonly sample: readonly number[];
}

/**
 * Variance components of one parameter × corner across the baseline lots (see src/spc/variance-components.ts),
 * on readings standardised by each lane's within-lot σ (`sigmas`), so 1 = one within-lot σ.
 */
export interface BaselineComponents extends Omit<VarianceComponents, 'laneCount'> {
  readonly parameter: string;
  readonly corner: string;
  /** Lanes of the group in order (null = a per-module parameter). */
  readonly lanes: readonly (number | null)[];
  /** Within-lot σ per lane (the cell's σ_unit), parameter units on the SPC scale. */
  readonly sigmas: readonly number[];
  /** Degrees of freedom of the within-lot σ, summed over lanes. */
  readonly withinDf: number;
  /**
   * Each test station's offset in the baseline lots (src/evaluate/station-effects.ts, `baselineStationOffsets`):
   * absent in baselines made before lotqa records it, or tested on one station.
   */
  readonly stationOffsets?: readonly BaselineStationOffset[];
}

/**
 * How one station read a parameter × corner in the baseline lots: the mean over its units of (the unit's mean
 * over lanes, in within-lot σ, minus its lot's mean), and the variance of that unit statistic about its station's
 * lot mean (pooled), so the offset's standard error is √(variance / units).
 */
export interface BaselineStationOffset {
  readonly station: string;
  readonly units: number;
  readonly offset: number;
  readonly variance: number;
}

/** The corner label of a lane test that averages a lane's contrast over the parameter's corners. */
export const ALL_CORNERS = 'all corners';

/**
 * Variance components of one parameter's lane contrasts averaged over its corners (each unit's lane
 * standardised per corner, then averaged over the corners, then contrasted with its other lanes): the
 * primary lane test, since a lane's lot offset (a laser, driver or fibre batch) is mostly shared by the
 * corners. `corners` in order; `sigmas[c][l]` the within-lot σ of corner c, lane l.
 */
export interface BaselineAcrossCorners extends Omit<VarianceComponents, 'laneCount'> {
  readonly parameter: string;
  readonly corners: readonly string[];
  readonly lanes: readonly number[];
  readonly sigmas: readonly (readonly number[])[];
  /**
   * The lane × lot variance pooled with the other parameters whose estimates Bartlett's test finds
   * homogeneous (src/spc/variance-components.ts, `homogeneousLaneLotPool`); absent when this parameter kept
   * its own (heterogeneous, derived, or baselines before lotqa 0.5). Used when the policy's
   * `consistency.laneLotPooling` is 'homogeneous-parameters'.
   */
  readonly laneLotPool?: LaneLotPooling;
  /**
   * The lane × lot mean square moderated towards the other measured lane parameters' (empirical Bayes, Smyth
   * 2004; src/spc/moderated-variance.ts); absent when fewer than 3 parameters had one, for derived parameters,
   * and in baselines before lotqa 0.6. Used when the policy's `consistency.laneLotPooling` is 'moderated'.
   */
  readonly laneLotModerated?: LaneLotModeration;
}

/** A parameter's across-corners lane × lot mean square moderated over the measured lane parameters of its product. */
export interface LaneLotModeration {
  /** The parameters whose mean squares fitted the prior (this one among them), in the baseline's order. */
  readonly parameters: readonly string[];
  /** The prior's df d0; null when it is infinite (the mean squares agree within chance: every posterior is s0²). */
  readonly priorDf: number | null;
  /** The prior's scale s0² (a lane contrast's between-lot mean square). */
  readonly priorScale: number;
  /** This parameter's posterior mean square (d0 s0² + d s²)/(d0 + d). */
  readonly laneContrastVariance: number;
  /** Its df, d0 + d capped at the parameters' Σ d. */
  readonly laneLotDf: number;
}

/** A parameter's across-corners lane × lot mean square pooled over homogeneous parameters of its product. */
export interface LaneLotPooling {
  /** The parameters pooled (this one among them), in the baseline's order. */
  readonly parameters: readonly string[];
  /** This parameter's pooled between-lot mean square of its lane contrast (its own sampling part + the pooled excess). */
  readonly laneContrastVariance: number;
  /** Satterthwaite df of that mean square (the sum of the members' df when their sampling parts are equal). */
  readonly laneLotDf: number;
  /** Bartlett's p over the pooled mean squares, and the level below which a parameter was left out. */
  readonly bartlettP: number;
  readonly alpha: number;
}

/** A chart on which the baseline lots do not share one spread (Bartlett and Brown–Forsythe, Holm over the charts). */
export interface BaselineHomogeneityWarning {
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  /** The lot whose spread is furthest from the pooled one. */
  readonly lot: string;
  readonly bartlettT: number;
  readonly bartlettP: number;
  readonly brownForsytheW: number;
  readonly brownForsytheP: number;
}

/** Current baseline format: 2 adds variance components and the homogeneity check (lotqa ≥ 0.3). */
export const BASELINE_FORMAT = 2;

export interface BaselineExclusion {
  readonly lot: string;
  readonly serial: string;
  readonly reason: string;
}

export interface Baseline {
  readonly kind: 'lotqa/baseline';
  /** {@link BASELINE_FORMAT}; absent on baselines made before variance components (format 1). */
  readonly format?: number;
  readonly productId: string;
  readonly specVersion: string;
  readonly lots: readonly string[];
  readonly createdBy: string;
  readonly cells: readonly BaselineCell[];
  readonly exclusions: readonly BaselineExclusion[];
  readonly notes: readonly string[];
  /** Per parameter × corner (format 2). */
  readonly components?: readonly BaselineComponents[];
  /** Per lane parameter with ≥ 2 corners sharing one set of lanes: the across-corners lane components (absent before lotqa 0.4). */
  readonly acrossCorners?: readonly BaselineAcrossCorners[];
  /** Charts whose baseline lots differ in spread (format 2). */
  readonly homogeneity?: readonly BaselineHomogeneityWarning[];
}

/** A baseline as stored: versioned, one active per product. */
export interface StoredBaseline {
  readonly productId: string;
  readonly version: number;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly active: boolean;
  readonly payload: Baseline;
}

export function baselineCellKey(parameter: string, corner: string, lane: number | null): string {
  return `${parameter}|${corner}|${lane ?? 'm'}`;
}
