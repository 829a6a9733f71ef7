/**
 * @module ProductSpec — what a product is tested for: lanes, temperature corners, parameters and
 * their limits. The TypeBox schema below is the single source of truth: `schemas/product-spec.schema.json`
 * is generated from it (`npm run schemas`) and a test fails when the two drift.
 */
import { Type, type Static } from '@sinclair/typebox';

/** Canonical units lotqa stores. Station units (mW, µW, mA, °F…) are converted to these at ingest. */
export const CanonicalUnit = Type.Union(
  [
    Type.Literal('dBm'),
    Type.Literal('dB'),
    Type.Literal('dB/Hz'),
    Type.Literal('nm'),
    Type.Literal('ps'),
    Type.Literal('W'),
    Type.Literal('A'),
    Type.Literal('V'),
    Type.Literal('degC'),
    Type.Literal('ratio'),
    Type.Literal('%'),
  ],
  { $id: 'CanonicalUnit', description: 'Canonical unit of a stored measurement' },
);
export type CanonicalUnit = Static<typeof CanonicalUnit>;

const Identifier = Type.String({ pattern: '^[a-z][a-z0-9_]*$', maxLength: 64 });

/**
 * A limit is a constant or an expression over other measurements of the same unit, lane and corner
 * (e.g. `max(-4.6, rx_secq - 6.0)`, `if(tx_er >= 5, -2.2, -1.9)`). Expressions are parsed by
 * `src/domain/limit-expression.ts` — never evaluated as JavaScript.
 */
export const Limit = Type.Union(
  [Type.Number(), Type.Object({ expr: Type.String({ minLength: 1, maxLength: 500 }) }, { additionalProperties: false })],
  { title: 'number or {expr}', description: 'A constant, or {"expr": "..."} over same-lane, same-corner parameter ids' },
);
export type Limit = Static<typeof Limit>;

/** How much to trust a limit, as tagged in shared/domain/transceiver-test.md. */
export const Provenance = Type.Union(
  [Type.Literal('verified'), Type.Literal('derived'), Type.Literal('unverified'), Type.Literal('illustrative')],
  {
    description: 'verified = read in the cited source; derived = arithmetic from verified values; unverified; illustrative = demo default',
  },
);

export const LimitOverride = Type.Object(
  {
    lanes: Type.Optional(Type.Array(Type.Integer({ minimum: 0 }), { minItems: 1 })),
    corners: Type.Optional(Type.Array(Identifier, { minItems: 1 })),
    lsl: Type.Optional(Limit),
    usl: Type.Optional(Limit),
    target: Type.Optional(Type.Number()),
  },
  { additionalProperties: false, description: 'Limits that differ for some lanes or corners (e.g. CWDM wavelength windows per lane)' },
);
export type LimitOverride = Static<typeof LimitOverride>;

export const ChartKind = Type.Union([
  Type.Literal('imr'),
  Type.Literal('xbar-r'),
  Type.Literal('xbar-s'),
  Type.Literal('ewma'),
  Type.Literal('cusum'),
]);
export type ChartKind = Static<typeof ChartKind>;

export const ParameterSpec = Type.Object(
  {
    id: Identifier,
    name: Type.String({ minLength: 1 }),
    unit: CanonicalUnit,
    scope: Type.Union([Type.Literal('lane'), Type.Literal('module')]),
    /** Corners at which the parameter is measured; all corners of the product when absent. */
    corners: Type.Optional(Type.Array(Identifier, { minItems: 1 })),
    lsl: Type.Optional(Limit),
    usl: Type.Optional(Limit),
    target: Type.Optional(Type.Number()),
    overrides: Type.Optional(Type.Array(LimitOverride)),
    /** A derived parameter is computed from others of the same lane and corner, never read from a CSV. */
    derived: Type.Optional(Type.String({ minLength: 1, maxLength: 500 })),
    /** Values outside this range cannot be physical readings: they are quarantined at ingest. */
    physicalRange: Type.Optional(Type.Object({ min: Type.Number(), max: Type.Number() }, { additionalProperties: false })),
    /**
     * Scale SPC works on: 'log10' for parameters that live on a log scale (pre-FEC BER: 1e-8 … 1e-4),
     * so charts, capability, consistency and PAT see a near-normal quantity. Limits are judged on the raw value.
     */
    spcScale: Type.Optional(Type.Union([Type.Literal('linear'), Type.Literal('log10')])),
    critical: Type.Boolean(),
    /** The min limit is informative only (e.g. average launch power): reported, not judged. */
    informativeLsl: Type.Optional(Type.Boolean()),
    chart: Type.Optional(ChartKind),
    /**
     * Resolution the station reports the parameter in, as decimals after the point (wavelength 0.01 nm →
     * 2): values and statistics are printed with exactly this many decimals on both reports, so 1317.50 nm
     * never shows as "1318". Absent: 4 significant digits.
     */
    decimals: Type.Optional(
      Type.Integer({
        minimum: 0,
        maximum: 9,
        description: 'Decimals the parameter is reported in (0.01 nm → 2); values print with exactly these',
      }),
    ),
    /** Show Cpk for this parameter on the customer's certificate. */
    showCpkOnCertificate: Type.Optional(Type.Boolean()),
    source: Type.String({ minLength: 1, description: 'Standard clause or document the limits come from' }),
    provenance: Provenance,
    note: Type.Optional(Type.String()),
  },
  { additionalProperties: false },
);
export type ParameterSpec = Static<typeof ParameterSpec>;

export const Corner = Type.Object(
  { id: Identifier, name: Type.String(), caseTemperatureC: Type.Number() },
  { additionalProperties: false },
);
export type Corner = Static<typeof Corner>;

/** What a serial number or lot id of the product looks like, beyond the rules every id obeys. */
export const IdentityRule = Type.Object(
  {
    pattern: Type.String({
      minLength: 1,
      description: 'Regular expression the whole value must match (anchor it: "^SN[0-9]{6}$"); tested after NFC normalisation',
    }),
    description: Type.Optional(Type.String({ description: 'The rule in words, for messages ("SN and six digits")' })),
  },
  { additionalProperties: false },
);
export type IdentityRule = Static<typeof IdentityRule>;

export const ProductSpec = Type.Object(
  {
    $schema: Type.Optional(Type.String()),
    kind: Type.Literal('lotqa/product-spec'),
    version: Type.String({ minLength: 1, description: 'Spec revision, recorded with every decision' }),
    productId: Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9._-]*$', maxLength: 64 }),
    partNumber: Type.String({ minLength: 1 }),
    description: Type.String(),
    formFactor: Type.String({ minLength: 1, description: 'QSFP112, OSFP, QSFP-DD, …' }),
    laneCount: Type.Integer({ minimum: 1, maximum: 16 }),
    /**
     * How the station and the datasheet name the lanes, in lane order ("L0"…, "1271 nm"…): reasons, reports,
     * the certificate, CSV/JSON (beside the 0-based index) and the CLI print these. One per lane, unique.
     * Absent: lanes are named by 1-based channel number.
     */
    laneLabels: Type.Optional(
      Type.Array(Type.String({ minLength: 1, maxLength: 16 }), {
        minItems: 1,
        maxItems: 16,
        description: 'Lane names as the station and datasheet use them, one per lane in lane order (default: channel numbers 1…laneCount)',
      }),
    ),
    corners: Type.Array(Corner, { minItems: 1 }),
    standards: Type.Array(
      Type.Object(
        {
          id: Type.String(),
          title: Type.String({ description: "Title as printed on the customer's certificate" }),
          note: Type.Optional(Type.String({ description: 'Internal remark (provenance, open questions): never printed for the customer' })),
        },
        { additionalProperties: false },
      ),
      { description: 'Documents tested against; id and title are printed on the certificate' },
    ),
    parameters: Type.Array(ParameterSpec, { minItems: 1 }),
    /**
     * Rules for the product's serial numbers and lot ids. Every id is refused when it starts with = + - @
     * (a spreadsheet formula), holds control, zero-width or text-direction characters, or has spaces
     * around it; ids are NFC-normalised. A pattern here adds the product's own form.
     */
    identity: Type.Optional(
      Type.Object(
        { serial: Type.Optional(IdentityRule), lot: Type.Optional(IdentityRule) },
        { additionalProperties: false, description: 'Serial and lot-id rules of the product (a pattern each)' },
      ),
    ),
  },
  { additionalProperties: false, $id: 'https://lotqa.dev/schemas/product-spec.schema.json', title: 'lotqa product spec' },
);
export type ProductSpec = Static<typeof ProductSpec>;
