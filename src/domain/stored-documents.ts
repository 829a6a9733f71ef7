/**
 * @module The JSON documents the store keeps besides the LotResult (whose schema is `lot-result.ts`):
 * a frozen baseline, a product's sampling-switching state, a certificate's record and the payload of
 * each kind of audit event. The store checks each against its schema when it writes and when it reads
 * (`src/store/stored-documents.ts`), so what comes back is typed and nothing above the store casts.
 *
 * The baseline and switching-state schemas describe the `Baseline` (`baseline.ts`) and
 * `SwitchingState` (`acceptance/z14-switching.ts`) interfaces; `tests/store/stored-documents.test.ts`
 * fails to compile when they drift apart. To add an audit event kind: a line in {@link AuditPayloads}
 * and one in {@link AuditEntry}.
 */
import { Type, type Static, type TSchema } from '@sinclair/typebox';
import { Disposition } from './lot-result.js';
import { ESignature } from './e-signature.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);
const SwitchingSeverity = Type.Union([
  Type.Literal('normal'),
  Type.Literal('tightened'),
  Type.Literal('reduced'),
  Type.Literal('discontinued'),
]);

// ------------------------------------------------------------------------------------------ baseline

export const FrozenLimitsDocument = Type.Object({
  version: Type.Literal(1),
  chart: Type.Union([
    Type.Literal('imr'),
    Type.Literal('xbar-r'),
    Type.Literal('xbar-s'),
    Type.Literal('p'),
    Type.Literal('np'),
    Type.Literal('u'),
    Type.Literal('c'),
  ]),
  centre: Type.Number(),
  sigma: Nullable(Type.Number()),
  estimator: Type.Union([
    Type.Literal('moving-range'),
    Type.Literal('mean-range'),
    Type.Literal('mean-sd'),
    Type.Literal('pooled-sd'),
    Type.Literal('binomial'),
    Type.Literal('poisson'),
    Type.Literal('known'),
  ]),
  subgroupSize: Nullable(Type.Integer()),
  span: Nullable(Type.Integer()),
  sigmaMultiplier: Type.Number(),
  baselineCount: Type.Integer(),
  removed: Type.Array(Type.Object({ index: Type.Integer(), reason: Type.String(), iteration: Type.Integer() })),
});

export const BaselineCellDocument = Type.Object({
  parameter: Type.String(),
  corner: Type.String(),
  lane: Nullable(Type.Integer()),
  n: Type.Integer(),
  mean: Type.Number(),
  sigmaUnit: Type.Number(),
  dfUnit: Type.Number(),
  limits: FrozenLimitsDocument,
  lotMeans: Type.Array(Type.Number()),
  lotSizes: Type.Array(Type.Integer()),
  lotSds: Type.Optional(Type.Array(Type.Number())),
  sample: Type.Array(Type.Number()),
});

/** A frozen baseline (SPC phase I of a product): the `Baseline` of `baseline.ts`. */
/** The variance components a baseline keeps per chart group, per corner and across corners alike (src/spc/variance-components.ts). */
const VarianceComponentFields = {
  lots: Type.Integer(),
  grandMean: Type.Number(),
  lotMeanVariance: Type.Number(),
  lotMeanSamplingVariance: Type.Number(),
  lotSigma: Type.Number(),
  lotDf: Type.Number(),
  laneContrastMeans: Type.Array(Type.Number()),
  laneContrastVariance: Type.Number(),
  laneContrastSamplingVariance: Type.Number(),
  laneLotSigma: Nullable(Type.Number()),
  laneLotDf: Type.Number(),
};

export const BaselineDocument = Type.Object(
  {
    kind: Type.Literal('lotqa/baseline'),
    productId: Type.String(),
    specVersion: Type.String(),
    lots: Type.Array(Type.String()),
    createdBy: Type.String(),
    cells: Type.Array(BaselineCellDocument),
    exclusions: Type.Array(Type.Object({ lot: Type.String(), serial: Type.String(), reason: Type.String() })),
    notes: Type.Array(Type.String()),
    format: Type.Optional(Type.Integer({ minimum: 1 })),
    components: Type.Optional(
      Type.Array(
        Type.Object({
          parameter: Type.String(),
          corner: Type.String(),
          lanes: Type.Array(Nullable(Type.Integer())),
          sigmas: Type.Array(Type.Number()),
          withinDf: Type.Number(),
          ...VarianceComponentFields,
          stationOffsets: Type.Optional(
            Type.Array(Type.Object({ station: Type.String(), units: Type.Integer(), offset: Type.Number(), variance: Type.Number() })),
          ),
        }),
      ),
    ),
    acrossCorners: Type.Optional(
      Type.Array(
        Type.Object({
          parameter: Type.String(),
          corners: Type.Array(Type.String()),
          lanes: Type.Array(Type.Integer()),
          sigmas: Type.Array(Type.Array(Type.Number())),
          ...VarianceComponentFields,
          laneLotPool: Type.Optional(
            Type.Object({
              parameters: Type.Array(Type.String()),
              laneContrastVariance: Type.Number(),
              laneLotDf: Type.Number(),
              bartlettP: Type.Number(),
              alpha: Type.Number(),
            }),
          ),
          laneLotModerated: Type.Optional(
            Type.Object({
              parameters: Type.Array(Type.String()),
              priorDf: Nullable(Type.Number()),
              priorScale: Type.Number(),
              laneContrastVariance: Type.Number(),
              laneLotDf: Type.Number(),
            }),
          ),
        }),
      ),
    ),
    homogeneity: Type.Optional(
      Type.Array(
        Type.Object({
          parameter: Type.String(),
          corner: Type.String(),
          lane: Nullable(Type.Integer()),
          lot: Type.String(),
          bartlettT: Type.Number(),
          bartlettP: Type.Number(),
          brownForsytheW: Type.Number(),
          brownForsytheP: Type.Number(),
        }),
      ),
    ),
  },
  { title: 'lotqa baseline' },
);

// ------------------------------------------------------------------------------------------ sampling

/** A product's Z1.4 switching state between lots: the `SwitchingState` of `acceptance/z14-switching.ts`. */
export const SamplingStateDocument = Type.Object(
  {
    severity: SwitchingSeverity,
    recentNormal: Type.Array(Type.Boolean()),
    acceptedInARowOnNormal: Type.Integer({ minimum: 0 }),
    acceptedInARowOnTightened: Type.Integer({ minimum: 0 }),
    notAcceptedOnTightened: Type.Integer({ minimum: 0 }),
  },
  { title: 'lotqa sampling-switching state' },
);

/** The same state as the store hands it out and takes it in (what `SamplingStateDocument` checks). */
export interface SamplingState {
  readonly severity: 'normal' | 'tightened' | 'reduced' | 'discontinued';
  readonly recentNormal: readonly boolean[];
  readonly acceptedInARowOnNormal: number;
  readonly acceptedInARowOnTightened: number;
  readonly notAcceptedOnTightened: number;
}

// ------------------------------------------------------------------------------------------ certificate

/** What the store records of an issued certificate beside its number, hash and path. */
export const CertificatePayload = Type.Object(
  {
    /** The number printed on the certificate. */
    certificateNumber: Type.String(),
    /** The LotResult the certificate certifies. */
    resultSha256: Type.String(),
    /** Who signed it (the decision's `decidedBy`). */
    signer: Type.String(),
    /**
     * What this issue of the certificate printed besides the stored result and decision (absent on
     * certificates issued before lotqa recorded it): verify re-derives the certificate from these.
     */
    issue: Type.Optional(
      Type.Object({
        company: Type.Object({ name: Type.String(), address: Type.Array(Type.String()) }),
        customer: Nullable(Type.String()),
        purchaseOrder: Nullable(Type.String()),
        shipTo: Nullable(Type.String()),
        status: Type.Union([Type.Literal('signed'), Type.Literal('unsigned')]),
      }),
    ),
    /** Who issued this revision (the decision's signer for the first issue, the person re-issuing after). */
    issuedBy: Type.Optional(Type.String()),
    /** Why this revision was issued ("first issue", or what changed). */
    reason: Type.Optional(Type.String()),
  },
  { title: 'lotqa certificate record' },
);
export type CertificatePayload = Static<typeof CertificatePayload>;

// ------------------------------------------------------------------------------------------ station evidence

/** The station's own verdict on each run of one stored file (`run`: the run's position in its file). */
export const StationVerdictsDocument = Type.Array(
  Type.Object({
    run: Type.Integer({ minimum: 0 }),
    verdict: Type.Union([Type.Literal('pass'), Type.Literal('fail')]),
    from: Type.Union([Type.Literal('unit'), Type.Literal('readings')]),
  }),
  { title: "lotqa station verdicts of a file's runs" },
);
export type StationVerdictsDocument = Static<typeof StationVerdictsDocument>;

/** The distinct limits the stations of one or more files tested against (canonical units; lane 0-based or null). */
export const StationLimitSetDocument = Type.Array(
  Type.Object({
    station: Type.String(),
    parameter: Type.String(),
    corner: Type.String(),
    lane: Nullable(Type.Integer()),
    low: Nullable(Type.Number()),
    high: Nullable(Type.Number()),
  }),
  { title: 'lotqa station limit set' },
);
export type StationLimitSetDocument = Static<typeof StationLimitSetDocument>;

// ------------------------------------------------------------------------------------------ audit

/** A baseline frozen from `lots` (activated at once, or proposed for approval): the same facts either way. */
const BaselineFrozenPayload = Type.Object({
  productId: Type.String(),
  version: Type.Integer(),
  lots: Type.Array(Type.String()),
  exclusions: Type.Integer(),
});

/** The payload of each kind of audit event. */
export const AuditPayloads = {
  /**
   * A lot revision was evaluated (`proposal`: the policy's proposed disposition; `why`: first evaluation,
   * new data or which inputs changed; `inputsSha256`: the spec, policy and baseline evaluated under).
   */
  evaluated: Type.Object({
    revision: Type.Integer(),
    resultSha256: Type.String(),
    proposal: Disposition,
    why: Type.Optional(Type.String()),
    inputsSha256: Type.Optional(Type.String()),
    /** The lotqa that evaluated: package version and build time (absent from source, and on events before it was recorded). */
    lotqa: Type.Optional(Type.Object({ version: Type.String(), builtAt: Type.Optional(Type.String()) })),
  }),
  /** A decision was recorded (by the policy or an engineer). */
  decided: Type.Object({
    revision: Type.Integer(),
    disposition: Disposition,
    reason: Type.String(),
    /** The decision's electronic signatures (named decisions; absent on policy decisions). */
    signatures: Type.Optional(Type.Array(ESignature)),
  }),
  /** A Certificate of Conformance was issued (`certificateRevision` > 1: a re-issue, superseding the one before). */
  'certificate-issued': Type.Object({
    revision: Type.Integer(),
    documentId: Type.String(),
    path: Type.String(),
    certificateNumber: Type.Optional(Type.String()),
    certificateRevision: Type.Optional(Type.Integer()),
    supersedes: Type.Optional(Nullable(Type.String())),
    reason: Type.Optional(Type.String()),
    pdfSha256: Type.Optional(Type.String()),
  }),
  /** Who a lot ships to was set or changed (customer, purchase order, ship-to; printed on its certificate). */
  'lot-shipment-set': Type.Object({
    customer: Nullable(Type.String()),
    purchaseOrder: Nullable(Type.String()),
    shipTo: Nullable(Type.String()),
    previous: Nullable(
      Type.Object({ customer: Nullable(Type.String()), purchaseOrder: Nullable(Type.String()), shipTo: Nullable(Type.String()) }),
    ),
    reason: Type.String(),
  }),
  /** The product's Z1.4 inspection severity changed. */
  'sampling-switch': Type.Object({
    from: SwitchingSeverity,
    to: SwitchingSeverity,
    reason: Type.String(),
    /** A person's move (acceptance resumed after corrective action): the product and the approver's signature. */
    productId: Type.Optional(Type.String()),
    signature: Type.Optional(ESignature),
  }),
  /** A baseline was frozen and made the product's active one. */
  'baseline-created': BaselineFrozenPayload,
  /** A lot was closed: complete now (`expectedUnits` null) or once that many units are stored. */
  'lot-closed': Type.Object({ expectedUnits: Nullable(Type.Integer({ minimum: 1 })) }),
  /** A lot's expected quantity became known (from its manifest). */
  'lot-expected': Type.Object({
    expectedUnits: Type.Integer({ minimum: 1 }),
    source: Type.String(),
    /** The serials the manifest lists, when it lists them (a unit outside them holds the lot). */
    serials: Type.Optional(Type.Array(Type.String())),
  }),
  /**
   * An engineer settled a conflict: of the `files` that reported `serial` tested at `testTime` with
   * different readings, `kept` stands and the others' runs at that time stay out of the lot.
   */
  'conflict-resolved': Type.Object({
    serial: Type.String(),
    testTime: Type.String(),
    files: Type.Array(Type.String()),
    kept: Type.String(),
    reason: Type.String({ minLength: 1 }),
  }),
  /** A lot was voided (stored by mistake, or a test run): kept with everything recorded, excluded from baselines. */
  'lot-voided': Type.Object({ reason: Type.String({ minLength: 1 }) }),
  /** A lot stored under the wrong product was moved to another; its next evaluation is a new revision. */
  'lot-moved': Type.Object({ from: Type.String(), to: Type.String(), reason: Type.String({ minLength: 1 }) }),
  /** The first approver signed a decision that the policy's two-person rule has a second approver confirm. */
  'decision-proposed': Type.Object({ revision: Type.Integer(), disposition: Disposition, reason: Type.String(), signature: ESignature }),
  /** A held lot's review: an owner assigned, a comment, an 8D/NCR reference. */
  'review-note': Type.Object({
    kind: Type.Union([Type.Literal('owner'), Type.Literal('comment'), Type.Literal('reference')]),
    text: Type.String(),
  }),
  /** A file was attached to the lot's review (stored by its SHA-256). */
  'attachment-added': Type.Object({ name: Type.String(), sha256: Type.String(), bytes: Type.Integer(), mediaType: Type.String() }),
  /** A baseline was frozen and awaits an approver's signature (policy `signOff.baselineApproval: "required"`). */
  'baseline-proposed': BaselineFrozenPayload,
  /** An approver signed a proposed baseline: approved (now active), rejected, or awaiting a second approver. */
  'baseline-signed': Type.Object({
    productId: Type.String(),
    version: Type.Integer(),
    verdict: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.String(),
    outcome: Type.Union([Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('awaiting-second-signature')]),
    signature: ESignature,
  }),
  /** A console account was created or its role changed (lot null). */
  'account-changed': Type.Object({ account: Type.String(), role: Type.String(), change: Type.String() }),
} as const;

export type AuditKind = keyof typeof AuditPayloads;
export type AuditPayload<K extends AuditKind> = Static<(typeof AuditPayloads)[K]>;

export function isAuditKind(kind: string): kind is AuditKind {
  return Object.hasOwn(AuditPayloads, kind);
}

const entry = <K extends AuditKind>(kind: K) => Type.Object({ kind: Type.Literal(kind), payload: AuditPayloads[kind] });

/** An audit event's kind with its payload, as one discriminated union (narrow on `kind`). */
export const AuditEntry = Type.Union([
  entry('evaluated'),
  entry('decided'),
  entry('certificate-issued'),
  entry('sampling-switch'),
  entry('baseline-created'),
  entry('lot-closed'),
  entry('lot-expected'),
  entry('lot-shipment-set'),
  entry('conflict-resolved'),
  entry('lot-voided'),
  entry('lot-moved'),
  entry('decision-proposed'),
  entry('review-note'),
  entry('account-changed'),
  entry('attachment-added'),
  entry('baseline-proposed'),
  entry('baseline-signed'),
]);

/** The signatures column of a decision. */
export const DecisionSignatures = Type.Array(ESignature, { title: 'lotqa decision signatures' });
export type AuditEntry = Static<typeof AuditEntry>;
