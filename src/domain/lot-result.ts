/**
 * @module LotResult — everything the evaluation of one lot revision found, complete enough to draw every
 * chart and table of both reports from it alone. Pure data (no clock): the same lot content, spec, policy
 * and baseline always give the same LotResult and therefore the same SHA-256.
 * Source of truth for `schemas/lot-result.schema.json`.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Num = Type.Number();
const NumOrNull = Nullable(Type.Number());

export const Disposition = Type.Union([Type.Literal('ACCEPT'), Type.Literal('REJECT'), Type.Literal('HOLD')]);
export type Disposition = Static<typeof Disposition>;

export const Verdict = Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('indeterminate')]);
export type Verdict = Static<typeof Verdict>;

/** Identifies one chart: a parameter at one corner on one lane (lane null = per-module parameter). */
export const CellKey = Type.Object({
  parameter: Type.String(),
  corner: Type.String(),
  lane: NumOrNull,
});
export type CellKey = Static<typeof CellKey>;

export const LimitView = Type.Object({
  /** Constant limit, or null when absent or when it is an expression (see `expr`). */
  value: NumOrNull,
  expr: Nullable(Type.String()),
  informative: Type.Boolean(),
});
export type LimitView = Static<typeof LimitView>;

export const Summary = Type.Object({
  n: Type.Integer(),
  censoredBelow: Type.Integer(),
  censoredAbove: Type.Integer(),
  mean: NumOrNull,
  sd: NumOrNull,
  min: NumOrNull,
  max: NumOrNull,
  median: NumOrNull,
  q1: NumOrNull,
  q3: NumOrNull,
});
export type Summary = Static<typeof Summary>;

/** One run-rule signal (episode) of a chart; its rule set and rule name are on the chart (`ruleSet`, `rules`). */
export const SignalView = Type.Object({
  rule: Type.Integer(),
  direction: Nullable(Type.Union([Type.Literal('up'), Type.Literal('down')])),
  /**
   * Point indices forming the signal (into `chart.points`). The units are `chartPointUnit(chart, i)` into
   * `units` — serials are not repeated per signal (a 10,000-unit lot has tens of thousands of signals).
   */
  indices: Type.Array(Type.Integer()),
});
export type SignalView = Static<typeof SignalView>;

export const ChartView = Type.Object({
  kind: Type.String({ description: 'individuals (I-MR) of final-attempt values in test order' }),
  phase: Type.Union([Type.Literal('phase-2'), Type.Literal('phase-1')]),
  estimator: Type.String(),
  centre: Num,
  sigma: Num,
  lcl: Num,
  ucl: Num,
  /**
   * Plotted values (final attempt of each unit, test-time order; censored readings are left off), rounded
   * to 7 significant digits — finer than any station resolves, and a third smaller stored.
   */
  points: Type.Array(Num),
  /**
   * Index into `units` of each point, same order; null when point i is unit i (every unit has an exact
   * reading — the usual case, and it saves 10,000 integers per chart). Read it with `chartPointUnit`.
   */
  unitIndex: Nullable(Type.Array(Type.Integer())),
  /** Readings left off the chart because they are censored (`<v`, `>v`). */
  censoredOmitted: Type.Integer(),
  movingRange: Type.Object({ centre: Num, ucl: Num }),
  /** Run-rule set the signals belong to (e.g. 'nelson'). */
  ruleSet: Type.String(),
  /** The rules run on this chart with their names — named once here, not on each of thousands of signals. */
  rules: Type.Array(Type.Object({ rule: Type.Integer(), name: Type.String() })),
  signals: Type.Array(SignalView),
  /**
   * Conditional (expression) limits as they applied to each plotted unit, parallel to `points` (7
   * significant digits; null = no such limit or it could not be computed for that unit). Present only on
   * charts of a parameter whose LSL or USL is an expression, so the report can draw the limit per unit.
   */
  limitPoints: Type.Optional(Type.Object({ lsl: Nullable(Type.Array(NumOrNull)), usl: Nullable(Type.Array(NumOrNull)) })),
});
export type ChartView = Static<typeof ChartView>;

export const CapabilityView = Type.Object({
  n: Type.Integer(),
  sigmaWithin: Num,
  sigmaOverall: Num,
  cp: NumOrNull,
  cpLower: NumOrNull,
  cpk: NumOrNull,
  cpkLower: NumOrNull,
  cpkUpper: NumOrNull,
  cpm: NumOrNull,
  pp: NumOrNull,
  ppk: NumOrNull,
  ppmWithin: NumOrNull,
  ppmOverall: NumOrNull,
  ppmObserved: NumOrNull,
  confidence: Num,
  normality: Type.Object({ a2: NumOrNull, a2Adjusted: NumOrNull, p: NumOrNull }),
  governing: Type.Union([Type.Literal('normal'), Type.Literal('percentile')]),
  percentile: Nullable(Type.Object({ pp: NumOrNull, ppk: NumOrNull })),
  note: Nullable(Type.String()),
  /**
   * Which route the lot decision judged the chart's Cpk by, and that Cpk with its lower one-sided bound.
   * `cpk`/`cpkLower` above stay the normal-theory figures; every document shows the judged ones (see
   * judgedCapability). Optional: results stored before it read as judged by normal theory.
   */
  judgedBy: Type.Optional(Type.Union([Type.Literal('normal-theory'), Type.Literal('box-cox')])),
  judgedCpk: Type.Optional(NumOrNull),
  judgedCpkLower: Type.Optional(NumOrNull),
});
export type CapabilityView = Static<typeof CapabilityView>;

export const TestView = Type.Object({
  statistic: Num,
  p: NumOrNull,
  df: Type.Optional(Type.Array(Num)),
});

export const ConsistencyView = Type.Object({
  baselineMean: Num,
  baselineSigma: Num,
  /** Lot mean minus baseline mean, in baseline unit-to-unit sigmas. */
  meanShiftSigma: Num,
  /** z of the lot mean against the baseline lot-mean distribution (between-lot + within/√n). */
  meanShiftZ: Num,
  meanShiftP: Num,
  varianceRatio: NumOrNull,
  varianceP: NumOrNull,
  welch: Nullable(TestView),
  fTest: Nullable(TestView),
  brownForsythe: Nullable(TestView),
  ks: Nullable(TestView),
  tost: Nullable(Type.Object({ margin: Num, p: Num, equivalent: Type.Boolean() })),
});
export type ConsistencyView = Static<typeof ConsistencyView>;

export const PatView = Type.Object({
  lower: NumOrNull,
  upper: NumOrNull,
  kind: Type.Union([Type.Literal('static'), Type.Literal('dynamic'), Type.Literal('static+dynamic')]),
  outliers: Type.Array(Type.Object({ serial: Type.String(), value: Num })),
});
export type PatView = Static<typeof PatView>;

/** Smallest and largest value a conditional limit took over a set of units. */
export const LimitRange = Type.Object({ min: Num, max: Num });
export type LimitRange = Static<typeof LimitRange>;

/**
 * A cell's readings over the certified units only (final attempt of every unit the certificate covers:
 * passed, and not excluded as a PAT outlier under `pat.outlierAction: exclude-units`), in the raw unit.
 */
export const CertifiedSummary = Type.Object({
  n: Type.Integer(),
  censoredBelow: Type.Integer(),
  censoredAbove: Type.Integer(),
  mean: NumOrNull,
  sd: NumOrNull,
  min: NumOrNull,
  max: NumOrNull,
  /** Range an expression LSL took over the certified units; null for a constant or absent limit. */
  lslRange: Nullable(LimitRange),
  uslRange: Nullable(LimitRange),
});
export type CertifiedSummary = Static<typeof CertifiedSummary>;

export const PatOutlierActionView = Type.Union([Type.Literal('exclude-units'), Type.Literal('hold-lot'), Type.Literal('report-only')]);

export const Histogram = Type.Object({ edges: Type.Array(Num), counts: Type.Array(Type.Integer()) });

export const CellResult = Type.Object({
  key: CellKey,
  name: Type.String(),
  unit: Type.String(),
  /** Scale of chart, capability, consistency and PAT numbers: log10 means they are log10 of the value. */
  scale: Type.Union([Type.Literal('linear'), Type.Literal('log10')]),
  critical: Type.Boolean(),
  lsl: LimitView,
  usl: LimitView,
  target: NumOrNull,
  summary: Summary,
  /** Final-attempt units failing this cell's limits. */
  failures: Type.Integer(),
  chart: Nullable(ChartView),
  histogram: Nullable(Histogram),
  capability: Nullable(CapabilityView),
  consistency: Nullable(ConsistencyView),
  pat: Nullable(PatView),
  notes: Type.Array(Type.String()),
  /** Decimals the spec declares for the parameter (its reporting resolution); absent = 4 significant digits. */
  decimals: Type.Optional(Type.Integer({ minimum: 0, maximum: 9 })),
  /** Statistics and limit ranges over the certified units only (results of lotqa ≥ 0.2). */
  certified: Type.Optional(CertifiedSummary),
});
export type CellResult = Static<typeof CellResult>;

export const UnitFailure = Type.Object({
  parameter: Type.String(),
  corner: Type.String(),
  lane: NumOrNull,
  value: NumOrNull,
  limit: NumOrNull,
  side: Type.Union([Type.Literal('below-lsl'), Type.Literal('above-usl'), Type.Literal('missing'), Type.Literal('indeterminate')]),
});
export type UnitFailure = Static<typeof UnitFailure>;

export const UnitResult = Type.Object({
  serial: Type.String(),
  station: Type.String(),
  attempts: Type.Integer(),
  firstPass: Verdict,
  final: Verdict,
  /** Failures of the final attempt (empty when it passed). */
  failures: Type.Array(UnitFailure),
  firstPassFailures: Type.Integer(),
  patOutlier: Type.Boolean(),
  finalTestTime: Type.String(),
});
export type UnitResult = Static<typeof UnitResult>;

/** Where a station's verdicts disagree with lotqa's and its limits with the spec's (domain/station-evidence.ts). */
export const StationEvidenceView = Type.Object({
  /** Runs of the lot the stations gave a verdict on. */
  runsWithVerdict: Type.Integer(),
  /** Units whose station verdict disagrees with lotqa's, on the first attempt and on the final one. */
  disagreeingUnits: Type.Object({ firstPass: Type.Integer(), final: Type.Integer() }),
  verdicts: Type.Array(
    Type.Object({
      serial: Type.String(),
      station: Type.String(),
      testTime: Type.String(),
      attempt: Type.Union([Type.Literal('first'), Type.Literal('final')]),
      stationSays: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
      lotqaSays: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
      message: Type.String(),
    }),
  ),
  limits: Type.Array(
    Type.Object({
      station: Type.String(),
      parameter: Type.String(),
      side: Type.Union([Type.Literal('lower'), Type.Literal('upper')]),
      stationLimit: Num,
      specLimit: NumOrNull,
      unit: Type.String(),
      corners: Type.Array(Type.String()),
      /** 0-based lanes; null for a per-module parameter. */
      lanes: Type.Array(NumOrNull),
      message: Type.String(),
    }),
  ),
  notCompared: Type.Array(Type.String()),
});
export type StationEvidenceView = Static<typeof StationEvidenceView>;

/**
 * How a lot-level hypothesis reason's p-value was computed, for "show the work": the test, its degrees of
 * freedom and standard error, the raw and family-adjusted p, and the α it was judged at (with the share of
 * α its group got when the family is split). Absent on reasons that are not hypothesis tests, and on
 * results evaluated before lotqa 0.4: readers treat every field as optional.
 */
export const HypothesisTestView = Type.Object({
  /** e.g. "minimum-effect t (Satterthwaite df)", "one-sided F", "normal approximation (Bissell 1990)". */
  method: Type.String(),
  /** Degrees of freedom: [ν] for a t test, [ν₁, ν₂] for an F test; absent for a normal reference. */
  df: Type.Optional(Type.Array(Num)),
  /** Standard error of the estimate (σ units for shifts), when the test has one. */
  standardError: Type.Optional(Num),
  /** The test's own p-value, before the family-wise correction. */
  p: Num,
  /** The family-adjusted p-value the decision compared with α. */
  adjustedP: Num,
  /** The family-wise α of the policy. */
  alpha: Num,
  correction: Type.String(),
  /** This test's group's share of α when the family is split (lane tests across corners vs the rest); absent: all of α. */
  alphaShare: Type.Optional(Num),
});
export type HypothesisTestView = Static<typeof HypothesisTestView>;

export const Reason = Type.Object({
  code: Type.String(),
  severity: Type.Union([Type.Literal('REJECT'), Type.Literal('HOLD'), Type.Literal('INFO')]),
  message: Type.String(),
  parameter: Type.Optional(Type.String()),
  corner: Type.Optional(Type.String()),
  lane: Type.Optional(NumOrNull),
  /** The lane as the station and the spec name it (1-based channel number or the spec's label); `lane` is the 0-based index. */
  laneName: Type.Optional(Type.String()),
  /** The test station a station-shift reason is about. */
  station: Type.Optional(Type.String()),
  /** The files a file-conflict or simultaneous-attempts reason is about, each with the station it names (as the station names itself). */
  files: Type.Optional(Type.Array(Type.Object({ sha256: Type.String(), station: Type.String() }))),
  rule: Type.Optional(Type.String()),
  serials: Type.Optional(Type.Array(Type.String())),
  value: Type.Optional(NumOrNull),
  threshold: Type.Optional(NumOrNull),
  /** The hypothesis test behind a lot-shift, lane-shift, station-shift, spread, capability or (with a baseline) pat-outliers reason. */
  test: Type.Optional(HypothesisTestView),
});
export type Reason = Static<typeof Reason>;

export const SamplingView = Type.Object({
  mode: Type.String(),
  standard: Nullable(Type.String()),
  description: Type.String(),
  severity: Nullable(Type.String()),
  codeLetter: Nullable(Type.String()),
  sampleSize: Type.Integer(),
  acceptanceNumber: Nullable(Type.Integer()),
  rejectionNumber: Nullable(Type.Integer()),
  nonconforming: Type.Integer(),
  /** `not-judged`: no unit could be evaluated, or the sample had too few readings to judge; the lot is held (fail closed). */
  verdict: Type.Union([Type.Literal('accept'), Type.Literal('reject'), Type.Literal('not-judged')]),
  detail: Type.Array(Type.String()),
});
export type SamplingView = Static<typeof SamplingView>;

/** The policy's batch-to-batch trend settings a trend chart is drawn with (the result's and the console API's). */
export const TrendSettingsFields = {
  action: Type.String(),
  ewmaLambda: Num,
  ewmaL: Num,
  cusumK: Num,
  cusumH: Num,
  /** β of phase I's upper (1 − β) chi-square bounds on the baseline's between-lot variances (absent: results before it). */
  phaseOneBeta: Type.Optional(Num),
};

/** One batch-to-batch trend chart's series across the product's lots (the result's and the console API's). */
export const TrendSeriesFields = {
  lots: Type.Array(Type.String()),
  means: Type.Array(Num),
  sds: Type.Array(NumOrNull),
  z: Type.Array(Num),
  ewma: Type.Array(Num),
  ewmaLimit: Type.Array(Num),
  cusumUpper: Type.Array(Num),
  cusumLower: Type.Array(Num),
  signals: Type.Array(Type.Object({ chart: Type.String(), direction: Type.String(), lots: Type.Array(Type.String()) })),
};

export const LotResult = Type.Object(
  {
    kind: Type.Literal('lotqa/lot-result'),
    schemaVersion: Type.Literal(1),
    lotqaVersion: Type.String(),
    lot: Type.String(),
    revision: Type.Integer({ minimum: 1 }),
    /** SHA-256 over the sorted SHA-256 of every input file of the lot. */
    contentHash: Type.String(),
    fileHashes: Type.Array(Type.String()),
    product: Type.Object({
      productId: Type.String(),
      partNumber: Type.String(),
      description: Type.String(),
      formFactor: Type.String(),
      specVersion: Type.String(),
      laneCount: Type.Integer(),
      /** The spec's lane labels (ProductSpec.laneLabels), so reports name lanes as the spec does; absent = channel numbers. */
      laneLabels: Type.Optional(Type.Array(Type.String())),
      corners: Type.Array(Type.Object({ id: Type.String(), name: Type.String(), caseTemperatureC: Num })),
      standards: Type.Array(Type.Object({ id: Type.String(), title: Type.String() })),
    }),
    policy: Type.Object({ id: Type.String(), version: Type.String() }),
    baseline: Nullable(Type.Object({ version: Type.Integer(), createdAt: Type.String(), lots: Type.Array(Type.String()) })),
    quantity: Type.Object({
      units: Type.Integer(),
      runs: Type.Integer(),
      files: Type.Integer(),
      quarantinedRows: Type.Integer(),
      firstTestTime: Nullable(Type.String()),
      lastTestTime: Nullable(Type.String()),
      stations: Type.Array(Type.String()),
    }),
    yields: Type.Object({
      firstPass: Num,
      final: Num,
      firstPassPassed: Type.Integer(),
      finalPassed: Type.Integer(),
      indeterminate: Type.Integer(),
    }),
    sampling: SamplingView,
    cells: Type.Array(CellResult),
    units: Type.Array(UnitResult),
    pareto: Type.Array(Type.Object({ parameter: Type.String(), corner: Type.String(), lane: NumOrNull, units: Type.Integer() })),
    stations: Type.Array(Type.Object({ station: Type.String(), units: Type.Integer(), firstPassYield: Num, finalYield: Num })),
    laneSpread: Type.Array(
      Type.Object({
        parameter: Type.String(),
        corner: Type.String(),
        laneMeans: Type.Array(NumOrNull),
        laneRange: NumOrNull,
        unitSpreadMedian: NumOrNull,
        unitSpreadMax: NumOrNull,
      }),
    ),
    /**
     * Per critical parameter × corner: each station's mean of the units' mean over lanes against the other
     * stations, in within-lot σ (baseline σ when there is a baseline). Absent before lotqa 0.3.
     */
    stationEffects: Type.Optional(
      Type.Array(
        Type.Object({
          parameter: Type.String(),
          corner: Type.String(),
          stations: Type.Array(Type.Object({ station: Type.String(), units: Type.Integer(), mean: Num, againstOthersSigma: NumOrNull })),
        }),
      ),
    ),
    /**
     * Batch-to-batch trend per critical parameter × corner × lane: the lot means of the product's earlier
     * lots (after the baseline) and this one, standardised against the baseline's prediction, on EWMA and
     * CUSUM charts, with the signals in force at this lot (no charts without a baseline or with trend
     * action `off`). Absent before lotqa 0.3.
     */
    trend: Type.Optional(
      Type.Object({
        ...TrendSettingsFields,
        /** This lot's mean and σ per critical chart: what later lots read back as their history. */
        lot: Type.Array(
          Type.Object({ parameter: Type.String(), corner: Type.String(), lane: NumOrNull, n: Type.Integer(), mean: Num, sd: NumOrNull }),
        ),
        charts: Type.Array(
          Type.Object({
            parameter: Type.String(),
            corner: Type.String(),
            lane: NumOrNull,
            ...TrendSeriesFields,
            /** The lots' bias-corrected ln s² standardised against the baseline lots' (the lot-σ chart; chart names ewma-sd, cusum-sd); absent without baseline lot SDs. */
            sigma: Type.Optional(
              Type.Object({
                lots: Type.Array(Type.String()),
                z: Type.Array(Num),
                ewma: Type.Array(Num),
                ewmaLimit: Type.Array(Num),
                cusumUpper: Type.Array(Num),
                cusumLower: Type.Array(Num),
              }),
            ),
          }),
        ),
      }),
    ),
    /** Unit-level signals for an engineer to look at; they do not hold the lot on their own. */
    investigations: Type.Array(Reason),
    family: Type.Object({ tests: Type.Integer(), alpha: Num, correction: Type.String() }),
    proposal: Type.Object({ disposition: Disposition, reasons: Type.Array(Reason) }),
    notes: Type.Array(Type.String()),
    /**
     * Which units a certificate of this lot covers: every unit whose final attempt passed, less the PAT
     * outliers when the policy excludes them. Absent on results evaluated before lotqa 0.2.
     */
    certification: Type.Optional(
      Type.Object({
        /** The policy's `pat.outlierAction` this result was evaluated under. */
        patAction: PatOutlierActionView,
        /** Units the certificate covers. */
        units: Type.Integer(),
        /** Units that passed their final test but are not certified because they are PAT outliers. */
        excludedPatOutliers: Type.Integer(),
      }),
    ),
    /**
     * The stations' own PASS/FAIL and limits against lotqa's judgement and the spec: evidence for an
     * engineer, never used to judge. Absent when no file of the lot carried a station verdict or limit.
     */
    stationEvidence: Type.Optional(StationEvidenceView),
  },
  { $id: 'https://lotqa.dev/schemas/lot-result.schema.json', title: 'lotqa lot result', additionalProperties: false },
);
export type LotResult = Static<typeof LotResult>;

/** Index into `LotResult.units` of point `i` of a chart (`unitIndex` null means point i is unit i). */
export function chartPointUnit(chart: Pick<ChartView, 'unitIndex'>, i: number): number {
  if (chart.unitIndex === null) return i;
  const u = chart.unitIndex[i];
  if (u === undefined) throw new RangeError(`chart point ${i} does not exist (the chart has ${chart.unitIndex.length} points)`);
  return u;
}

/** Serials of the units behind the given chart points (e.g. a signal's `indices`). */
export function chartPointSerials(
  result: Pick<LotResult, 'units'>,
  chart: Pick<ChartView, 'unitIndex'>,
  indices: readonly number[],
): string[] {
  return indices.map((i) => {
    const unit = result.units[chartPointUnit(chart, i)];
    if (unit === undefined)
      throw new RangeError(`chart point ${i} names no unit of the lot (${result.units.length} units): the result is inconsistent`);
    return unit.serial;
  });
}

/** Name of a run rule of a chart (falls back to "rule n" if the chart does not list it). */
export function chartRuleName(chart: Pick<ChartView, 'rules'>, rule: number): string {
  return chart.rules.find((r) => r.rule === rule)?.name ?? `rule ${rule}`;
}

/**
 * Whether a unit is covered by the lot's certificate: its final attempt passed and, when the policy
 * excludes PAT outliers, it is not one. Results without `certification` certify every passing unit.
 */
export function isCertifiedUnit(
  result: { readonly certification?: { readonly patAction: string } | undefined },
  unit: Pick<UnitResult, 'final' | 'patOutlier'>,
): boolean {
  if (unit.final !== 'pass') return false;
  return !(result.certification?.patAction === 'exclude-units' && unit.patOutlier);
}
