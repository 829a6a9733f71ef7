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
  sample: Type.Array(Type.Number()),
});

/** A frozen baseline (SPC phase I of a product): the `Baseline` of `baseline.ts`. */
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
  },
  { title: 'lotqa certificate record' },
);
export type CertificatePayload = Static<typeof CertificatePayload>;

// ------------------------------------------------------------------------------------------ audit

/** The payload of each kind of audit event. */
export const AuditPayloads = {
  /** A lot revision was evaluated (`proposal`: the policy's proposed disposition). */
  evaluated: Type.Object({ revision: Type.Integer(), resultSha256: Type.String(), proposal: Disposition }),
  /** A decision was recorded (by the policy or an engineer). */
  decided: Type.Object({
    revision: Type.Integer(),
    disposition: Disposition,
    reason: Type.String(),
    /** The decision's electronic signatures (named decisions; absent on policy decisions). */
    signatures: Type.Optional(Type.Array(ESignature)),
  }),
  /** A Certificate of Conformance was issued. */
  'certificate-issued': Type.Object({ revision: Type.Integer(), documentId: Type.String(), path: Type.String() }),
  /** The product's Z1.4 inspection severity changed. */
  'sampling-switch': Type.Object({ from: SwitchingSeverity, to: SwitchingSeverity, reason: Type.String() }),
  /** A baseline was frozen and made the product's active one. */
  'baseline-created': Type.Object({
    productId: Type.String(),
    version: Type.Integer(),
    lots: Type.Array(Type.String()),
    exclusions: Type.Integer(),
  }),
  /** A lot was closed: complete now (`expectedUnits` null) or once that many units are stored. */
  'lot-closed': Type.Object({ expectedUnits: Nullable(Type.Integer({ minimum: 1 })) }),
  /** A lot's expected quantity became known (from its manifest). */
  'lot-expected': Type.Object({ expectedUnits: Type.Integer({ minimum: 1 }), source: Type.String() }),
  /** The first approver signed a decision that the policy's two-person rule has a second approver confirm. */
  'decision-proposed': Type.Object({ revision: Type.Integer(), disposition: Disposition, reason: Type.String(), signature: ESignature }),
  /** A held lot's review: an owner assigned, a comment, an 8D/NCR reference. */
  'review-note': Type.Object({
    kind: Type.Union([Type.Literal('owner'), Type.Literal('comment'), Type.Literal('reference')]),
    text: Type.String(),
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
  entry('decision-proposed'),
  entry('review-note'),
  entry('account-changed'),
]);

/** The signatures column of a decision. */
export const DecisionSignatures = Type.Array(ESignature, { title: 'lotqa decision signatures' });
export type AuditEntry = Static<typeof AuditEntry>;
