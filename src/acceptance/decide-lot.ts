/**
 * @module Decide a lot — the policy applied to what the evaluation found. Pure.
 *
 * REJECT: the sampling plan rejects, or the final yield is below the policy floor (100 % test).
 * HOLD (an engineer must look): a lot-level hypothesis rejected after the family-wise correction (lot or
 * lane shift beyond the practical threshold, spread grown, capability below the minimum), first-pass
 * yield below its floor, too many PAT outliers, units whose verdict cannot be decided, or (judge
 * 'demonstrate') a capability lower bound below the minimum.
 * ACCEPT: none of the above. Unit-level run-rule signals never decide: they go to investigations.
 */
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import { patOutlierAction } from '../domain/acceptance-policy.js';
import type { Disposition, HypothesisTestView, Reason, SamplingView, UnitResult } from '../domain/lot-result.js';
import { laneName, lanePhrase, type LaneNaming } from '../domain/lanes.js';
import { agreeing, counted } from '../domain/counted.js';

/** The kinds of lot-level hypothesis the evaluation tests (`src/evaluate/lot-tests.ts`). */
export type HypothesisKind = 'lot-shift' | 'lane-shift' | 'station-shift' | 'variance' | 'capability' | 'pat-outliers';

export interface LotHypothesis {
  readonly kind: HypothesisKind;
  readonly parameter: string;
  readonly corner: string;
  readonly lane: number | null;
  /** The estimate in the unit of the threshold (σ for shifts, ratio for spread, Cpk for capability). */
  readonly estimate: number;
  readonly threshold: number;
  readonly p: number;
  /** The station a station-shift hypothesis is about, and how many other stations it is compared with. */
  readonly station?: string;
  readonly otherStations?: number;
  /**
   * A station-shift's expected reading against the other stations from the baseline lots' station offsets (the
   * tester's known state); `estimate` is then the move beyond it. Absent when the baseline has no station offsets.
   */
  readonly stationBaselineOffset?: number;
  /** How p was computed (kept in the reason for "show the work"): the test's name, df and standard error. */
  readonly method?: string;
  readonly df?: readonly number[];
  readonly standardError?: number;
  /** Where the variance behind df came from when it is pooled (said in the reason). */
  readonly dfBasis?: string;
}

export interface DecideLotInput {
  readonly policy: AcceptancePolicy;
  readonly hypotheses: readonly LotHypothesis[];
  /** Family-adjusted p-values, parallel to `hypotheses`. */
  readonly adjusted: ArrayLike<number>;
  /** Each hypothesis' share of α when the family is split in groups, parallel to `hypotheses`; absent: one family. */
  readonly alphaShares?: ArrayLike<number> | null;
  readonly units: readonly UnitResult[];
  readonly yields: { readonly firstPass: number; readonly final: number };
  readonly sampling: SamplingView;
  readonly capabilityBounds: readonly { parameter: string; corner: string; lane: number | null; lower: number; n: number }[];
  readonly hasBaseline: boolean;
  /** Critical charts whose statistics could not be computed (too few values, all censored, stuck gauge): HOLD. */
  readonly unavailable?: readonly { parameter: string; corner: string; lane: number | null; why: string }[];
  /** How the product names its lanes in messages (1-based channel numbers when absent). */
  readonly naming?: LaneNaming;
  /** Batch-to-batch trend reasons (HOLD or INFO by the policy's trend action), from src/evaluate/lot-trend.ts. */
  readonly trendReasons?: readonly Reason[];
  /**
   * Share of units a healthy lot of this product shows as PAT outliers anyway (its baseline lots judged as a
   * lot is, src/spc/pat-reference-share.ts) — the policy's share is allowed on top — and the probability of
   * the lot's count for that share (the hold needs it ≤ α). Share 0 when absent.
   */
  readonly patReference?: { readonly share: number; readonly excessP: number };
}

const fmt = (x: number, d = 3): string => (Number.isFinite(x) ? x.toFixed(d) : String(x));
const whereIn = (naming: LaneNaming, h: { parameter: string; corner: string; lane: number | null }): string =>
  `${h.parameter} @ ${h.corner}${h.lane === null ? '' : ` ${lanePhrase(naming, h.lane)}`}`;
const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;

/** The stored account of a hypothesis' test (Reason.test). */
function hypothesisTest(h: LotHypothesis, adjustedP: number, policy: AcceptancePolicy, alphaShare: number | undefined): HypothesisTestView {
  return {
    method: (h.method ?? DEFAULT_METHOD[h.kind]) + (h.dfBasis !== undefined ? `; ${h.dfBasis}` : ''),
    ...(h.df && h.df.length > 0 ? { df: [...h.df] } : {}),
    ...(h.standardError !== undefined && Number.isFinite(h.standardError) ? { standardError: h.standardError } : {}),
    p: h.p,
    adjustedP,
    alpha: policy.consistency.alpha,
    correction: policy.consistency.correction,
    ...(alphaShare !== undefined ? { alphaShare } : {}),
  };
}

const DEFAULT_METHOD: Record<HypothesisKind, string> = {
  'lot-shift': 'minimum-effect t (Satterthwaite df)',
  'lane-shift': 'minimum-effect t (Satterthwaite df)',
  'station-shift': 'minimum-effect Welch t (Welch–Satterthwaite df)',
  variance: 'one-sided F against the allowed variance ratio',
  capability: 'normal approximation to Ĉpk (Bissell 1990)',
  'pat-outliers': "beta-binomial upper tail of the PAT-outlier unit count for the baseline's share (1 at or below the allowed share)",
};

function hypothesisReason(
  h: LotHypothesis,
  adjustedP: number,
  policy: AcceptancePolicy,
  naming: LaneNaming,
  alphaShare: number | undefined,
): Reason {
  const where = (x: typeof h): string => whereIn(naming, x);
  const loc = { parameter: h.parameter, corner: h.corner, lane: h.lane, test: hypothesisTest(h, adjustedP, policy, alphaShare) };
  const p = `adjusted p = ${adjustedP.toExponential(2)} (${policy.consistency.correction}, α = ${policy.consistency.alpha})`;
  switch (h.kind) {
    case 'lot-shift':
      return {
        code: 'lot-shift',
        severity: 'HOLD',
        ...loc,
        value: h.estimate,
        threshold: h.threshold,
        message: `${where(h)}: lot mean moved ${fmt(h.estimate, 2)} σ from the baseline, beyond the ${h.threshold} σ allowed; ${p}`,
      };
    case 'lane-shift':
      return {
        code: 'lane-shift',
        severity: 'HOLD',
        ...loc,
        value: h.estimate,
        threshold: h.threshold,
        message: `${where(h)}: lane moved ${fmt(h.estimate, 2)} σ against the other lanes, beyond the ${h.threshold} σ allowed; ${p}${h.df?.[0] !== undefined ? `; t with ${Math.round(h.df[0])} df${h.dfBasis !== undefined ? ` (${h.dfBasis})` : ''}` : ''}`,
      };
    case 'station-shift':
      return {
        code: 'station-shift',
        severity: 'HOLD',
        ...loc,
        ...(h.station !== undefined ? { station: h.station } : {}),
        value: h.estimate,
        threshold: h.threshold,
        message: `${h.station ?? 'a station'} reads ${h.parameter} @ ${h.corner} ${fmt(Math.abs(h.estimate), 2)} σ ${h.estimate >= 0 ? 'high' : 'low'} against ${h.otherStations === undefined ? 'the other stations' : `the other ${counted(h.otherStations, 'station')}`}${h.stationBaselineOffset === undefined ? '' : ` beyond the ${h.stationBaselineOffset >= 0 ? '+' : ''}${fmt(h.stationBaselineOffset, 2)} σ it read against them in the baseline lots`}, beyond the ${h.threshold} σ allowed — a tester problem, not a product shift, until shown otherwise; ${p}`,
      };
    case 'variance':
      return {
        code: 'spread-increase',
        severity: 'HOLD',
        ...loc,
        value: h.estimate,
        threshold: h.threshold,
        message: `${where(h)}: variance ${fmt(h.estimate, 2)}× the baseline's, beyond the ${h.threshold}× allowed; ${p}`,
      };
    case 'pat-outliers':
      // Decided with the lot's outlier units (their serials) in decideLot's PAT block, not here.
      throw new Error('a pat-outliers hypothesis is decided by the PAT rule, not as a generic reason');
    case 'capability': {
      const rule = policy.capability.parameters?.[h.parameter] ?? policy.capability.default;
      return {
        code: 'capability-below',
        severity: rule.action,
        ...loc,
        value: h.estimate,
        threshold: h.threshold,
        message: `${where(h)}: Cpk ${fmt(h.estimate)} is significantly below the required ${h.threshold}; ${p}`,
      };
    }
  }
}

export function decideLot(input: DecideLotInput): { disposition: Disposition; reasons: Reason[] } {
  const { policy, hypotheses, adjusted, units, yields, sampling } = input;
  const naming = input.naming ?? {};
  const where = (x: { parameter: string; corner: string; lane: number | null }): string => whereIn(naming, x);
  const reasons: Reason[] = [];

  // Fail closed: a critical chart nobody can judge is not a chart that passed.
  for (const u of input.unavailable ?? []) {
    reasons.push({
      code: 'statistics-unavailable',
      severity: 'HOLD',
      parameter: u.parameter,
      corner: u.corner,
      lane: u.lane,
      message: `${where(u)}: critical parameter cannot be judged — ${u.why}; check the gauge and the station file before deciding the lot`,
    });
  }

  // Fail closed: a sample that cannot be judged is not a sample that passed.
  if (sampling.verdict === 'not-judged' && sampling.severity === 'discontinued') {
    // Z1.4 switching discontinued the product's acceptance: nothing was sampled; the detail says what to do.
    reasons.push({
      code: 'sampling-discontinued',
      severity: 'HOLD',
      message: sampling.detail[0] ?? `${sampling.description}: acceptance is discontinued`,
    });
  } else if (sampling.verdict === 'not-judged') {
    reasons.push({
      code: 'sampling-not-judged',
      severity: 'HOLD',
      message: `${sampling.description}: ${sampling.detail[0] ?? 'the sample cannot be judged'}; check the stations' files for the missing readings before deciding the lot`,
    });
  }
  if (sampling.verdict === 'reject') {
    reasons.push({
      code: 'sampling-reject',
      severity: 'REJECT',
      value: sampling.nonconforming,
      threshold: sampling.acceptanceNumber,
      message: `${sampling.description}: ${sampling.detail[0] ?? 'sample not acceptable'}`,
    });
  }
  if (policy.conformance.mode === '100-percent' && yields.final < policy.yield.finalYieldMin) {
    const failing = units.filter((u) => u.final === 'fail');
    reasons.push({
      code: 'final-yield',
      severity: 'REJECT',
      value: yields.final,
      threshold: policy.yield.finalYieldMin,
      serials: failing.slice(0, 50).map((u) => u.serial),
      message: `final yield ${pct(yields.final)} is below the ${pct(policy.yield.finalYieldMin)} floor (${counted(failing.length, 'unit')} ${agreeing(failing.length, 'fails its', 'fail their')} final attempt)`,
    });
  }
  if (yields.firstPass < policy.yield.firstPassYieldMin) {
    reasons.push({
      code: 'first-pass-yield',
      severity: 'HOLD',
      value: yields.firstPass,
      threshold: policy.yield.firstPassYieldMin,
      message: `first-pass yield ${pct(yields.firstPass)} is below the ${pct(policy.yield.firstPassYieldMin)} floor: retests may be hiding a problem`,
    });
  }
  const undecided = units.filter((u) => u.final === 'indeterminate');
  if (undecided.length > 0) {
    reasons.push({
      code: 'indeterminate-units',
      severity: 'HOLD',
      value: undecided.length,
      threshold: 0,
      serials: undecided.slice(0, 50).map((u) => u.serial),
      message: `${counted(undecided.length, 'unit')} cannot be shown to conform (missing readings, censored values at a limit, or a limit input missing)`,
    });
  }

  hypotheses.forEach((h, i) => {
    const a = adjusted[i]!;
    if (h.kind !== 'pat-outliers' && a <= policy.consistency.alpha)
      reasons.push(hypothesisReason(h, a, policy, naming, input.alphaShares?.[i]));
  });

  for (const b of input.capabilityBounds) {
    const rule = policy.capability.parameters?.[b.parameter] ?? policy.capability.default;
    if ((rule.judge ?? 'evidence-below') !== 'demonstrate' || b.n < rule.minSampleSize) continue;
    if (b.lower < rule.minimum) {
      reasons.push({
        code: 'capability-not-demonstrated',
        severity: rule.action,
        parameter: b.parameter,
        corner: b.corner,
        lane: b.lane,
        value: b.lower,
        threshold: rule.minimum,
        message: `${where(b)}: Cpk lower ${rule.confidence * 100} % bound ${fmt(b.lower)} does not reach ${rule.minimum}`,
      });
    }
  }

  const pat = policy.consistency.pat;
  const patUnits = units.filter((u) => u.patOutlier);
  const reference = input.patReference?.share ?? 0;
  const patAllowed = pat.maxOutlierShare + reference;
  // With a baseline the count is one of the family's hypotheses (its p enters the correction with the other
  // lot tests, so the family-wise α is the policy's); without one the share alone decides, as before.
  const patAt = hypotheses.findIndex((h) => h.kind === 'pat-outliers');
  const patAdjusted = patAt >= 0 ? adjusted[patAt]! : null;
  const improbable =
    patAdjusted !== null
      ? patAdjusted <= policy.consistency.alpha
      : reference === 0 || (input.patReference?.excessP ?? 0) <= policy.consistency.alpha;
  if (units.length > 0 && patUnits.length / units.length > patAllowed && improbable) {
    const familyP =
      patAdjusted !== null
        ? `; adjusted p = ${patAdjusted.toExponential(2)} (${policy.consistency.correction}, α = ${policy.consistency.alpha})`
        : '';
    reasons.push({
      code: 'pat-outliers',
      severity: pat.action,
      value: patUnits.length / units.length,
      threshold: patAllowed,
      serials: patUnits.slice(0, 50).map((u) => u.serial),
      ...(patAdjusted !== null ? { test: hypothesisTest(hypotheses[patAt]!, patAdjusted, policy, input.alphaShares?.[patAt]) } : {}),
      message:
        reference > 0
          ? `${counted(patUnits.length, 'PAT outlier unit')} (${pct(patUnits.length / units.length)}) ${agreeing(patUnits.length, 'exceeds', 'exceed')} the ${pct(patAllowed)} allowed (the baseline's own ${pct(reference)} plus the policy's ${pct(pat.maxOutlierShare)}; p = ${input.patReference!.excessP.toExponential(2)} for the baseline's share${familyP})`
          : `${counted(patUnits.length, 'PAT outlier unit')} (${pct(patUnits.length / units.length)}) ${agreeing(patUnits.length, 'exceeds', 'exceed')} the ${pct(pat.maxOutlierShare)} allowed${familyP}`,
    });
  }
  const outlierAction = patOutlierAction(policy);
  if (patUnits.length > 0) {
    const serials = patUnits.slice(0, 50).map((u) => u.serial);
    if (outlierAction === 'hold-lot') {
      reasons.push({
        code: 'pat-outlier-units',
        severity: 'HOLD',
        value: patUnits.length,
        threshold: 0,
        serials,
        message: `${counted(patUnits.length, 'unit')} ${agreeing(patUnits.length, 'is a PAT outlier', 'are PAT outliers')} (in spec, outside the PAT limits); the policy (pat.outlierAction hold-lot) holds the lot for an engineer to screen ${agreeing(patUnits.length, 'it', 'them')}`,
      });
    } else {
      const passing = patUnits.filter((u) => u.final === 'pass').length;
      reasons.push({
        code: 'pat-outlier-units',
        severity: 'INFO',
        value: patUnits.length,
        serials,
        message:
          outlierAction === 'exclude-units'
            ? `${counted(passing, 'passing unit')} ${agreeing(passing, 'is a PAT outlier and is', 'are PAT outliers and are')} not certified (pat.outlierAction exclude-units)`
            : `${counted(patUnits.length, 'PAT outlier unit')} ${agreeing(patUnits.length, 'is reported only and certified', 'are reported only and certified')} with the lot (pat.outlierAction report-only)`,
      });
    }
  }
  if (!input.hasBaseline) {
    reasons.push({ code: 'no-baseline', severity: 'INFO', message: 'no baseline for this product: judged on specs and capability only' });
  }

  reasons.push(...(input.trendReasons ?? []));

  const disposition: Disposition = reasons.some((r) => r.severity === 'REJECT')
    ? 'REJECT'
    : reasons.some((r) => r.severity === 'HOLD')
      ? 'HOLD'
      : 'ACCEPT';
  for (const r of reasons) if (typeof r.lane === 'number') r.laneName = laneName(naming, r.lane);
  const rank = { REJECT: 0, HOLD: 1, INFO: 2 } as const;
  reasons.sort((a, b) => rank[a.severity] - rank[b.severity]);
  return { disposition, reasons };
}
