/**
 * @module AcceptancePolicy — how a lot is judged: conformance (100 % test or a sampling plan), capability,
 * run rules, lot-to-lot consistency, yields and sign-off. The TypeBox schema below is the single source of
 * truth: `schemas/acceptance-policy.schema.json` is generated from it (`npm run schemas`, with every other
 * schema) and a test fails when the two drift.
 *
 * Every section may carry a `comment` string so a shipped policy can explain each number in place
 * (JSON has no comments).
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';

/** A string enum emitted as `{"enum": [...]}`, so validation errors list the allowed values once. */
function StringEnum<const T extends readonly string[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    ...options,
  });
}

/** A number enum emitted as `{"enum": [...]}`. */
function NumberEnum<const T extends readonly number[]>(values: T, options: { description?: string } = {}) {
  return Type.Unsafe<T[number]>({
    type: 'number',
    enum: [...values],
    ...options,
  });
}

const Comment = Type.Optional(
  Type.String({
    description: 'Why these numbers: free text for the people who maintain the policy',
  }),
);
const Identifier = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

/** Preferred AQL values (percent nonconforming) of ANSI/ASQ Z1.4 / ISO 2859-1 up to 10 %. */
export const PREFERRED_AQLS = [0.01, 0.015, 0.025, 0.04, 0.065, 0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10] as const;
export type PreferredAql = (typeof PREFERRED_AQLS)[number];

/** Z1.9 tabulates AQL 0.10 … 10 only. */
export const VARIABLES_AQLS = [0.1, 0.15, 0.25, 0.4, 0.65, 1, 1.5, 2.5, 4, 6.5, 10] as const;

export const INSPECTION_LEVELS = ['S-1', 'S-2', 'S-3', 'S-4', 'I', 'II', 'III'] as const;
export type InspectionLevel = (typeof INSPECTION_LEVELS)[number];

export const SEVERITIES = ['normal', 'tightened', 'reduced'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const HundredPercentConformance = Type.Object(
  {
    mode: Type.Literal('100-percent'),
    comment: Comment,
  },
  {
    additionalProperties: false,
    description: "Every unit is tested; every unit's final attempt must be within limits (first-pass yield is judged separately)",
  },
);

export const AttributesConformance = Type.Object(
  {
    mode: Type.Literal('attributes'),
    standard: StringEnum(['ANSI/ASQ Z1.4', 'ISO 2859-1'] as const),
    aql: NumberEnum(PREFERRED_AQLS, {
      description: 'Acceptance quality limit, percent nonconforming (Z1.4 preferred values 0.010–10)',
    }),
    inspectionLevel: StringEnum(INSPECTION_LEVELS),
    startSeverity: Type.Optional(
      StringEnum(SEVERITIES, {
        description: 'Severity of the first lot; normal unless stated',
      }),
    ),
    /**
     * Z1.4-2003 makes reduced inspection a choice of the responsible authority. false keeps the product on
     * normal/tightened only.
     */
    allowReduced: Type.Optional(
      Type.Boolean({
        description: 'Whether the switching rules may move to reduced inspection (default false)',
      }),
    ),
    comment: Comment,
  },
  {
    additionalProperties: false,
    description: 'Single sampling by attributes (MIL-STD-105E tables) with switching rules',
  },
);

export const VariablesConformance = Type.Object(
  {
    mode: Type.Literal('variables'),
    standard: Type.Literal('ANSI/ASQ Z1.9'),
    method: Type.Literal('s', {
      description: 'Variability unknown, standard-deviation method',
    }),
    form: StringEnum(['k', 'M'] as const, {
      description: 'k: accept when Q ≥ k; M: accept when the estimated percent nonconforming ≤ M',
    }),
    aql: NumberEnum(VARIABLES_AQLS, {
      description: 'Acceptance quality limit, percent nonconforming',
    }),
    inspectionLevel: StringEnum(['S-3', 'S-4', 'I', 'II', 'III'] as const),
    parameters: Type.Array(Identifier, {
      minItems: 1,
      uniqueItems: true,
      description: 'Product-spec parameter ids judged by this plan (one plan per characteristic)',
    }),
    /** The Z1.9 k and M tables are not verified in lotqa; these come from the purchased standard. */
    sampleSize: Type.Optional(
      Type.Integer({
        minimum: 3,
        description: 'n from Z1.9 (s method); looked up from Table A-2 when absent',
      }),
    ),
    k: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'Acceptability constant k from Z1.9 Table B-1 (form k)',
      }),
    ),
    mPercent: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        maximum: 50,
        description: 'Maximum allowable percent nonconforming M from Z1.9 Table B-3 (form M), in percent',
      }),
    ),
    comment: Comment,
  },
  {
    additionalProperties: false,
    description: 'Variables sampling, ANSI/ASQ Z1.9 standard-deviation method',
  },
);

export const ZeroAcceptanceConformance = Type.Object(
  {
    mode: Type.Literal('c0'),
    index: NumberEnum(PREFERRED_AQLS, {
      description: 'Index value (the AQL-like column of the c = 0 table)',
    }),
    sampleSize: Type.Optional(
      Type.Integer({
        minimum: 1,
        description: 'n from the c = 0 table of the purchased book; required where lotqa has no verified cell',
      }),
    ),
    comment: Comment,
  },
  {
    additionalProperties: false,
    description: 'Zero acceptance number plans (Squeglia): accept on 0 nonconforming, reject on 1',
  },
);

export const Conformance = Type.Union([HundredPercentConformance, AttributesConformance, VariablesConformance, ZeroAcceptanceConformance]);
export type Conformance = Static<typeof Conformance>;

export const CapabilityRule = Type.Object(
  {
    statistic: StringEnum(['cpk-lower-bound', 'cpk', 'ppk'] as const, {
      description: 'cpk-lower-bound: one-sided lower confidence bound of Cpk (Bissell) — the honest choice for small lots',
    }),
    minimum: Type.Number({ exclusiveMinimum: 0, description: 'e.g. 1.33' }),
    judge: Type.Optional(
      StringEnum(['evidence-below', 'demonstrate'] as const, {
        description:
          "evidence-below (default): act when the lot shows capability is below the minimum (one test in the lot's corrected family); demonstrate: act unless every critical chart's lower confidence bound reaches the minimum (strict: small lots of a Cpk 1.5 process often cannot)",
      }),
    ),
    confidence: Type.Number({
      minimum: 0.5,
      exclusiveMaximum: 1,
      description: 'Confidence of the lower bound, e.g. 0.95',
    }),
    nonNormal: Type.Optional(
      StringEnum(['normal-theory', 'box-cox'] as const, {
        description:
          'How Cpk is judged on a chart whose readings are clearly non-normal (Anderson–Darling p < 0.01): normal-theory (default) keeps mean ± 3σ; box-cox judges the lower limit of right-skewed readings on the Box–Cox scale of their distance from the estimated lower bound (λ by maximum likelihood), when that scale is normal — a bounded, skewed parameter is then not held for a tail below its bound that it cannot have; the long upper tail keeps normal theory',
      }),
    ),
    minSampleSize: Type.Integer({
      minimum: 2,
      description: 'Below this many units the index is reported but not judged',
    }),
    action: StringEnum(['HOLD', 'REJECT'] as const),
    comment: Comment,
  },
  { additionalProperties: false },
);
export type CapabilityRule = Static<typeof CapabilityRule>;

export const CapabilityPolicy = Type.Object(
  {
    appliesTo: Type.Literal('critical', {
      description: 'Capability is judged for critical parameters',
    }),
    default: CapabilityRule,
    parameters: Type.Optional(
      Type.Record(Identifier, CapabilityRule, {
        description: 'Overrides per parameter id',
      }),
    ),
    comment: Comment,
  },
  { additionalProperties: false },
);

export const RunRulesPolicy = Type.Object(
  {
    ruleSet: StringEnum(['nelson', 'western-electric'] as const),
    rules: Type.Array(Type.Integer({ minimum: 1, maximum: 8 }), {
      minItems: 1,
      uniqueItems: true,
    }),
    unitSignals: Type.Literal('investigate', {
      description: 'Unit-level run-rule signals go to the investigation list; they never hold a lot by themselves',
    }),
    lotHolds: Type.Literal('corrected-lot-tests-only', {
      description: 'A lot is held only through the multiplicity-corrected lot-level consistency tests',
    }),
    comment: Comment,
  },
  { additionalProperties: false },
);

/** What happens to a unit that is in spec but outside the PAT limits (AEC-Q001 screens such units out). */
export const PAT_OUTLIER_ACTIONS = ['exclude-units', 'hold-lot', 'report-only'] as const;
export type PatOutlierAction = (typeof PAT_OUTLIER_ACTIONS)[number];

export const PatPolicy = Type.Object(
  {
    k: Type.Number({
      exclusiveMinimum: 0,
      description: 'PAT limits = median ± k·robust sigma (AEC-Q001 uses 6)',
    }),
    maxOutlierShare: Type.Number({
      minimum: 0,
      maximum: 1,
      description: 'Largest share of PAT outliers a lot may have',
    }),
    action: StringEnum(['HOLD', 'REJECT'] as const, {
      description: 'What happens to the lot when the share of PAT outlier units exceeds maxOutlierShare',
    }),
    outlierAction: Type.Optional(
      StringEnum(PAT_OUTLIER_ACTIONS, {
        description:
          'What happens to each PAT outlier unit (in spec, outside the PAT limits): exclude-units = not certified, the certified quantity says so; hold-lot = any outlier holds the lot for an engineer; report-only = listed in the reports and certified with the lot, and the certificate says so. Default report-only',
      }),
    ),
    comment: Comment,
  },
  { additionalProperties: false },
);

/** The policy's PAT outlier action; report-only when the policy predates the setting. */
export function patOutlierAction(policy: Pick<AcceptancePolicy, 'consistency'>): PatOutlierAction {
  return policy.consistency.pat.outlierAction ?? 'report-only';
}

/**
 * The lane margin (minimum practical lane shift, in baseline σ) for a baseline of `baselineLots` lots: the
 * `maxLaneShiftSigmaByBaselineLots` entry with the largest `fromBaselineLots` ≤ the lots, else
 * `maxLaneShiftSigma`, else `maxMeanShiftSigma`. Without a baseline (null) the policy's flat margin.
 */
export function laneShiftMargin(policy: Pick<AcceptancePolicy, 'consistency'>, baselineLots: number | null): number {
  const c = policy.consistency;
  let best: { fromBaselineLots: number; maxLaneShiftSigma: number } | null = null;
  if (baselineLots !== null)
    for (const e of c.maxLaneShiftSigmaByBaselineLots ?? [])
      if (e.fromBaselineLots <= baselineLots && (best === null || e.fromBaselineLots > best.fromBaselineLots)) best = e;
  return best?.maxLaneShiftSigma ?? c.maxLaneShiftSigma ?? c.maxMeanShiftSigma;
}

export const ConsistencyPolicy = Type.Object(
  {
    alpha: Type.Number({
      exclusiveMinimum: 0,
      exclusiveMaximum: 1,
      description: 'Family-wise error rate over all lot-level tests of a lot',
    }),
    correction: StringEnum(['holm', 'bonferroni', 'benjamini-hochberg'] as const),
    maxMeanShiftSigma: Type.Number({
      exclusiveMinimum: 0,
      description:
        'Practical significance: hold only when a shift is significant after correction AND larger than this many baseline sigmas',
    }),
    maxLaneShiftSigma: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description:
          'Practical significance for one lane moving against the other lanes of the same lot, in baseline sigmas (default: maxMeanShiftSigma)',
      }),
    ),
    maxLaneShiftSigmaByBaselineLots: Type.Optional(
      Type.Array(
        Type.Object(
          {
            fromBaselineLots: Type.Integer({ minimum: 1, description: 'Smallest number of baseline lots this margin applies from' }),
            maxLaneShiftSigma: Type.Number({ exclusiveMinimum: 0, description: 'The lane margin, in baseline sigmas' }),
          },
          { additionalProperties: false },
        ),
        {
          description:
            "The lane margin by baseline size: the entry with the largest fromBaselineLots not above the baseline's lot count replaces maxLaneShiftSigma (a baseline with fewer lots than every entry keeps maxLaneShiftSigma). The margin covers what the baseline's estimates of the lane means and the lane x lot variance leave uncertain, which shrinks as the baseline has more lots",
        },
      ),
    ),
    laneAcrossCornersAlphaShare: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          'Share of the family alpha given to the lane tests on lane contrasts averaged over corners (one per parameter x lane; a lane lot offset moves every corner); the rest goes to every other lot-level test, Holm within each group. 0 leaves the across-corners lane tests out (default 0.5)',
      }),
    ),
    laneLotPooling: Type.Optional(
      StringEnum(['parameter', 'homogeneous-parameters', 'moderated'] as const, {
        description:
          "Where the across-corners lane tests take the lane x lot variance from: parameter = each parameter's own estimate ((lots-1)(lanes-1) df); homogeneous-parameters = pooled over the product's measured lane parameters whose estimates Bartlett's test at 0.1 finds homogeneous, less any moving more than the others by a one-sided F test at 0.2, and only when each has at least 20 df of its own (the baseline records which, with the pooled df); a parameter left out keeps its own; moderated = each parameter's own estimate moderated towards the others' by empirical Bayes (Smyth 2004 squeezeVar: prior df d0 and scale s0^2 fitted to the measured lane parameters' mean squares, posterior (d0 s0^2 + d s^2)/(d0 + d) with d0 + d df), at any number of baseline lots (default moderated)",
      }),
    ),
    baselineMaxExcludedShare: Type.Optional(
      Type.Number({
        minimum: 0,
        maximum: 1,
        description:
          "Largest share of the baseline lots' units a baseline may exclude (nonconforming or excluded with a cause) before it is refused as not showing the qualified process (default 0.2)",
      }),
    ),
    maxStationShiftSigma: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description:
          'Practical significance for one test station reading a critical parameter off against the other stations of the same lot, in within-lot sigmas (default: maxMeanShiftSigma)',
      }),
    ),
    maxVarianceRatio: Type.Number({
      exclusiveMinimum: 1,
      description: 'Practical significance for spread: s²(lot)/s²(baseline)',
    }),
    equivalenceMargin: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        description: 'TOST margin in baseline sigmas, if equivalence is to be shown',
      }),
    ),
    pat: PatPolicy,
    comment: Comment,
  },
  { additionalProperties: false },
);

export const YieldPolicy = Type.Object(
  {
    firstPassYieldMin: Type.Number({ minimum: 0, maximum: 1 }),
    finalYieldMin: Type.Number({ minimum: 0, maximum: 1 }),
    comment: Comment,
  },
  { additionalProperties: false },
);

export const SignOffPolicy = Type.Object(
  {
    automaticSigner: Type.String({
      minLength: 1,
      description: 'Name recorded as signer of automatic decisions',
    }),
    policyName: Type.String({
      minLength: 1,
      description: 'Name printed on certificates',
    }),
    requireDeviationReasonToAcceptFailures: Type.Literal(true, {
      description: 'Accepting a lot that failed any check needs a written deviation reason',
    }),
    twoPersonRule: Type.Optional(
      Type.Boolean({
        description:
          "An engineer's decision on a held lot needs the electronic signatures of two different approvers (the first proposes, the second confirms)",
      }),
    ),
    baselineApproval: Type.Optional(
      Type.Union([Type.Literal('required'), Type.Literal('none')], {
        description:
          'required: a new SPC baseline is proposed and used only once an approver signs it (two approvers under twoPersonRule); none (default): it is active when built',
      }),
    ),
    comment: Comment,
  },
  { additionalProperties: false },
);

export const TREND_ACTIONS = ['hold', 'warn', 'off'] as const;
export type TrendAction = (typeof TREND_ACTIONS)[number];

/**
 * Batch-to-batch trend of lot means on EWMA and CUSUM charts (src/evaluate/lot-trend.ts). Defaults chosen by
 * simulation (bench/trend-run-length.ts): the limits are wide because the phase I centre and σ come from
 * only 5–10 baseline lots, whose error every later lot shares; for the same reason phase I takes the upper
 * (1 − β) chi-square bound of each between-lot variance, β = 0.25, the largest β tried that kept a healthy
 * product of 24 parameter × corner groups on a 5-lot baseline under 1 signalling lot in 100 (0.45 %; 0.88 %
 * at β = 0.3, 7.4 % without the bound); on a 10-lot baseline none of 3 750 product lots signalled. The
 * price is a slower catch of a 0.1σ/lot drift: a median of 10 lots instead of 8 on a 5-lot baseline, 9
 * instead of 8 on a 10-lot one. The default action stays `warn` (simulated normal components only).
 */
export const TrendPolicy = Type.Object(
  {
    action: StringEnum(TREND_ACTIONS),
    ewmaLambda: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1, description: 'EWMA λ (default 0.25)' })),
    ewmaL: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'EWMA limits in standard errors (default 6.5)' })),
    cusumK: Type.Optional(Type.Number({ minimum: 0, description: 'CUSUM reference value k in σ of a lot mean (default 1.5)' })),
    cusumH: Type.Optional(Type.Number({ exclusiveMinimum: 0, description: 'CUSUM decision interval h in σ of a lot mean (default 9)' })),
    phaseOneBeta: Type.Optional(
      Type.Number({
        exclusiveMinimum: 0,
        exclusiveMaximum: 1,
        description:
          "β of the upper (1 − β) chi-square bound that replaces phase I's between-lot variances, so an underestimate from few baseline lots does not make a healthy history signal (default 0.25)",
      }),
    ),
    comment: Comment,
  },
  { additionalProperties: false },
);
export type TrendPolicy = Static<typeof TrendPolicy>;

export const TREND_DEFAULTS = { action: 'warn', ewmaLambda: 0.25, ewmaL: 6.5, cusumK: 1.5, cusumH: 9, phaseOneBeta: 0.25 } as const;

/** The policy's trend settings with defaults filled in (`warn` when the policy has no `trend`). */
export function trendSettings(policy: Pick<AcceptancePolicy, 'trend'>): Required<Omit<TrendPolicy, 'comment'>> {
  const t = policy.trend;
  return {
    action: t?.action ?? TREND_DEFAULTS.action,
    ewmaLambda: t?.ewmaLambda ?? TREND_DEFAULTS.ewmaLambda,
    ewmaL: t?.ewmaL ?? TREND_DEFAULTS.ewmaL,
    cusumK: t?.cusumK ?? TREND_DEFAULTS.cusumK,
    cusumH: t?.cusumH ?? TREND_DEFAULTS.cusumH,
    phaseOneBeta: t?.phaseOneBeta ?? TREND_DEFAULTS.phaseOneBeta,
  };
}

export const AcceptancePolicy = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    kind: Type.Literal('lotqa/acceptance-policy'),
    version: Type.String({
      minLength: 1,
      description: 'Policy revision, recorded with every decision',
    }),
    id: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 64 }),
    description: Type.Optional(Type.String()),
    conformance: Conformance,
    capability: CapabilityPolicy,
    runRules: RunRulesPolicy,
    consistency: ConsistencyPolicy,
    yield: YieldPolicy,
    signOff: SignOffPolicy,
    trend: Type.Optional(TrendPolicy),
  },
  {
    additionalProperties: false,
    $id: 'https://lotqa.dev/schemas/acceptance-policy.schema.json',
    title: 'lotqa acceptance policy',
  },
);
export type AcceptancePolicy = Static<typeof AcceptancePolicy>;

/** The conformance branches by `mode`, for precise validation messages. */
export const CONFORMANCE_BY_MODE: Readonly<Record<Conformance['mode'], TSchema>> = {
  '100-percent': HundredPercentConformance,
  attributes: AttributesConformance,
  variables: VariablesConformance,
  c0: ZeroAcceptanceConformance,
};
