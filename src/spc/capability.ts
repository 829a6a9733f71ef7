/**
 * @module Process capability of one parameter against its specification: Cp, CPU, CPL, Cpk, Cpm (within
 * sigma) and Pp, PPU, PPL, Ppk (overall sigma), their confidence bounds, expected and observed PPM, and —
 * for clearly non-normal data — the percentile-method indices alongside.
 *
 * Formulas (lotqa spc-reference §4; qcc `processCapability`; Montgomery ch. 8):
 *   Cp = (USL − LSL)/(6σ_w)   CPU = (USL − x̄)/(3σ_w)   CPL = (x̄ − LSL)/(3σ_w)   Cpk = min(CPU, CPL)
 *   Cpm = Cp/√(1 + ((x̄ − T)/σ_w)²)  (qcc uses σ_within for Cpm; T defaults to the mid-spec, flagged)
 *   Pp, PPU, PPL, Ppk: the same with σ_overall = s of all values (n − 1 divisor, not c4-unbiased — Minitab's default).
 * One-sided specs: Cp, Pp, Cpm are undefined (null, as qcc's NA / Minitab's "*") and Cpk = the existing side.
 *
 * Confidence bounds at level 1 − α (N = number of values):
 *   Cp, Pp  — exact χ² (Chou, Owen & Borrego 1990): Cp·√(χ²_{α/2,N−1}/(N−1)) … Cp·√(χ²_{1−α/2,N−1}/(N−1));
 *             one-sided lower bound Cp·√(χ²_{α,N−1}/(N−1)).
 *   Cpk, Ppk — Bissell (1990) normal approximation in qcc's form Ĉ(1 ± z√(1/(9NĈ²) + 1/(2(N−1)))), z = z_{1−α/2}
 *             for the two-sided interval and z_{1−α} for the one-sided lower bound.
 *   Cpm     — Boyles (1991) χ² approximation with ν = N(1 + δ²)²/(1 + 2δ²), δ = (x̄ − T)/σ_w (the moment-matched
 *             degrees of freedom of Boyles' paper; qcc 3.0 omits the square in the numerator — identical when
 *             the process is centred on target, and only a few % apart in ν otherwise).
 * The within sigma is an input (with the name of its estimator, e.g. "Rbar/d2", "pooled/c4(d+1)",
 * "MRbar/1.128"): control-chart code estimates it; this module does not second-guess it.
 *
 * Non-normal data: when the Anderson–Darling p-value is below `normalityAlpha` (default 0.01 — "clearly"
 * non-normal; at lot sizes of thousands A–D rejects harmless departures at 0.05), the ISO 22514-2 /
 * Clements percentile indices computed from the **empirical** type-7 quantiles X₀.₀₀₁₃₅, X₀.₅, X₀.₉₉₈₆₅ govern:
 *   Pp = (USL − LSL)/(X₀.₉₉₈₆₅ − X₀.₀₀₁₃₅)   PPU = (USL − X₀.₅)/(X₀.₉₉₈₆₅ − X₀.₅)   PPL = (X₀.₅ − LSL)/(X₀.₅ − X₀.₀₀₁₃₅)
 * Empirical 0.135 % quantiles need N ≳ 740 values before they are more than the sample extremes; the
 * result says `tailsFromExtremes` when fewer are available.
 *
 * Censored readings are left out of every index (the count is reported as `censoredExcluded`); observed PPM
 * uses them when their bound settles the question (a `<b` reading with b < LSL is certainly below LSL) and
 * counts the rest as `undetermined`.
 */
import { chiSquareQuantile, normalCdf, normalQuantile } from './distributions.js';
import { meanOf, quantileType7, sampleSdOf, sortedCopy, uncensoredValues, type CensoringCodes } from './descriptive.js';
import { AD_MIN_N, andersonDarlingSorted, type AndersonDarlingResult } from './normality.js';
import { StatsInputError } from './stats-error.js';

export interface CapabilityOptions {
  /** Lower specification limit, or null for an upper-only spec. */
  readonly lsl: number | null;
  /** Upper specification limit, or null for a lower-only spec. */
  readonly usl: number | null;
  /** Target for Cpm; default: the mid-spec (then `targetSource` = 'midpoint' and Cpm is optimistic). */
  readonly target?: number | null;
  /** Short-term (within-subgroup) sigma, estimated by the control-chart code. */
  readonly withinSigma: number;
  /** Name of the estimator that produced `withinSigma`, carried into the result for the report. */
  readonly withinSigmaEstimator: string;
  /**
   * Degrees of freedom of `withinSigma` for the Cp/Cpk bounds. @defaultValue N − 1 (right for the sample SD;
   * MR̄/d2 has fewer — see {@link movingRangeEffectiveDf}).
   */
  readonly withinSigmaDf?: number;
  /** Confidence level of the bounds. @defaultValue 0.95 */
  readonly confidenceLevel?: number;
  /** A–D p-value below which the percentile method governs. @defaultValue 0.01 */
  readonly normalityAlpha?: number;
  /** Parallel censoring codes (0 none, 1 below bound, 2 above bound). */
  readonly censoring?: CensoringCodes;
  /** Name used in error messages, e.g. "TxPower @ 70C lane 2". */
  readonly subject?: string;
  /**
   * The uncensored values sorted ascending, when the caller has sorted them already (saves a sort of the
   * whole lot per chart). Must be exactly the uncensored values; only its length is re-checked.
   */
  readonly sortedValues?: Float64Array;
  /**
   * `meanOf` and `sampleSdOf` of the uncensored values, when the caller has computed them already (a lot
   * evaluation needs both per chart anyway). Must be exactly those two results; not re-checked.
   */
  readonly moments?: { readonly mean: number; readonly sd: number };
}

export interface Interval {
  readonly lower: number;
  readonly upper: number;
  /** One-sided lower confidence bound at the same level (the number a customer's "Cpk ≥ 1.33 at 95 %" needs). */
  readonly lowerOneSided: number;
}

export interface PpmSplit {
  readonly belowLsl: number | null;
  readonly aboveUsl: number | null;
  readonly total: number;
}

export interface ObservedPpm extends PpmSplit {
  /** Censored readings whose bound does not say whether they are in or out of spec. */
  readonly undetermined: number;
}

export interface PercentileCapability {
  readonly method: 'ISO 22514-2 percentile (empirical R type-7 quantiles)';
  readonly x00135: number;
  readonly x05: number;
  readonly x99865: number;
  readonly pp: number | null;
  readonly ppu: number | null;
  readonly ppl: number | null;
  readonly ppk: number;
  /** True when N < 741, so X₀.₀₀₁₃₅ / X₀.₉₉₈₆₅ are essentially the sample extremes. */
  readonly tailsFromExtremes: boolean;
}

export interface CapabilityResult {
  readonly n: number;
  readonly censoredExcluded: number;
  readonly mean: number;
  readonly withinSigma: number;
  readonly withinSigmaEstimator: string;
  readonly overallSigma: number;
  readonly lsl: number | null;
  readonly usl: number | null;
  readonly target: number | null;
  readonly targetSource: 'given' | 'midpoint' | 'none';
  readonly cp: number | null;
  readonly cpu: number | null;
  readonly cpl: number | null;
  readonly cpk: number;
  readonly cpm: number | null;
  readonly pp: number | null;
  readonly ppu: number | null;
  readonly ppl: number | null;
  readonly ppk: number;
  readonly confidenceLevel: number;
  readonly intervals: {
    readonly cp: Interval | null;
    readonly cpk: Interval;
    readonly cpm: Interval | null;
    readonly pp: Interval | null;
    readonly ppk: Interval;
  };
  readonly expectedPpmWithin: PpmSplit;
  readonly expectedPpmOverall: PpmSplit;
  readonly observedPpm: ObservedPpm;
  /** null when n < 8 (too few for the test). */
  readonly normality: AndersonDarlingResult | null;
  readonly normalityAlpha: number;
  /** Present when the A–D test rejects normality at `normalityAlpha`. */
  readonly percentile: PercentileCapability | null;
  /** Which indices a report should lead with. */
  readonly governing: 'normal' | 'percentile';
}

/** Capability indices for a given centre and sigma (the pure core; used for both C- and P-indices). */
export interface Indices {
  readonly potential: number | null;
  readonly upper: number | null;
  readonly lower: number | null;
  readonly k: number;
}

function checkLimits(lsl: number | null, usl: number | null, subject?: string): void {
  if (lsl === null && usl === null) {
    throw new StatsInputError('no specification limit is given; capability needs LSL, USL or both — add them to the product spec', subject);
  }
  for (const [name, v] of [
    ['LSL', lsl],
    ['USL', usl],
  ] as const) {
    if (v !== null && !Number.isFinite(v)) throw new StatsInputError(`${name} is ${v}; use null for a one-sided spec`, subject);
  }
  if (lsl !== null && usl !== null && !(lsl < usl)) {
    throw new StatsInputError(`LSL ${lsl} is not below USL ${usl}; correct the product spec (are the limits swapped?)`, subject);
  }
}

/** Cp/CPU/CPL/Cpk (or the P-family when given the overall sigma). */
export function capabilityIndices(mean: number, sigma: number, lsl: number | null, usl: number | null, subject?: string): Indices {
  checkLimits(lsl, usl, subject);
  if (!(sigma > 0) || !Number.isFinite(sigma)) {
    throw new StatsInputError(
      `sigma is ${sigma}; capability needs a positive, finite spread (all readings identical? check the station resolution)`,
      subject,
    );
  }
  if (!Number.isFinite(mean)) throw new StatsInputError(`mean is ${mean}`, subject);
  const upper = usl === null ? null : (usl - mean) / (3 * sigma);
  const lower = lsl === null ? null : (mean - lsl) / (3 * sigma);
  const potential = usl !== null && lsl !== null ? (usl - lsl) / (6 * sigma) : null;
  const k = upper === null ? lower! : lower === null ? upper : Math.min(upper, lower);
  return { potential, upper, lower, k };
}

/**
 * Effective degrees of freedom of σ̂ = MR̄/d2 (moving ranges of 2) from N individuals: ≈ 0.62·(N − 1)
 * (Cryer & Ryan 1990, J. Quality Technology 22(3); Montgomery, Introduction to SQC, on MR̄/d2's
 * efficiency) — fewer than the sample SD's N − 1, so bounds using it are wider.
 */
export function movingRangeEffectiveDf(n: number): number {
  return Math.max(1, 0.62 * (n - 1));
}

/** Exact χ² interval for Cp (or Pp) with ν = N − 1 (Chou, Owen & Borrego 1990), or the σ estimator's own ν. */
export function cpInterval(cp: number, n: number, confidenceLevel: number, nu = n - 1): Interval {
  const alpha = 1 - confidenceLevel;
  return {
    lower: cp * Math.sqrt(chiSquareQuantile(alpha / 2, nu) / nu),
    upper: cp * Math.sqrt(chiSquareQuantile(1 - alpha / 2, nu) / nu),
    lowerOneSided: cp * Math.sqrt(chiSquareQuantile(alpha, nu) / nu),
  };
}

/** Bissell (1990) interval for Cpk (or Ppk) in qcc's form; ν = the σ estimator's df (N − 1 for the sample SD). */
export function cpkInterval(cpk: number, n: number, confidenceLevel: number, nu = n - 1): Interval {
  const alpha = 1 - confidenceLevel;
  const half = (z: number) => z * Math.sqrt(1 / (9 * n) + (cpk * cpk) / (2 * nu));
  const z2 = normalQuantile(1 - alpha / 2);
  const z1 = normalQuantile(1 - alpha);
  return { lower: cpk - half(z2), upper: cpk + half(z2), lowerOneSided: cpk - half(z1) };
}

/** Boyles (1991) χ² interval for Cpm; δ = (x̄ − T)/σ. */
export function cpmInterval(cpm: number, n: number, delta: number, confidenceLevel: number): Interval {
  const alpha = 1 - confidenceLevel;
  const d2 = delta * delta;
  const nu = (n * (1 + d2) * (1 + d2)) / (1 + 2 * d2);
  return {
    lower: cpm * Math.sqrt(chiSquareQuantile(alpha / 2, nu) / nu),
    upper: cpm * Math.sqrt(chiSquareQuantile(1 - alpha / 2, nu) / nu),
    lowerOneSided: cpm * Math.sqrt(chiSquareQuantile(alpha, nu) / nu),
  };
}

/** Expected parts per million outside the spec under a normal model N(mean, sigma²). */
export function expectedPpm(mean: number, sigma: number, lsl: number | null, usl: number | null): PpmSplit {
  const belowLsl = lsl === null ? null : normalCdf((lsl - mean) / sigma) * 1e6;
  const aboveUsl = usl === null ? null : normalCdf((mean - usl) / sigma) * 1e6;
  return { belowLsl, aboveUsl, total: (belowLsl ?? 0) + (aboveUsl ?? 0) };
}

function observedPpm(values: Float64Array, censoring: CensoringCodes | undefined, lsl: number | null, usl: number | null): ObservedPpm {
  let below = 0;
  let above = 0;
  let undetermined = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const c = censoring ? censoring[i]! : 0;
    if (c === 0) {
      if (lsl !== null && v < lsl) below++;
      else if (usl !== null && v > usl) above++;
    } else if (c === 1) {
      // true value ≤ v
      if (lsl !== null && v < lsl) below++;
      else if (lsl !== null || (usl !== null && v > usl)) undetermined++;
    } else {
      // true value ≥ v
      if (usl !== null && v > usl) above++;
      else if (usl !== null || (lsl !== null && v < lsl)) undetermined++;
    }
  }
  const n = values.length;
  const belowLsl = lsl === null ? null : (below / n) * 1e6;
  const aboveUsl = usl === null ? null : (above / n) * 1e6;
  return { belowLsl, aboveUsl, total: ((below + above) / n) * 1e6, undetermined };
}

/** Percentile (ISO 22514-2 / Clements) indices from empirical type-7 quantiles of sorted values. */
export function percentileCapability(sorted: Float64Array, lsl: number | null, usl: number | null): PercentileCapability {
  const lo = quantileType7(sorted, 0.00135);
  const med = quantileType7(sorted, 0.5);
  const hi = quantileType7(sorted, 0.99865);
  const pp = lsl !== null && usl !== null && hi > lo ? (usl - lsl) / (hi - lo) : null;
  const ppu = usl !== null && hi > med ? (usl - med) / (hi - med) : null;
  const ppl = lsl !== null && med > lo ? (med - lsl) / (med - lo) : null;
  const sides = [ppu, ppl].filter((v): v is number => v !== null);
  return {
    method: 'ISO 22514-2 percentile (empirical R type-7 quantiles)',
    x00135: lo,
    x05: med,
    x99865: hi,
    pp,
    ppu,
    ppl,
    ppk: sides.length > 0 ? Math.min(...sides) : NaN,
    tailsFromExtremes: sorted.length < 741,
  };
}

/**
 * Full capability study of one parameter's values against its spec.
 * Throws `StatsInputError` for: no limits, LSL ≥ USL, fewer than 2 uncensored values, NaN/∞ values,
 * non-positive within sigma, zero overall spread, confidence level outside (0, 1).
 */
export function processCapability(values: Float64Array, options: CapabilityOptions): CapabilityResult {
  const { lsl, usl, subject } = options;
  checkLimits(lsl, usl, subject);
  const confidenceLevel = options.confidenceLevel ?? 0.95;
  const normalityAlpha = options.normalityAlpha ?? 0.01;
  if (!(confidenceLevel > 0 && confidenceLevel < 1)) {
    throw new StatsInputError(`confidence level ${confidenceLevel} must lie strictly between 0 and 1 (e.g. 0.95)`, subject);
  }
  if (!(options.withinSigma > 0) || !Number.isFinite(options.withinSigma)) {
    throw new StatsInputError(
      `within sigma (${options.withinSigmaEstimator}) is ${options.withinSigma}; it must be positive and finite — a zero R̄ or S̄ means every subgroup is constant (check resolution/rounding)`,
      subject,
    );
  }
  for (let i = 0; i < values.length; i++) {
    if (!Number.isFinite(values[i]!)) {
      throw new StatsInputError(`value[${i}] is ${values[i]}; quarantine non-finite readings at ingest`, subject);
    }
  }
  const kept = uncensoredValues(values, options.censoring);
  const n = kept.length;
  const withinDf = options.withinSigmaDf ?? n - 1;
  if (n < 2) {
    throw new StatsInputError(`capability needs at least 2 uncensored values, got ${n} (of ${values.length} readings)`, subject);
  }
  const mean = options.moments?.mean ?? meanOf(kept);
  const overallSigma = options.moments?.sd ?? sampleSdOf(kept);
  if (!(overallSigma > 0)) {
    throw new StatsInputError(
      `all ${n} values equal ${kept[0]}; overall sigma is 0, so Pp/Ppk are undefined — check the station's resolution`,
      subject,
    );
  }
  const sigmaW = options.withinSigma;
  const c = capabilityIndices(mean, sigmaW, lsl, usl, subject);
  const p = capabilityIndices(mean, overallSigma, lsl, usl, subject);

  let target: number | null;
  let targetSource: CapabilityResult['targetSource'];
  if (options.target !== undefined && options.target !== null) {
    target = options.target;
    targetSource = 'given';
  } else if (lsl !== null && usl !== null) {
    target = (lsl + usl) / 2;
    targetSource = 'midpoint';
  } else {
    target = null;
    targetSource = 'none';
  }
  let cpm: number | null = null;
  let cpmCi: Interval | null = null;
  if (c.potential !== null && target !== null) {
    const delta = (mean - target) / sigmaW;
    cpm = c.potential / Math.sqrt(1 + delta * delta);
    cpmCi = cpmInterval(cpm, n, delta, confidenceLevel);
  }

  const sorted = options.sortedValues ?? sortedCopy(kept);
  if (sorted.length !== n) {
    throw new StatsInputError(
      `sortedValues has ${sorted.length} values but ${n} are uncensored; pass the sorted uncensored values`,
      subject,
    );
  }
  const normality = n >= AD_MIN_N ? andersonDarlingSorted(sorted, mean, overallSigma, subject) : null;
  const nonNormal = normality !== null && normality.pValue < normalityAlpha;
  const percentile = nonNormal ? percentileCapability(sorted, lsl, usl) : null;

  return {
    n,
    censoredExcluded: values.length - n,
    mean,
    withinSigma: sigmaW,
    withinSigmaEstimator: options.withinSigmaEstimator,
    overallSigma,
    lsl,
    usl,
    target,
    targetSource,
    cp: c.potential,
    cpu: c.upper,
    cpl: c.lower,
    cpk: c.k,
    cpm,
    pp: p.potential,
    ppu: p.upper,
    ppl: p.lower,
    ppk: p.k,
    confidenceLevel,
    intervals: {
      cp: c.potential === null ? null : cpInterval(c.potential, n, confidenceLevel, withinDf),
      cpk: cpkInterval(c.k, n, confidenceLevel, withinDf),
      cpm: cpmCi,
      pp: p.potential === null ? null : cpInterval(p.potential, n, confidenceLevel),
      ppk: cpkInterval(p.k, n, confidenceLevel),
    },
    expectedPpmWithin: expectedPpm(mean, sigmaW, lsl, usl),
    expectedPpmOverall: expectedPpm(mean, overallSigma, lsl, usl),
    observedPpm: observedPpm(values, options.censoring, lsl, usl),
    normality,
    normalityAlpha,
    percentile,
    governing: nonNormal ? 'percentile' : 'normal',
  };
}
