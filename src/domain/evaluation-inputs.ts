/**
 * @module What an evaluation was made from, besides the lot's files: the product spec, the acceptance
 * policy and the active baseline, each named by the SHA-256 of its canonical JSON (the catalog's
 * document hash, `documentSha256`), and one hash over the three. The same files with the same inputs
 * are the same evaluation; anything else is a new one. The store keeps each document by its hash, so a
 * certificate can be re-issued and verified whatever is installed later.
 *
 * The trend history is here too when the policy draws trend charts: the earlier lots' own statistics the
 * batch-to-batch trend of this lot is drawn from (src/evaluate/lot-trend.ts `trendHistoryUsed`), hashed, so
 * an earlier lot re-evaluated, voided or added makes a new evaluation instead of handing out one whose trend
 * was drawn from another history. Without history the hash is the three documents' as before.
 *
 * The station profiles are not here: they shape ingestion, and what ingestion produced is in the files'
 * content hash. The Z1.4 switching state is not here either: it is the state when the revision was
 * first evaluated (kept in the result), so evaluating an unchanged lot again after other lots moved the
 * switching state returns the evaluation already made.
 */
import { createHash } from 'node:crypto';
import type { AcceptancePolicy } from './acceptance-policy.js';
import type { Baseline } from './baseline.js';
import { documentSha256 } from './catalog.js';
import type { ProductSpec } from './product-spec.js';
import type { TrendHistoryLot } from './trend-history.js';

export type InputKind = 'product' | 'policy' | 'baseline';

/** One document an evaluation used. */
export interface InputDocument {
  readonly kind: InputKind;
  /** productId, policy id, or `<productId> v<version>` for a baseline. */
  readonly id: string;
  readonly sha256: string;
  readonly document: unknown;
}

export interface EvaluationInputs {
  readonly spec: InputDocument;
  readonly policy: InputDocument;
  readonly baseline: InputDocument | null;
  /** SHA-256 of the canonical JSON of the trend history used; null when none is used. */
  readonly trendHistorySha256: string | null;
  /** SHA-256 over the three hashes (the baseline's as `none` when there is none) and the trend history's when there is one. */
  readonly sha256: string;
}

/** The hashes an evaluation records (what the store keeps on its row). */
export interface InputHashes {
  readonly specSha256: string | null;
  readonly policySha256: string | null;
  readonly baselineSha256: string | null;
  readonly inputsSha256: string | null;
}

export function inputsSha256(spec: string, policy: string, baseline: string | null, trendHistory: string | null = null): string {
  return createHash('sha256')
    .update(
      `spec ${spec}\npolicy ${policy}\nbaseline ${baseline ?? 'none'}\n${trendHistory === null ? '' : `trend-history ${trendHistory}\n`}`,
      'utf8',
    )
    .digest('hex');
}

export function evaluationInputs(
  spec: ProductSpec,
  policy: AcceptancePolicy,
  baseline: { readonly version: number; readonly payload: Baseline } | null,
  /** The earlier lots the trend charts are drawn from (empty: no trend history used). */
  trendHistory: readonly TrendHistoryLot[] = [],
): EvaluationInputs {
  const specDoc: InputDocument = { kind: 'product', id: spec.productId, sha256: documentSha256(spec), document: spec };
  const policyDoc: InputDocument = { kind: 'policy', id: policy.id, sha256: documentSha256(policy), document: policy };
  const baselineDoc: InputDocument | null = baseline
    ? {
        kind: 'baseline',
        id: `${baseline.payload.productId} v${baseline.version}`,
        sha256: documentSha256(baseline.payload),
        document: baseline.payload,
      }
    : null;
  // An array has no $schema to drop; documentSha256 wants an object, so the history is wrapped.
  const trendHistorySha256 = trendHistory.length === 0 ? null : documentSha256({ trendHistory });
  return {
    spec: specDoc,
    policy: policyDoc,
    baseline: baselineDoc,
    trendHistorySha256,
    sha256: inputsSha256(specDoc.sha256, policyDoc.sha256, baselineDoc?.sha256 ?? null, trendHistorySha256),
  };
}

export function inputHashes(inputs: EvaluationInputs): InputHashes {
  return {
    specSha256: inputs.spec.sha256,
    policySha256: inputs.policy.sha256,
    baselineSha256: inputs.baseline?.sha256 ?? null,
    inputsSha256: inputs.sha256,
  };
}

/** In words, which inputs differ between a stored evaluation and a new one ("policy a1b2c3… → d4e5f6…"). */
export function inputChanges(before: InputHashes, after: InputHashes): string[] {
  if (before.inputsSha256 === null) return ['the stored evaluation predates recorded inputs'];
  const short = (h: string | null): string => (h === null ? 'none' : `${h.slice(0, 12)}…`);
  const changes: string[] = [];
  if (before.specSha256 !== after.specSha256) changes.push(`product spec ${short(before.specSha256)} → ${short(after.specSha256)}`);
  if (before.policySha256 !== after.policySha256) changes.push(`policy ${short(before.policySha256)} → ${short(after.policySha256)}`);
  if (before.baselineSha256 !== after.baselineSha256)
    changes.push(`baseline ${short(before.baselineSha256)} → ${short(after.baselineSha256)}`);
  // The store keeps the three documents' hashes; what else is in the inputs hash is the trend history.
  if (changes.length === 0 && before.inputsSha256 !== after.inputsSha256)
    changes.push('trend history (the earlier lots its batch-to-batch trend is drawn from)');
  return changes;
}
