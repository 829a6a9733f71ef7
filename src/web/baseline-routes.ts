/**
 * @module The console's Baselines: every product's SPC baselines with what a reviewer checks (lots,
 * charts frozen, exclusions, variance components with their degrees of freedom, homogeneity warnings,
 * state and signatures), and the approval of a proposed one with an electronic signature
 * (src/pipeline/baseline-approval.ts) — the same signing as a decision on a held lot.
 */
import { Type, type Static } from '@sinclair/typebox';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import { ESignature, signatureLine } from '../domain/e-signature.js';
import { counted } from '../domain/counted.js';
import { laneName, type LaneNaming } from '../domain/lanes.js';
import { HOMOGENEITY_ALPHA } from '../evaluate/build-baseline.js';
import { parseBaselineId, signBaseline } from '../pipeline/baseline-approval.js';
import { samePerson } from '../pipeline/separation-of-duties.js';
import { listBaselineReviews, type BaselineReview } from '../queries/baseline-reviews.js';
import type { ConsoleRouteKit } from './attachment-routes.js';
import { html, type SafeHtml } from './html.js';
import { page } from './pages.js';
import { hasRole, isSignatureRefusal, type Principal } from './web-security.js';

export const BaselineIdParams = Type.Object(
  { id: Type.String({ minLength: 3, maxLength: 220, description: 'PRODUCT@vN, e.g. qsfp112-400g-dr4@v2' }) },
  { additionalProperties: false },
);
export const BaselineApprovalBody = Type.Object(
  {
    verdict: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
    reason: Type.String({ minLength: 1, maxLength: 4000, description: 'what was reviewed' }),
    password: Type.String({ minLength: 1, maxLength: 1000, description: "the signer's password, re-entered to sign" }),
  },
  { additionalProperties: false },
);
const Signed = Type.Object({
  verdict: Type.Union([Type.Literal('approve'), Type.Literal('reject')]),
  reason: Type.String(),
  signature: ESignature,
});
export const BaselineApprovalResponse = Type.Object({
  status: Type.Union([Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('awaiting-second-signature')]),
  id: Type.String(),
  state: Type.String(),
  signatures: Type.Array(Signed),
});
export const BaselineReviewResponse = Type.Object({
  id: Type.String(),
  productId: Type.String(),
  version: Type.Integer(),
  state: Type.Union(['proposed', 'active', 'superseded', 'rejected'].map((s) => Type.Literal(s))),
  createdAt: Type.String(),
  createdBy: Type.String(),
  lots: Type.Array(Type.String()),
  charts: Type.Integer(),
  exclusions: Type.Integer(),
  signatures: Type.Array(Signed),
});

export interface BaselineRouteOptions {
  /** The configured acceptance policy: its `signOff.twoPersonRule` asks for a second approver. Absent: one signature. */
  readonly policy?: Pick<AcceptancePolicy, 'signOff'> | null;
  /** Lane labels of a product (spec labels, else 1-based channel numbers). */
  readonly laneNaming?: (productId: string) => LaneNaming;
}

/** Registers `/baselines` (page), `GET /api/baselines`, `POST /api/baselines/{id}/approval`. */
export function registerBaselineRoutes(kit: ConsoleRouteKit, options: BaselineRouteOptions = {}): void {
  const { app, store } = kit;
  kit.api<unknown, unknown, unknown>(
    {
      method: 'GET',
      url: '/api/baselines',
      summary:
        "Every product's baselines, newest first: state (proposed, active, superseded, rejected), lots, charts, exclusions, variance components with df, homogeneity warnings, signatures",
      role: 'viewer',
      response: Type.Array(BaselineReviewResponse),
    },
    async () => listBaselineReviews(store),
  );
  kit.api<Static<typeof BaselineIdParams>, unknown, Static<typeof BaselineApprovalBody>>(
    {
      method: 'POST',
      url: '/api/baselines/:id/approval',
      summary:
        "Approve or reject a proposed baseline with the caller's electronic signature (password re-entered); approved, it becomes the product's active baseline (a second approver under the two-person rule)",
      role: 'approver',
      params: BaselineIdParams,
      body: BaselineApprovalBody,
      response: BaselineApprovalResponse,
    },
    async (request) => {
      const ref = parseBaselineId(request.params.id);
      if (!ref) throw kit.httpError(400, `params/id: "${request.params.id}" is not a baseline id (PRODUCT@vN)`);
      if (!(await store.getBaseline(ref.productId, ref.version))) throw kit.httpError(404, `no baseline ${request.params.id}`);
      const outcome = await signBaseline(store, {
        ...ref,
        verdict: request.body.verdict,
        reason: request.body.reason,
        signer: request.principal!.username,
        password: request.body.password,
        method: 'password-reentered-console',
        policy: options.policy ?? null,
      }).catch((err: unknown) => {
        if (isSignatureRefusal(err)) throw kit.httpError(403, err.message);
        throw err;
      });
      return {
        status: outcome.status,
        id: request.params.id,
        state: outcome.baseline.state,
        signatures: outcome.signatures.map((s) => ({ verdict: s.verdict, reason: s.reason, signature: s.signature })),
      };
    },
  );
  app.get('/baselines', { config: { role: 'viewer' } }, async (request, reply) =>
    kit.sendHtml(
      reply,
      baselinesPage(
        request.principal!,
        await listBaselineReviews(store),
        hasRole(request.principal, 'approver'),
        options.laneNaming ?? (() => ({})),
      ),
    ),
  );
}

/** Whether the signed-in person created the baseline (separation-of-duties.ts: they may not approve it). */
const createdByMe = (b: Pick<BaselineReview, 'createdBy'>, p: Principal): boolean => samePerson(b.createdBy, p.username);

const n = (x: number | null, digits = 3): string => (x === null ? '—' : Number(x.toPrecision(digits)).toString());
const p = (x: number): string => (x < 0.001 ? x.toExponential(1) : x.toFixed(3));

export function baselinesPage(
  principal: Principal,
  baselines: readonly BaselineReview[],
  canSign: boolean,
  naming: (productId: string) => LaneNaming = () => ({}),
): string {
  const products = [...new Set(baselines.map((b) => b.productId))];
  return page(
    'Baselines',
    principal,
    html`<h1>Baselines</h1>
      <p class="meta">
        SPC phase I limits per product. A proposed baseline is never used: evaluations use the product's active one until an approver signs
        the proposal.
      </p>
      ${products.length === 0 ? html`<p>No baseline stored yet (<code>lotqa baseline create</code>).</p>` : ''}
      ${products.map(
        (product) =>
          html`<section class="panel product-baselines">
            <h2>${product}</h2>
            ${baselines.filter((b) => b.productId === product).map((b) => baselineBlock(b, principal, canSign, naming(product)))}
          </section>`,
      )}`,
    ['/assets/baselines.js'],
  );
}

function baselineBlock(b: BaselineReview, principal: Principal, canSign: boolean, naming: LaneNaming): SafeHtml {
  return html`<article class="baseline state-${b.state}" id="baseline-${b.id}">
    <h3>v${b.version} <span class="badge baseline-${b.state}">${b.state}</span></h3>
    <p class="meta">
      built ${b.createdAt} by ${b.createdBy} · spec ${b.specVersion} · lots ${b.lots.join(', ')} · ${b.charts} charts frozen ·
      ${counted(b.exclusions, 'unit')} excluded
    </p>
    ${
      b.components === null
        ? html`<p>Format 1 baseline: no lot-to-lot variance components.</p>`
        : html`<details ${b.state === 'proposed' ? 'open' : ''}>
            <summary>Variance components (${b.components.length}; σ lot and σ lane×lot in within-lot σ)</summary>
            <table class="components">
              <tr>
                <th>Parameter</th>
                <th>Corner</th>
                <th>Lanes</th>
                <th>σ within</th>
                <th>df</th>
                <th>σ lot</th>
                <th>df</th>
                <th>σ lane×lot</th>
                <th>df</th>
              </tr>
              ${b.components.map(
                (c) =>
                  html`<tr>
                    <td>${c.parameter}</td>
                    <td>${c.corner}</td>
                    <td class="n">${c.lanes}</td>
                    <td class="n">${n(c.withinSigma, 4)}</td>
                    <td class="n">${c.withinDf}</td>
                    <td class="n">${n(c.lotSigma)}</td>
                    <td class="n">${c.lotDf}</td>
                    <td class="n">${n(c.laneLotSigma)}</td>
                    <td class="n">${c.laneLotDf ?? '—'}</td>
                  </tr>`,
              )}
            </table>
          </details>`
    }
    ${
      b.homogeneity.length > 0
        ? html`<div class="warnings">
            <p>
              Spread of the baseline lots, checked per chart (Bartlett and Brown–Forsythe, Holm at α = ${HOMOGENEITY_ALPHA}):
              <strong>${counted(b.homogeneity.length, 'chart')} where a lot's spread differs from the others'</strong>
            </p>
            <ul>
              ${b.homogeneity.map(
                (w) =>
                  html`<li>
                    ${w.parameter} @ ${w.corner}${w.lane === null ? '' : `, lane ${laneName(naming, w.lane)}`}: lot ${w.lot} furthest from
                    the pooled spread (Bartlett T = ${n(w.bartlettT)}, p = ${p(w.bartlettP)}; Brown–Forsythe W = ${n(w.brownForsytheW)}, p =
                    ${p(w.brownForsytheP)})
                  </li>`,
              )}
            </ul>
          </div>`
        : html`<p class="ok homogeneity">
            Spread of the baseline lots, checked per chart (Bartlett and Brown–Forsythe, Holm at α = ${HOMOGENEITY_ALPHA}): no lot's spread
            differs significantly from the others'.
          </p>`
    }
    ${
      b.notes.length > 0
        ? html`<p class="notes-title">
              Notes from building it — readings kept beyond their chart's 3σ limits, pooling, charts left out; these are about single
              readings and charts, not about the spread between lots:
            </p>
            <ul class="notes">
              ${b.notes.map((note) => html`<li>${note}</li>`)}
            </ul>`
        : ''
    }
    ${b.signatures.map(
      (s) =>
        html`<p class="signature">${s.verdict === 'approve' ? 'Approved' : 'Rejected'}: ${signatureLine(s.signature)} — ${s.reason}</p>`,
    )}
    ${
      b.state !== 'proposed'
        ? ''
        : canSign
          ? html`<form class="baseline-sign" data-baseline="${b.id}" data-csrf="${principal.csrf ?? ''}">
              <label>Reason (what you reviewed) <textarea name="reason" required rows="2"></textarea></label>
              <p class="attest">
                By signing, I, ${principal.fullName} (${principal.username}), record this baseline approval or rejection as my electronic
                signature.
              </p>
              <label>Password (re-enter to sign) <input name="password" type="password" autocomplete="current-password" required /></label>
              ${
                createdByMe(b, principal)
                  ? html`<p class="cannot-sign">
                      You created this baseline: another approver must approve it (separation of duties); you may reject it.
                    </p>`
                  : html`<button type="submit" name="verdict" value="approve">Approve and sign</button>`
              }
              <button type="submit" name="verdict" value="reject">Reject and sign</button>
              <p class="error" role="alert" hidden></p>
            </form>`
          : html`<p class="cannot-sign">Approving a baseline needs the approver role; you are ${principal.role}.</p>`
    }
  </article>`;
}
