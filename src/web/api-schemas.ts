/**
 * @module The REST API's contract as TypeBox schemas: the same objects validate requests (fastify's
 * ajv) and describe the API in the OpenAPI document at `/api/docs`. Response shapes reuse the domain's
 * schemas (`Disposition`, `Reason`, `ESignature`) so the API and the stored documents cannot drift apart.
 */
import { Type, type TSchema } from '@sinclair/typebox';
import { AccountRole, ESignature } from '../domain/e-signature.js';
import { Disposition, Reason } from '../domain/lot-result.js';

const Nullable = <T extends TSchema>(t: T) => Type.Union([t, Type.Null()]);

export const LotParams = Type.Object({ lot: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false });
export const UnitParams = Type.Object(
  { lot: Type.String({ minLength: 1, maxLength: 200 }), serial: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const LotState = Type.Union(
  ['open', 'complete', 'evaluated', 'on-hold', 'accepted', 'rejected', 'changed'].map((s) => Type.Literal(s)),
);

export const LotListQuery = Type.Object(
  {
    q: Type.Optional(Type.String({ maxLength: 200, description: 'part of a lot id or product id' })),
    state: Type.Optional(Type.Union([LotState, Type.Literal('')])),
    sort: Type.Optional(Type.Union(['lot', 'age', 'units', 'yield', 'product', ''].map((s) => Type.Literal(s)))),
  },
  { additionalProperties: false },
);

export const ChartQuery = Type.Object(
  {
    parameter: Type.String({ minLength: 1, maxLength: 200 }),
    corner: Type.String({ minLength: 1, maxLength: 200 }),
    lane: Type.String({ pattern: '^(module|[0-9]{1,3})$', description: '0-based lane index, or "module"' }),
  },
  { additionalProperties: false },
);

export const AuditQuery = Type.Object({ q: Type.Optional(Type.String({ maxLength: 200 })) }, { additionalProperties: false });

export const DecisionBody = Type.Object(
  {
    disposition: Type.Union([Type.Literal('ACCEPT'), Type.Literal('REJECT')]),
    reason: Type.String({ minLength: 1, maxLength: 4000 }),
    deviation: Type.Optional(Type.String({ maxLength: 4000 })),
    password: Type.String({ minLength: 1, maxLength: 1000, description: 'the signer re-enters their password for each signature' }),
  },
  { additionalProperties: false },
);

export const AccountBody = Type.Object(
  {
    username: Type.String({ minLength: 2, maxLength: 40 }),
    fullName: Type.String({ minLength: 1, maxLength: 200 }),
    role: AccountRole,
    password: Type.String({ minLength: 8, maxLength: 1000 }),
  },
  { additionalProperties: false },
);

export const ErrorResponse = Type.Object({
  statusCode: Type.Integer(),
  error: Type.String(),
  message: Type.String(),
  hint: Type.Optional(Type.String()),
});

export const DecisionResponse = Type.Object({
  status: Type.Union([Type.Literal('decided'), Type.Literal('awaiting-second-signature')], {
    description: "awaiting-second-signature: the policy's two-person rule needs a second, different approver to sign the same disposition",
  }),
  lot: Type.String(),
  revision: Type.Integer(),
  disposition: Disposition,
  decidedBy: Nullable(Type.String()),
  decidedAt: Nullable(Type.String()),
  reason: Type.String(),
  resultSha256: Nullable(Type.String()),
  signatures: Type.Array(ESignature),
  certificate: Nullable(Type.Object({ issued: Type.Boolean(), documentId: Nullable(Type.String()), message: Type.String() })),
});

export const LotSummaryResponse = Type.Object({
  lot: Type.String(),
  productId: Type.String(),
  units: Type.Integer(),
  state: LotState,
  revision: Nullable(Type.Integer()),
  proposal: Nullable(Disposition),
  decision: Nullable(Type.Object({ disposition: Disposition, decidedBy: Type.String(), decidedAt: Type.String() })),
  firstPassYield: Nullable(Type.Number()),
  finalYield: Nullable(Type.Number()),
  ageHours: Type.Number(),
});

export const LotDetailResponse = Type.Object({
  overview: LotSummaryResponse,
  reasons: Type.Array(Reason),
  yields: Nullable(Type.Object({ firstPass: Type.Number(), final: Type.Number() })),
  charts: Type.Array(
    Type.Object({ parameter: Type.String(), corner: Type.String(), lane: Nullable(Type.Integer()), signals: Type.Integer() }),
  ),
});

export const ChartResponse = Type.Object({
  lot: Type.String(),
  revision: Type.Integer(),
  parameter: Type.String(),
  corner: Type.String(),
  lane: Nullable(Type.Integer()),
  laneName: Type.String(),
  centre: Type.Number(),
  lcl: Type.Number(),
  ucl: Type.Number(),
  lsl: Nullable(Type.Number()),
  usl: Nullable(Type.Number()),
  y: Type.Array(Type.Number()),
  serial: Type.Array(Type.String()),
  station: Type.Array(Type.Integer(), { description: 'index into stations' }),
  stations: Type.Array(Type.String()),
  time: Type.Array(Type.Number(), { description: 'seconds since the epoch' }),
  attempt: Type.Array(Type.Integer()),
  signal: Type.Array(Type.Integer(), { description: 'first run rule flagging the point; 0 = none' }),
});

export const SessionResponse = Type.Object({
  username: Type.String(),
  fullName: Type.String(),
  role: AccountRole,
  csrf: Nullable(Type.String()),
});

export const VerifyResponse = Type.Object({
  verdict: Type.Union(
    [
      Type.Literal('valid'),
      Type.Literal('altered'),
      Type.Literal('unknown'),
      Type.Literal('superseded'),
      Type.Literal('lot-changed'),
      Type.Literal('not-verifiable'),
    ],
    {
      description:
        'the same verdict as `lotqa verify`: valid — an issued, unaltered certificate of the lot as it is now; altered — the file or its evidence differs from the issued record; unknown — no certificate with this SHA-256 was issued; superseded — a later revision replaced it; lot-changed — the lot has new files or a new evaluation since; not-verifiable — the file carries no certificate evidence of this store',
    },
  ),
  lot: Nullable(Type.String()),
  revision: Nullable(Type.Integer()),
  pdfSha256: Type.String(),
  certificateNumber: Nullable(Type.String()),
  certificateRevision: Nullable(Type.Integer()),
  dataUnchanged: Nullable(Type.Boolean()),
  differences: Type.Array(Type.Object({ field: Type.String(), certificate: Type.String(), store: Type.String() })),
  findings: Type.Array(Type.String()),
  /** Which lotqa evaluated the certified revision (from its `evaluated` audit event); null when not recorded. */
  evaluatedBy: Nullable(Type.Object({ version: Type.String(), builtAt: Type.Optional(Type.String()) })),
  message: Nullable(Type.String()),
});

export const ReviewNoteBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('owner'), Type.Literal('comment'), Type.Literal('reference')], {
      description: 'owner: the account name of who owns the review; reference: an 8D or NCR number',
    }),
    text: Type.String({ minLength: 1, maxLength: 4000 }),
  },
  { additionalProperties: false },
);

export const WebhookBody = Type.Object(
  {
    url: Type.String({ pattern: '^https?://', maxLength: 2000, description: 'where to POST (https:// outside the factory network)' }),
    events: Type.Array(
      Type.Union([
        Type.Literal('lot.hold'),
        Type.Literal('lot.rejected'),
        Type.Literal('lot.accepted'),
        Type.Literal('certificate.issued'),
      ]),
      { minItems: 1, uniqueItems: true },
    ),
  },
  { additionalProperties: false },
);

// The analysis charts and "show the work" (src/web/chart-routes.ts).
export * from './chart-api-schemas.js';
