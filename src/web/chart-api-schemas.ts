/**
 * @module The API contract of the analysis charts and the "show the work" explanations (TypeBox), listed
 * in the OpenAPI document with the other routes (re-exported by api-schemas.ts).
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { CapabilityView, TrendSeriesFields, TrendSettingsFields } from '../domain/lot-result.js';
import { STATISTIC_KINDS } from './statistic-explanations.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const Num = Type.Number();
const NumOrNull = Nullable(Type.Number());

export const ChartKindParams = Type.Object(
  {
    lot: Type.String({ minLength: 1, maxLength: 200 }),
    kind: Type.String({ minLength: 1, maxLength: 40, description: 'lanes | histogram | stations | trend (anything else: 404)' }),
  },
  { additionalProperties: false },
);

export const CellQuery = Type.Object(
  {
    parameter: Type.String({ minLength: 1, maxLength: 200 }),
    corner: Type.String({ minLength: 1, maxLength: 200 }),
    lane: Type.String({ pattern: '^(module|[0-9]{1,3})$', description: '0-based lane index, or "module"' }),
  },
  { additionalProperties: false },
);

export const ExplainQuery = Type.Object(
  {
    statistic: Type.Union(STATISTIC_KINDS.map((s) => Type.Literal(s))),
    parameter: Type.String({ minLength: 1, maxLength: 200 }),
    corner: Type.String({ minLength: 1, maxLength: 200 }),
    lane: Type.String({ pattern: '^(module|[0-9]{1,3})$', description: '0-based lane index, or "module"' }),
    station: Type.Optional(Type.String({ maxLength: 200, description: 'for station-shift: the station' })),
  },
  { additionalProperties: false },
);

const Head = {
  lot: Type.String(),
  revision: Type.Integer(),
  parameter: Type.String(),
  corner: Type.String(),
  name: Type.String(),
  unit: Type.String(),
  scale: Type.Union([Type.Literal('linear'), Type.Literal('log10')]),
};

const Interval = { n: Type.Integer(), mean: Num, low: NumOrNull, high: NumOrNull };

/** One of the four analysis charts, told apart by `kind`. */
export const AnalysisChartResponse = Type.Union([
  Type.Object({
    ...Head,
    kind: Type.Literal('lanes'),
    confidence: Num,
    baselineVersion: Nullable(Type.Integer()),
    lanes: Type.Array(
      Type.Object({
        ...Interval,
        lane: Nullable(Type.Integer()),
        laneName: Type.String(),
        sd: NumOrNull,
        baselineMean: NumOrNull,
        baselineSigma: NumOrNull,
        meanShiftSigma: NumOrNull,
        meanShiftP: NumOrNull,
        signals: Type.Integer(),
      }),
    ),
  }),
  Type.Object({
    ...Head,
    kind: Type.Literal('histogram'),
    edges: Type.Array(Num),
    counts: Type.Array(Type.Integer()),
    lsl: NumOrNull,
    usl: NumOrNull,
    target: NumOrNull,
    capability: Nullable(
      Type.Pick(CapabilityView, [
        'n',
        'confidence',
        'cpk',
        'cpkLower',
        'cpkUpper',
        'ppk',
        'cp',
        'pp',
        'sigmaWithin',
        'sigmaOverall',
        'governing',
        'judgedBy',
        'judgedCpk',
        'judgedCpkLower',
      ]),
    ),
  }),
  Type.Object({
    ...Head,
    kind: Type.Literal('stations'),
    lane: Nullable(Type.Integer()),
    laneName: Type.String(),
    confidence: Num,
    stations: Type.Array(Type.Object({ ...Interval, station: Type.String(), againstOthersSigma: NumOrNull, held: Type.Boolean() })),
  }),
  Type.Object({
    ...Head,
    kind: Type.Literal('trend'),
    lane: Nullable(Type.Integer()),
    laneName: Type.String(),
    ...TrendSettingsFields,
    ...TrendSeriesFields,
  }),
]);

export const ExplanationResponse = Type.Object({
  statistic: Type.String(),
  title: Type.String(),
  result: Type.String(),
  formula: Type.Array(Type.String()),
  inputs: Type.Array(Type.Object({ symbol: Type.String(), meaning: Type.String(), value: Type.String() })),
  degreesOfFreedom: Type.String(),
  references: Type.Array(Type.String()),
  verifiedBy: Type.String(),
  notes: Type.Array(Type.String()),
});
