/**
 * @module Every product's baselines as a reviewer reads them: state (proposed, active, superseded,
 * rejected), the lots, charts frozen, units excluded, the variance components with their degrees of
 * freedom, the homogeneity warnings, and the approvers' signatures. Newest version first per product.
 */
import type { ESignature } from '../domain/e-signature.js';
import type { BaselineHomogeneityWarning } from '../domain/baseline.js';
import type { BaselineState, Store } from '../store/store.js';

export interface BaselineComponentSummary {
  readonly parameter: string;
  readonly corner: string;
  readonly lanes: number;
  /** Root mean square of the lanes' within-lot σ (parameter units, SPC scale). */
  readonly withinSigma: number;
  readonly withinDf: number;
  /** Lot-to-lot σ, in within-lot σ. */
  readonly lotSigma: number;
  readonly lotDf: number;
  /** Lane × lot σ in within-lot σ; null for a per-module parameter. */
  readonly laneLotSigma: number | null;
  readonly laneLotDf: number | null;
}

export interface BaselineReview {
  /** PRODUCT@vN. */
  readonly id: string;
  readonly productId: string;
  readonly version: number;
  readonly state: BaselineState;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly specVersion: string;
  readonly lots: readonly string[];
  readonly charts: number;
  readonly exclusions: number;
  /** Null on a format 1 baseline (made before variance components). */
  readonly components: readonly BaselineComponentSummary[] | null;
  readonly homogeneity: readonly BaselineHomogeneityWarning[];
  readonly notes: readonly string[];
  readonly signatures: readonly { readonly verdict: 'approve' | 'reject'; readonly reason: string; readonly signature: ESignature }[];
}

/** All baselines of all products (products by id; versions newest first). */
export async function listBaselineReviews(store: Store): Promise<BaselineReview[]> {
  const products = await store.reads.db.selectFrom('baselines').select('product_id').distinct().orderBy('product_id').execute();
  const out: BaselineReview[] = [];
  for (const { product_id: productId } of products) {
    for (const b of (await store.listBaselines(productId)).reverse()) {
      const p = b.payload;
      const signatures = await store.baselineApprovals.signatures(productId, b.version);
      out.push({
        id: `${productId}@v${b.version}`,
        productId,
        version: b.version,
        state: b.state,
        createdAt: b.createdAt,
        createdBy: b.createdBy,
        specVersion: p.specVersion,
        lots: p.lots,
        charts: p.cells.length,
        exclusions: p.exclusions.length,
        components:
          p.components?.map((c) => ({
            parameter: c.parameter,
            corner: c.corner,
            lanes: c.lanes.length,
            withinSigma: Math.sqrt(c.sigmas.reduce((a, x) => a + x * x, 0) / Math.max(1, c.sigmas.length)),
            withinDf: c.withinDf,
            lotSigma: c.lotSigma,
            lotDf: c.lotDf,
            laneLotSigma: c.laneLotSigma,
            laneLotDf: c.laneLotSigma === null ? null : c.laneLotDf,
          })) ?? null,
        homogeneity: p.homogeneity ?? [],
        notes: p.notes,
        signatures: signatures.map((s) => ({ verdict: s.verdict, reason: s.reason, signature: s.signature })),
      });
    }
  }
  return out;
}
