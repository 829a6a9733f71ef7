/**
 * @module "Show the work": for each kind of statistic the console shows (Cpk and its bound, Ppk, control
 * limits, a mean-shift p-value, a variance ratio, a station shift, a lane mean's interval, the trend's EWMA
 * and CUSUM), its formula, the inputs with their values as the stored LotResult holds them, the degrees
 * of freedom, the published reference it was verified against and the lotqa test that verifies it.
 * A typed catalogue ({@link STATISTICS}) fills each explanation from the result; nothing is recomputed
 * differently from the evaluation (the same functions of src/spc, the same stored numbers).
 */
import { judgedCapability } from '../domain/judged-capability.js';
import { laneName, type LaneNaming } from '../domain/lanes.js';
import { LotqaError } from '../errors/lotqa-error.js';
import type { LotResultPart } from '../queries/lot-result-part.js';
import type { CellResult, Reason } from '../domain/lot-result.js';
import { movingRangeEffectiveDf } from '../spc/capability.js';
import { normalQuantile } from '../spc/distributions.js';
import { html, query, seg, type SafeHtml } from './html.js';
import { meanInterval } from './lot-charts.js';

export const STATISTIC_KINDS = [
  'cpk',
  'ppk',
  'control-limits',
  'mean-shift',
  'lot-shift',
  'lane-shift',
  'variance-ratio',
  'station-shift',
  'lane-mean',
  'ewma',
  'cusum',
] as const;
export type StatisticKind = (typeof STATISTIC_KINDS)[number];
export const isStatisticKind = (k: string): k is StatisticKind => (STATISTIC_KINDS as readonly string[]).includes(k);

export interface ExplanationInput {
  readonly symbol: string;
  readonly meaning: string;
  /** As shown (numbers to their stored precision); text for a name. */
  readonly value: string;
}

export interface Explanation {
  readonly statistic: StatisticKind;
  readonly title: string;
  /** What the chart or reason shows, e.g. "Cpk = 1.42". */
  readonly result: string;
  readonly formula: readonly string[];
  readonly inputs: readonly ExplanationInput[];
  /** The degrees of freedom used, in words ("ν = 0.62·(N − 1) = 24.2"), or why none apply. */
  readonly degreesOfFreedom: string;
  /** Published references the computation was verified against. */
  readonly references: readonly string[];
  /** The lotqa test that checks the computation against them. */
  readonly verifiedBy: string;
  readonly notes: readonly string[];
}

/** Where in the lot a statistic lives: a cell, and a station for a station shift. */
export interface StatisticContext {
  readonly result: LotResultPart;
  readonly cell: CellResult;
  readonly naming: LaneNaming;
  readonly station?: string | undefined;
}

interface Entry {
  readonly title: string;
  readonly formula: readonly string[];
  readonly references: readonly string[];
  readonly verifiedBy: string;
  /** The inputs, the shown result and df from the result; a sentence (thrown as NotExplainable) when absent. */
  fill(ctx: StatisticContext): Pick<Explanation, 'result' | 'inputs' | 'degreesOfFreedom' | 'notes'>;
}

/** The statistic cannot be shown for this cell (not computed at evaluation); the message says why. */
export class NotExplainable extends LotqaError {
  override name = 'NotExplainable';
}

const n = (x: number | null | undefined, digits = 6): string =>
  x === null || x === undefined || !Number.isFinite(x) ? '—' : Number(x.toPrecision(digits)).toString();
const p = (x: number | null | undefined): string =>
  x === null || x === undefined ? '—' : x < 1e-4 ? x.toExponential(2) : Number(x.toPrecision(3)).toString();
const where = (ctx: StatisticContext): string =>
  `${ctx.cell.key.parameter} @ ${ctx.cell.key.corner}, ${ctx.cell.key.lane === null ? 'module' : `lane ${laneName(ctx.naming, ctx.cell.key.lane)}`}`;
const onScale = (v: number | null, scale: 'linear' | 'log10'): number | null =>
  v === null ? null : scale === 'linear' ? v : v > 0 ? Math.log10(v) : null;
const scaleNote = (ctx: StatisticContext): string[] =>
  ctx.cell.scale === 'log10' ? [`${ctx.cell.name} is judged on the log10 scale: every value above is log10 of ${ctx.cell.unit}.`] : [];

function capabilityOf(ctx: StatisticContext) {
  const c = ctx.cell.capability;
  if (!c)
    throw new NotExplainable(
      `${where(ctx)} has no capability: ${ctx.cell.notes.find((x) => x.includes('capability')) ?? 'no spec limit or too few exact readings'}`,
    );
  const points = ctx.cell.chart?.points ?? [];
  const m = meanInterval(points);
  return { c, mean: m?.mean ?? null };
}

function capabilityEntry(which: 'cpk' | 'ppk'): Entry {
  const within = which === 'cpk';
  const name = within ? 'Cpk' : 'Ppk';
  const sigma = within ? 'σ_w' : 'σ_o';
  return {
    title: within ? 'Process capability Cpk (within σ) and its confidence bounds' : 'Process performance Ppk (overall σ)',
    formula: [
      `${name} = min(USL − x̄, x̄ − LSL) / (3·${sigma})${within ? ',  σ_w = MR̄/d₂ (d₂ = 1.128)' : ',  σ_o = sample SD (n − 1)'}`,
      `bounds (Bissell 1990): ${name} ± z·√(1/(9N) + ${name}²/(2ν)),  z = z₁₋α/₂ two-sided, z₁₋α for the lower one-sided bound`,
    ],
    references: [
      'Bissell, A. F. (1990), "How reliable is your capability index?", Applied Statistics 39(3), 331–340',
      'Montgomery, Introduction to Statistical Quality Control, ch. 8 (process capability ratios)',
      'NIST/SEMATECH e-Handbook of Statistical Methods, 6.1.6 "What is process capability?"',
    ],
    verifiedBy:
      'tests/spc/capability/capability.test.ts (qcc processCapability on Montgomery’s piston rings, Table 6.3; bound coverage by simulation in moving-range-bound-coverage.test.ts)',
    fill(ctx) {
      const { c, mean } = capabilityOf(ctx);
      const value = within ? c.cpk : c.ppk;
      const s = within ? c.sigmaWithin : c.sigmaOverall;
      const nu = within ? movingRangeEffectiveDf(c.n) : c.n - 1;
      const alpha = 1 - c.confidence;
      const lsl = onScale(ctx.cell.lsl.value, ctx.cell.scale);
      const usl = onScale(ctx.cell.usl.value, ctx.cell.scale);
      const inputs: ExplanationInput[] = [
        { symbol: 'x̄', meaning: 'mean of the exact final readings', value: n(mean) },
        { symbol: sigma, meaning: within ? 'within σ, MR̄/d₂ of the lot' : 'overall σ, sample SD', value: n(s) },
        { symbol: 'LSL', meaning: 'lower spec limit', value: n(lsl) },
        { symbol: 'USL', meaning: 'upper spec limit', value: n(usl) },
        { symbol: 'N', meaning: 'exact readings', value: String(c.n) },
      ];
      if (within)
        inputs.push(
          { symbol: '1 − α', meaning: 'confidence of the bounds (policy)', value: String(c.confidence) },
          { symbol: 'z₁₋α', meaning: 'normal quantile, one-sided bound', value: n(normalQuantile(1 - alpha), 5) },
          { symbol: 'z₁₋α/₂', meaning: 'normal quantile, two-sided interval', value: n(normalQuantile(1 - alpha / 2), 5) },
        );
      const judged = judgedCapability(c);
      const normalTheory = `Cpk = ${n(c.cpk, 4)}; lower ${c.confidence * 100} % bound ${n(c.cpkLower, 4)}, upper (two-sided) ${n(c.cpkUpper, 4)}`;
      // Say which route the decision judged by, so the page never explains a Cpk the decision did not use.
      const route =
        judged.by === 'box-cox'
          ? `The lot decision judged this chart’s Cpk on the Box–Cox scale (readings clearly non-normal, lower limit; ISO 22514-4): Cpk = ${n(judged.cpk, 4)}, lower ${c.confidence * 100} % bound ${n(judged.cpkLower, 4)}. The formula above gives the normal-theory figures, shown for comparison.`
          : 'The lot decision judged this chart’s Cpk by normal theory (the formula above).';
      return {
        result: within
          ? judged.by === 'box-cox'
            ? `Cpk (judged, Box–Cox scale) = ${n(judged.cpk, 4)}; lower ${c.confidence * 100} % bound ${n(judged.cpkLower, 4)}. Normal theory: ${normalTheory}`
            : normalTheory
          : `Ppk = ${n(value, 4)}`,
        inputs,
        degreesOfFreedom: within
          ? `ν = 0.62·(N − 1) = ${n(nu, 4)} (effective df of MR̄/d₂, Cryer & Ryan 1990), not N − 1: the bounds are wider`
          : `ν = N − 1 = ${nu}`,
        notes: [
          ...(c.governing === 'percentile'
            ? [`The data are clearly non-normal (Anderson–Darling p = ${p(c.normality.p)}): the percentile indices (ISO 22514-2) govern.`]
            : []),
          route,
          ...(c.note ? [c.note] : []),
          ...scaleNote(ctx),
        ],
      };
    },
  };
}

/**
 * The inputs a hypothesis reason's stored test adds (standard error, raw and adjusted p, α and its share),
 * and its degrees of freedom in words; `fallback` when the result predates the stored test (lotqa < 0.4)
 * or no reason held the lot here.
 */
function storedTest(reason: Reason | undefined, dfName: string, fallback: string): { inputs: ExplanationInput[]; df: string } {
  const t = reason?.test;
  if (!t) return { inputs: [], df: fallback };
  const inputs: ExplanationInput[] = [
    ...(t.standardError !== undefined ? [{ symbol: 'se', meaning: 'standard error of the estimate', value: n(t.standardError, 4) }] : []),
    { symbol: 'p', meaning: `the test's own p-value (${t.method})`, value: p(t.p) },
    { symbol: 'p_adj', meaning: `family-adjusted p (${t.correction})`, value: p(t.adjustedP) },
    { symbol: 'α', meaning: 'family-wise α (policy): the lot holds when p_adj ≤ α', value: String(t.alpha) },
    ...(t.alphaShare !== undefined
      ? [
          {
            symbol: 'α share',
            meaning: "this test group's share of α (split family)",
            value: `${n(t.alphaShare, 4)} (α·share = ${n(t.alpha * t.alphaShare, 4)})`,
          },
        ]
      : []),
  ];
  const df = t.df ?? [];
  return {
    inputs,
    df:
      df.length === 0
        ? `none: ${t.method} uses the normal distribution`
        : df.length === 1
          ? `ν = ${n(df[0], 5)} (${dfName}, as used at evaluation)`
          : `ν₁ = ${n(df[0], 5)}, ν₂ = ${n(df[1], 5)} (as used at evaluation)`,
  };
}

function shiftEntry(which: 'lot-shift' | 'lane-shift'): Entry {
  const lane = which === 'lane-shift';
  return {
    title: lane
      ? "A lane's shift against its sister lanes (the test that holds a lot)"
      : 'The lot-wide shift against the baseline (the test that holds a lot)',
    formula: [
      'Δ_l = (x̄_l − μ₀_l)/σ₀_l per lane (baseline centre and unit σ)',
      lane ? 'θ̂ = Δ_l − mean of Δ_j over the other lanes (a common lot movement cancels)' : 'θ̂ = mean of Δ_l over the lanes',
      'minimum-effect test of H₀: |θ| ≤ δ:  p = F_ν((−δ − |θ̂|)/se) + 1 − F_ν((δ − |θ̂|)/se)',
      'se from the baseline variance components (lot-to-lot, lane × lot, the baseline mean’s error) and the lot’s own sampling error; the family’s p-values Holm-adjusted',
      ...(lane
        ? [
            'step-down: once the most significant lane is flagged, the other lanes are re-tested against the lanes not flagged only (variance factor L′/(L′ − 1)), so one moved lane does not name its sister lanes',
          ]
        : []),
    ],
    references: [
      'Searle, Casella & McCulloch (1992), Variance Components, §3.5 (one-way random effects)',
      'NIST/SEMATECH e-Handbook of Statistical Methods, 3.2.3.1 (balanced ANOVA variance components)',
      'Satterthwaite, F. E. (1946), Biometrics Bulletin 2, 110–114 (effective df)',
      'Holm, S. (1979), Scandinavian Journal of Statistics 6, 65–70',
    ],
    verifiedBy:
      'tests/spc/variance/variance-components.test.ts (healthy lots held at the nominal rate, by simulation), tests/evaluate/lot-tests.test.ts and tests/evaluate/lane-step-down.test.ts (only the moved lane named, by simulation)',
    fill(ctx) {
      const k = ctx.cell.key;
      const reason = ctx.result.proposal.reasons.find(
        (r) => r.code === which && r.parameter === k.parameter && r.corner === k.corner && (!lane || (r.lane ?? null) === k.lane),
      );
      const lanes = ctx.result.cells
        .filter((c) => c.key.parameter === k.parameter && c.key.corner === k.corner && c.consistency)
        .sort((a, b) => (a.key.lane ?? -1) - (b.key.lane ?? -1));
      if (lanes.length === 0) throw new NotExplainable(`${where(ctx)} has no baseline comparison (no baseline for this chart)`);
      const adjusted = reason?.message.match(/adjusted p = ([^ ]+) \(([^)]*)\)/);
      const f = ctx.result.family;
      const test = storedTest(
        reason,
        'Satterthwaite',
        reason
          ? 'ν = Satterthwaite from the baseline’s between-lot part; this result was evaluated before lotqa kept the df in the LotResult (re-evaluate the lot to see it)'
          : 'ν = Satterthwaite from the baseline’s between-lot part; kept only for the tests that held the lot',
      );
      return {
        result: reason
          ? `θ̂ = ${n(reason.value, 4)} σ against δ = ${n(reason.threshold)} σ; ${adjusted ? `adjusted p = ${adjusted[1]}` : ''}`
          : `this test did not hold the lot here (its p-value is above α after adjustment; the LotResult keeps only the reasons)`,
        inputs: [
          ...lanes.map((c) => ({
            symbol: `Δ_${c.key.lane === null ? 'module' : laneName(ctx.naming, c.key.lane)}`,
            meaning: `lane ${c.key.lane === null ? 'module' : laneName(ctx.naming, c.key.lane)}: (x̄ − μ₀)/σ₀`,
            value: n(c.consistency!.meanShiftSigma, 4),
          })),
          ...(reason ? [{ symbol: 'δ', meaning: 'practical margin (policy)', value: n(reason.threshold) }] : []),
          ...test.inputs,
          { symbol: 'family', meaning: 'tests corrected together', value: `${f.tests} tests, ${f.correction}, α = ${f.alpha}` },
        ],
        degreesOfFreedom: test.df,
        notes: [...(reason ? [reason.message] : []), ...scaleNote(ctx)],
      };
    },
  };
}

const ENTRIES: Record<StatisticKind, Entry> = {
  cpk: capabilityEntry('cpk'),
  ppk: capabilityEntry('ppk'),
  'lot-shift': shiftEntry('lot-shift'),
  'lane-shift': shiftEntry('lane-shift'),
  'control-limits': {
    title: 'Individuals (I-MR) control limits',
    formula: [
      'UCL, LCL = centre ± 3·σ̂,  σ̂ = MR̄/d₂ (phase I: the lot itself) or the frozen baseline σ (phase II)',
      'MR chart: centre MR̄, UCL = D₄·MR̄ = 3.267·MR̄',
    ],
    references: [
      'NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2.2 "Individuals control charts"',
      'Montgomery, Introduction to Statistical Quality Control, §6.4 (d₂ = 1.128, D₄ = 3.267 for n = 2)',
    ],
    verifiedBy: 'tests/spc/charts/variables-charts.test.ts (Montgomery Example 6.5, I-MR chart of Tables 6.6/6.7)',
    fill(ctx) {
      const c = ctx.cell.chart;
      if (!c) throw new NotExplainable(`${where(ctx)} has no control chart (too few exact readings)`);
      return {
        result: `centre ${n(c.centre)}, LCL ${n(c.lcl)}, UCL ${n(c.ucl)}`,
        inputs: [
          { symbol: 'centre', meaning: c.phase === 'phase-2' ? 'baseline centre' : 'mean of the lot', value: n(c.centre) },
          { symbol: 'σ̂', meaning: `σ estimate (${c.estimator})`, value: n(c.sigma) },
          { symbol: 'L', meaning: 'sigmas to the limits', value: '3' },
          { symbol: 'MR̄', meaning: 'mean moving range of 2', value: n(c.movingRange.centre) },
          { symbol: 'UCL_MR', meaning: 'moving-range upper limit', value: n(c.movingRange.ucl) },
          {
            symbol: 'points',
            meaning: 'final attempts plotted (censored left off)',
            value: `${c.points.length} (${c.censoredOmitted} censored)`,
          },
          { symbol: 'rules', meaning: 'run-rule set', value: c.ruleSet },
        ],
        degreesOfFreedom: 'none: the limits are ±3σ̂ (a fixed multiple), not a t or χ² quantile',
        notes: [`Phase: ${c.phase}.`, ...scaleNote(ctx)],
      };
    },
  },
  'mean-shift': {
    title: "Lot mean against the baseline (Welch's t)",
    formula: [
      'shift = (x̄ − μ_b)/σ_b (in baseline unit σ)',
      't = (x̄ − μ_b)/√(s²/n + σ_b²/n_b),  ν = Welch–Satterthwaite,  p = 2·P(T_ν ≥ |t|)',
    ],
    references: [
      'NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.5.3 "Two-sample t-test for equal means"',
      'Welch, B. L. (1947), Biometrika 34, 28–35',
    ],
    verifiedBy: 'tests/spc/consistency/two-sample.test.ts (NIST AUTO83B worked example)',
    fill(ctx) {
      const k = ctx.cell.consistency;
      if (!k) throw new NotExplainable(`${where(ctx)} has no baseline comparison (no baseline for this chart, or too few readings)`);
      const m = meanInterval(ctx.cell.chart?.points ?? []);
      return {
        result: `shift ${n(k.meanShiftSigma, 4)} σ; Welch t = ${n(k.welch?.statistic, 4)}, p = ${p(k.meanShiftP)}`,
        inputs: [
          { symbol: 'x̄', meaning: 'lot mean (chart points)', value: n(m?.mean) },
          { symbol: 's', meaning: 'lot SD', value: n(m?.sd) },
          { symbol: 'n', meaning: 'lot readings', value: String(m?.n ?? '—') },
          { symbol: 'μ_b', meaning: 'baseline mean', value: n(k.baselineMean) },
          { symbol: 'σ_b', meaning: 'baseline unit-to-unit σ', value: n(k.baselineSigma) },
          { symbol: 'z', meaning: 'shift against the baseline lot-mean distribution', value: n(k.meanShiftZ, 4) },
        ],
        degreesOfFreedom: `ν = ${n(k.welch?.df?.[0], 5)} (Welch–Satterthwaite)`,
        notes: [
          "A HOLD reason's p-value is the policy's minimum-effect test (the shift beyond the allowed σ), adjusted for the family of tests as its message says; this is the plain two-sided test of no shift.",
          ...scaleNote(ctx),
        ],
      };
    },
  },
  'variance-ratio': {
    title: 'Lot variance against the baseline (F test)',
    formula: ['F = s² / σ_b²,  p = P(F_{n−1, ν_b} ≥ F) (lot larger)'],
    references: ['NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.5.9 "F-test for equality of two variances"'],
    verifiedBy: 'tests/spc/consistency/two-sample.test.ts (NIST JAHANMI2 worked example)',
    fill(ctx) {
      const k = ctx.cell.consistency;
      if (!k?.fTest) throw new NotExplainable(`${where(ctx)} has no variance comparison with a baseline`);
      const c = ctx.cell.key;
      const spread = ctx.result.proposal.reasons.find(
        (r) => r.code === 'spread-increase' && r.parameter === c.parameter && r.corner === c.corner && (r.lane ?? null) === c.lane,
      );
      const test = storedTest(spread, 'F', '');
      return {
        result: `variance ratio ${n(k.varianceRatio, 4)}, p (lot larger) = ${p(k.varianceP)}`,
        inputs: [
          { symbol: 'F', meaning: 'ratio of variances', value: n(k.fTest.statistic, 5) },
          { symbol: 'σ_b', meaning: 'baseline unit-to-unit σ', value: n(k.baselineSigma) },
          { symbol: 'p₂', meaning: 'two-sided p', value: p(k.fTest.p) },
          ...test.inputs,
        ],
        degreesOfFreedom: `ν₁ = ${n(k.fTest.df?.[0])}, ν₂ = ${n(k.fTest.df?.[1])}`,
        notes: [...(spread ? [spread.message] : []), ...scaleNote(ctx)],
      };
    },
  },
  'station-shift': {
    title: 'A station against the other stations',
    formula: [
      'per unit ū = mean over lanes of (reading / within-lot σ of the lane)',
      'd = ū_station − ū_others (in σ);  SE = √(s²_s/n_s + s²_o/n_o) (Welch);  minimum-effect t test of |d| ≤ margin',
    ],
    references: [
      'NIST/SEMATECH e-Handbook of Statistical Methods, 1.3.5.3 (two-sample t, unequal variances)',
      'Welch, B. L. (1947), Biometrika 34, 28–35',
    ],
    verifiedBy: 'tests/evaluate/station-effects.test.ts (independent recomputation of the station means and Welch df)',
    fill(ctx) {
      const e = (ctx.result.stationEffects ?? []).find((x) => x.parameter === ctx.cell.key.parameter && x.corner === ctx.cell.key.corner);
      if (!e)
        throw new NotExplainable(
          `${ctx.cell.key.parameter} @ ${ctx.cell.key.corner} has no station comparison (not critical, or one station)`,
        );
      const s = e.stations.find((x) => x.station === ctx.station) ?? e.stations.find((x) => x.againstOthersSigma !== null) ?? e.stations[0];
      if (!s) throw new NotExplainable('no station was compared');
      const others = e.stations.filter((x) => x !== s).reduce((a, x) => a + x.units, 0);
      const reason = ctx.result.proposal.reasons.find(
        (r) => r.code === 'station-shift' && r.station === s.station && r.parameter === e.parameter && r.corner === e.corner,
      );
      const test = storedTest(
        reason,
        'Welch–Satterthwaite',
        reason
          ? 'ν = Welch–Satterthwaite from the two groups; this result was evaluated before lotqa kept the df in the LotResult (re-evaluate the lot to see it)'
          : 'ν = Welch–Satterthwaite from the two groups; kept only for the stations that held the lot',
      );
      return {
        result: `${s.station}: ${s.againstOthersSigma === null ? 'not compared (too few units)' : `${n(s.againstOthersSigma, 4)} σ against the others`}`,
        inputs: [
          { symbol: 'station', meaning: 'the station compared', value: s.station },
          { symbol: 'n_s', meaning: 'its units with every lane exact', value: String(s.units) },
          { symbol: 'n_o', meaning: 'units of the other stations', value: String(others) },
          { symbol: 'mean', meaning: "station's mean of the units' lane mean (parameter units)", value: n(s.mean) },
          {
            symbol: 'margin',
            meaning: 'shift allowed by the policy (σ)',
            value: reason ? n(reason.threshold) : 'see the policy (maxStationShiftSigma)',
          },
          ...test.inputs,
        ],
        degreesOfFreedom: test.df,
        notes: reason ? [reason.message] : [],
      };
    },
  },
  'lane-mean': {
    title: "A lane's lot mean and its confidence interval",
    formula: ['x̄ ± t₁₋α/₂,ₙ₋₁ · s/√n'],
    references: ['NIST/SEMATECH e-Handbook of Statistical Methods, 7.2.2.1 "Confidence interval approach" (mean, σ unknown)'],
    verifiedBy: 'tests/web/console-charts.test.ts (the interval against the published t table value t(0.975, 9) = 2.262157)',
    fill(ctx) {
      const m = meanInterval(ctx.cell.chart?.points ?? []);
      if (!m || m.t === null) throw new NotExplainable(`${where(ctx)} has fewer than 2 exact readings`);
      return {
        result: `x̄ = ${n(m.mean)}, 95 % interval ${n(m.low)} … ${n(m.high)}`,
        inputs: [
          { symbol: 'n', meaning: 'exact final readings', value: String(m.n) },
          { symbol: 'x̄', meaning: 'mean', value: n(m.mean) },
          { symbol: 's', meaning: 'sample SD (n − 1)', value: n(m.sd) },
          { symbol: 't', meaning: 't quantile, 0.975', value: n(m.t, 5) },
        ],
        degreesOfFreedom: `ν = n − 1 = ${m.n - 1}`,
        notes: scaleNote(ctx),
      };
    },
  },
  ewma: {
    title: 'Batch-to-batch EWMA of the standardised lot means',
    formula: [
      'z_i = (x̄_i − centre)/σ_pred (σ_pred from the baseline variance components, each between-lot variance at its upper (1 − β) χ² bound: s²·ν/χ²_β(ν))',
      'E_i = λ·z_i + (1 − λ)·E_{i−1}, E_0 = 0;  limits ±L·√(λ/(2 − λ)·(1 − (1 − λ)^{2i}))',
    ],
    references: [
      'NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2.4 "EWMA control charts"',
      'Lucas, J. M. & Saccucci, M. S. (1990), Technometrics 32(1), 1–12',
      'Montgomery, Introduction to Statistical Quality Control, §9.2',
    ],
    verifiedBy: 'tests/spc/charts/ewma-cusum.test.ts (Montgomery Example 9.2, Table 9.11) and tests/evaluate/lot-trend.test.ts',
    fill(ctx) {
      const { t, c } = trendOf(ctx);
      const i = c.ewma.length - 1;
      return {
        result: `EWMA ${n(c.ewma[i], 4)} at this lot, limit ±${n(c.ewmaLimit[i], 4)}; ${c.signals.filter((s) => s.chart === 'ewma').length ? 'signal' : 'no signal'}`,
        inputs: [
          { symbol: 'λ', meaning: 'smoothing weight (policy)', value: n(t.ewmaLambda) },
          { symbol: 'L', meaning: 'standard errors to the limits (policy)', value: n(t.ewmaL) },
          ...(t.phaseOneBeta !== undefined
            ? [
                {
                  symbol: 'β',
                  meaning: "phase I: the baseline's between-lot variances taken at their upper (1 − β) bound (policy)",
                  value: n(t.phaseOneBeta),
                },
              ]
            : []),
          { symbol: 'lots', meaning: 'lots on the chart (after the baseline)', value: String(c.lots.length) },
          { symbol: 'x̄', meaning: "this lot's mean", value: n(c.means[i]) },
          { symbol: 'z', meaning: "this lot's standardised mean", value: n(c.z[i], 4) },
        ],
        degreesOfFreedom: 'none: z is standardised by the predicted σ of a lot mean (normal reference)',
        notes: [`Trend action: ${t.action}.`],
      };
    },
  },
  cusum: {
    title: 'Batch-to-batch tabular CUSUM of the standardised lot means',
    formula: ['C⁺_i = max(0, z_i − k + C⁺_{i−1}),  C⁻_i = max(0, −z_i − k + C⁻_{i−1});  signal when C > h'],
    references: [
      'NIST/SEMATECH e-Handbook of Statistical Methods, 6.3.2.3 "CUSUM control charts"',
      'Montgomery, Introduction to Statistical Quality Control, §9.1 (Table 9.2)',
      'Page, E. S. (1954), Biometrika 41, 100–115',
    ],
    verifiedBy: 'tests/spc/charts/ewma-cusum.test.ts (Montgomery Table 9.2) and tests/evaluate/lot-trend.test.ts',
    fill(ctx) {
      const { t, c } = trendOf(ctx);
      const i = c.cusumUpper.length - 1;
      return {
        result: `C⁺ = ${n(c.cusumUpper[i], 4)}, C⁻ = ${n(c.cusumLower[i], 4)} against h = ${n(t.cusumH)}`,
        inputs: [
          { symbol: 'k', meaning: 'reference value (σ, policy)', value: n(t.cusumK) },
          { symbol: 'h', meaning: 'decision interval (σ, policy)', value: n(t.cusumH) },
          { symbol: 'lots', meaning: 'lots on the chart', value: String(c.lots.length) },
          { symbol: 'z', meaning: "this lot's standardised mean", value: n(c.z[i], 4) },
        ],
        degreesOfFreedom: 'none: z is standardised by the predicted σ of a lot mean (normal reference)',
        notes: [`Trend action: ${t.action}.`],
      };
    },
  },
};

function trendOf(ctx: StatisticContext) {
  const t = ctx.result.trend;
  const c = t?.charts.find(
    (x) => x.parameter === ctx.cell.key.parameter && x.corner === ctx.cell.key.corner && x.lane === ctx.cell.key.lane,
  );
  if (!t || !c || c.ewma.length === 0)
    throw new NotExplainable(`${where(ctx)} has no batch-to-batch trend chart (no baseline, not critical, or trend off)`);
  return { t, c };
}

/** The catalogue: formula, references and test of each statistic kind. */
export const STATISTICS: Readonly<Record<StatisticKind, Pick<Entry, 'title' | 'formula' | 'references' | 'verifiedBy'>>> = ENTRIES;

/** The explanation of `kind` in `ctx`; throws {@link NotExplainable} when the lot holds no such statistic there. */
export function explainStatistic(kind: StatisticKind, ctx: StatisticContext): Explanation {
  const e = ENTRIES[kind];
  return {
    statistic: kind,
    title: `${e.title} — ${where(ctx)}`,
    formula: e.formula,
    references: e.references,
    verifiedBy: e.verifiedBy,
    ...e.fill(ctx),
  };
}

/** The statistic a reason rests on, when the catalogue has it. */
export function reasonStatistic(r: Pick<Reason, 'code'>): StatisticKind | null {
  switch (r.code) {
    case 'capability-below':
    case 'capability-not-demonstrated':
      return 'cpk';
    case 'lot-shift':
      return 'lot-shift';
    case 'lane-shift':
      return 'lane-shift';
    case 'spread-increase':
      return 'variance-ratio';
    case 'station-shift':
      return 'station-shift';
    case 'run-rule':
      return 'control-limits';
    default:
      return r.code.startsWith('trend-') ? (r.code.includes('cusum') ? 'cusum' : 'ewma') : null;
  }
}

/** The page fragment that opens an explanation (CSP: no inline script; assets/explain.js handles it). */
export function explainUrl(
  lot: string,
  kind: StatisticKind,
  ref: { parameter: string; corner: string; lane: number | null },
  station?: string,
): string {
  return `/lots/${seg(lot)}/explain${query({ statistic: kind, parameter: ref.parameter, corner: ref.corner, lane: ref.lane === null ? 'module' : ref.lane, station })}`;
}

/** A "show the work" button for a reason, or nothing when its statistic is not in the catalogue. */
export function reasonExplainButton(lot: string, r: Reason): SafeHtml | '' {
  const kind = reasonStatistic(r);
  if (!kind || r.parameter === undefined || r.corner === undefined) return '';
  // A station shift is judged per parameter × corner over lanes (its reason has no lane): the explain
  // route takes any cell of the parameter × corner for it, so a per-module parameter is found too.
  return html` <button
    type="button"
    class="explain"
    data-explain="${explainUrl(lot, kind, { parameter: r.parameter, corner: r.corner, lane: r.lane ?? null }, r.station)}"
  >
    show the work
  </button>`;
}

/** The explanation as an HTML fragment for the dialog; every value escaped. */
export function explanationHtml(e: Explanation): SafeHtml {
  return html`<h2>${e.title}</h2>
    <p class="explain-result">${e.result}</p>
    <h3>Formula</h3>
    ${e.formula.map((f) => html`<p class="formula"><code>${f}</code></p>`)}
    <h3>Inputs</h3>
    <table class="explain-inputs">
      ${e.inputs.map(
        (i) =>
          html`<tr>
            <th><code>${i.symbol}</code></th>
            <td>${i.meaning}</td>
            <td class="n">${i.value}</td>
          </tr>`,
      )}
    </table>
    <p><strong>Degrees of freedom:</strong> ${e.degreesOfFreedom}</p>
    ${e.notes.map((x) => html`<p class="note">${x}</p>`)}
    <h3>Verified against</h3>
    <ul class="references">
      ${e.references.map((r) => html`<li>${r}</li>`)}
    </ul>
    <p class="meta">Checked by ${e.verifiedBy}.</p>`;
}
