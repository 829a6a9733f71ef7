/**
 * @module LotOptions — everything the synthetic factory can be asked for, with defaults. Each
 * injection is exact: it names what it changes and by how much, and the manifest records it.
 */
import type { ProductSpec } from '../domain/product-spec.js';
import type { ProcessSettings } from './process-model.js';
import type { Seed } from './seeded-random.js';

/**
 * Move the mean of one parameter by `sigma` × the slot's unit-to-unit σ. Only the named parameter
 * moves: parameters correlated with it (e.g. OMA with ER) follow its unit-to-unit variation, not the
 * injected shift, so the injection's effect is exactly where it is declared.
 */
export interface MeanShift {
  readonly parameter: string;
  /** Size of the shift in units of the slot's unit-to-unit σ (negative = down). */
  readonly sigma: number;
  /** 0-based lane; absent = every lane (and the module value for a module-scope parameter). */
  readonly lane?: number;
  /** Product corner id; absent = every corner the parameter is measured at. */
  readonly corner?: string;
}

/** Multiply the unit-to-unit spread of one parameter by `factor` (around the unchanged mean). */
export interface VarianceBlowUp {
  readonly parameter: string;
  readonly factor: number;
  readonly lane?: number;
  readonly corner?: string;
}

/** A station that reads one parameter `sigma` × the slot's σ off (a mis-calibrated tester). */
export interface StationOffset {
  /** Station name as written in the files, e.g. "ATE-03". */
  readonly station: string;
  readonly parameter: string;
  readonly sigma: number;
}

/** A stuck gauge: every unit reads the same value of the parameter (on one lane, or on every lane). */
export interface StuckGauge {
  readonly parameter: string;
  /** 0-based lane; absent = every lane. */
  readonly lane?: number;
}

/** How a malformed file is broken. */
export type MalformationKind =
  'non-numeric' | 'nan' | 'unknown-parameter' | 'truncated' | 'binary-garbage' | 'empty' | 'ragged-row' | 'bad-timestamp';

export const MALFORMATION_KINDS: readonly MalformationKind[] = Object.freeze([
  'non-numeric',
  'nan',
  'unknown-parameter',
  'truncated',
  'binary-garbage',
  'empty',
  'ragged-row',
  'bad-timestamp',
]);

export interface GenerateLotOptions {
  readonly spec: ProductSpec;
  readonly lot: string;
  /** Number of units (serials) in the lot. */
  readonly units: number;
  readonly seed: Seed;
  /** Healthy-process knobs (target capability, lane/station offsets, drift, censoring). */
  readonly process?: Partial<ProcessSettings>;
  /** σ of the lot's mean offset per parameter, in unit-to-unit σ. @defaultValue 0.15 */
  readonly lotSigma?: number;
  /**
   * σ of each lane's own lot offset (independent per lot × parameter × lane, shared by the lane's corners),
   * in unit-to-unit σ: laser, driver and fibre-array batches move lanes separately. @defaultValue 0
   */
  readonly laneLotSigma?: number;
  /**
   * Share of the lane × lot variance that is corner-specific (each corner of a lane gets its own part of
   * the offset: σ² = laneLotSigma² · ((1 − share) shared + share own)); 0 = one offset for every corner.
   * @defaultValue 0
   */
  readonly laneLotCornerShare?: number;
  /**
   * Lane × lot σ of named parameters, overriding `laneLotSigma` for them (parameter id → σ): parameters of
   * one product that do not share one lane × lot variation, e.g. a laser-power parameter moving with the
   * laser batch while the receiver's do not. @defaultValue none
   */
  readonly laneLotSigmaByParameter?: Readonly<Record<string, number>>;
  /**
   * Correlation between the lanes of one unit for the same parameter and corner (a unit-wide component
   * shared by its lanes: package, thermal contact, one driver chip). @defaultValue 0
   */
  readonly laneCorrelation?: number;
  /** Stations that read a parameter off by a fixed amount. */
  readonly stationOffsets?: readonly StationOffset[];
  /** Stuck gauges: a parameter (or one lane of it) reads one value on every unit. */
  readonly stuck?: readonly StuckGauge[];
  /** Explicit lot mean offsets per parameter id in σ (replaces the random lot offset for those). */
  readonly lotOffsets?: Readonly<Record<string, number>>;
  /** Number of test stations; unit i is tested on station i mod K. @defaultValue 2 */
  readonly stations?: number;
  /** ISO-8601 start of testing; default derived from the seed (never the clock). */
  readonly startTime?: string;
  /** Seconds between two units on the same station. @defaultValue 90 */
  readonly spacingSeconds?: number;
  /** Serial prefix; serials are prefix + 5-digit index. @defaultValue "SN" + the lot's letters/digits */
  readonly serialPrefix?: string;
  readonly shifts?: readonly MeanShift[];
  readonly variance?: readonly VarianceBlowUp[];
  /** Units with one reading 6–8σ off (maybe still in spec). @defaultValue 0 */
  readonly outliers?: number;
  /** Share of units that fail a limit on attempt 1 and are retested (attempt 2). @defaultValue 0 */
  readonly retestRate?: number;
  /** Probability that the retest passes. @defaultValue 0.8 */
  readonly retestPassProbability?: number;
  /** Seconds from a unit's first test to its retest. @defaultValue 3600 */
  readonly retestDelaySeconds?: number;
  /** Re-measurement noise of a retest, in σ. @defaultValue 0.1 */
  readonly repeatabilitySigma?: number;
  /** Share of files that are malformed (rounded to a whole number of files). @defaultValue 0 */
  readonly malformedRate?: number;
  /** Kinds of malformation to draw from. @defaultValue all of {@link MALFORMATION_KINDS} */
  readonly malformedKinds?: readonly MalformationKind[];
}

/** The options as applied (defaults filled, the spec replaced by its id); written to the manifest. */
export interface ResolvedLotOptions {
  readonly lot: string;
  readonly productId: string;
  readonly productVersion: string;
  readonly units: number;
  readonly seed: Seed;
  readonly process: ProcessSettings;
  readonly lotSigma: number;
  readonly lotOffsets: Readonly<Record<string, number>>;
  readonly laneLotSigma: number;
  readonly laneLotCornerShare: number;
  /** The lane offsets drawn for this lot, "parameter|lane" (or "parameter|lane|corner" with a corner share) → σ (empty when laneLotSigma is 0). */
  readonly laneLotOffsets: Readonly<Record<string, number>>;
  readonly laneCorrelation: number;
  readonly stationOffsets: readonly StationOffset[];
  readonly stuck: readonly StuckGauge[];
  readonly stations: number;
  readonly startTime: string;
  readonly spacingSeconds: number;
  readonly serialPrefix: string;
  readonly shifts: readonly MeanShift[];
  readonly variance: readonly VarianceBlowUp[];
  readonly outliers: number;
  readonly retestRate: number;
  readonly retestPassProbability: number;
  readonly retestDelaySeconds: number;
  readonly repeatabilitySigma: number;
  readonly malformedRate: number;
  readonly malformedKinds: readonly MalformationKind[];
}
