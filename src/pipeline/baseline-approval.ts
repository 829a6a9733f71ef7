/**
 * @module A proposed SPC baseline approved (or rejected) with an electronic signature, the same way a
 * held lot is decided (signed-decision.ts): the password re-entered, the approver role, the signature's
 * meaning recorded with the baseline ("baseline approval") and an audit event. Under the policy's
 * two-person rule the first approval is recorded and the baseline stays proposed until a second,
 * different approver signs; the baseline's creator never approves it (separation-of-duties.ts). One
 * approver's rejection settles it: rejecting keeps the baseline out of
 * every evaluation, the fail-safe direction. The console and `lotqa baseline approve --sign-as` come here.
 *
 * Until approved, a proposed baseline is never used: evaluations read the product's active baseline
 * (the last approved one, or none).
 */
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { BaselineRecord, BaselineSignatureRecord, Store } from '../store/store.js';
import { authenticatedSigner, type SignerInput } from './e-signing.js';
import { LotStageError } from './lot-stages.js';
import { refuseSameSecondSigner, refuseSelfApproval } from './separation-of-duties.js';

export interface BaselineApprovalInput extends SignerInput {
  readonly productId: string;
  readonly version: number;
  readonly verdict: 'approve' | 'reject';
  /** Why (what was reviewed: the lots, the exclusions, the homogeneity warnings). */
  readonly reason: string;
  /** The policy whose `signOff.twoPersonRule` says whether a second approver must sign. Absent: one signature. */
  readonly policy?: Pick<AcceptancePolicy, 'signOff'> | null;
}

export interface BaselineApprovalOutcome {
  readonly status: 'approved' | 'rejected' | 'awaiting-second-signature';
  readonly baseline: BaselineRecord;
  readonly signatures: readonly BaselineSignatureRecord[];
}

/** Whether the policy has new baselines approved before use. @defaultValue "none" */
export function baselineNeedsApproval(policy: Pick<AcceptancePolicy, 'signOff'> | null | undefined): boolean {
  return policy?.signOff.baselineApproval === 'required';
}

export async function signBaseline(store: Store, input: BaselineApprovalInput): Promise<BaselineApprovalOutcome> {
  const signer = await authenticatedSigner(store, input);
  const what = `baseline ${baselineId(input.productId, input.version)}`;
  const baseline = await store.getBaseline(input.productId, input.version);
  if (!baseline)
    throw new LotStageError(`${what} does not exist`, {
      hint: `list the baselines with \`lotqa baseline show --product ${input.productId}\``,
    });
  if (baseline.state !== 'proposed')
    throw new LotStageError(`${what} is not awaiting approval: it is ${baseline.state}`, {
      hint: 'only a proposed baseline (built under a policy with signOff.baselineApproval "required") is approved or rejected',
    });
  const reason = input.reason.trim();
  if (!reason) throw new LotStageError(`approving or rejecting ${what} needs a written reason`);
  const base = { productId: input.productId, version: input.version, verdict: input.verdict, reason };
  if (input.verdict === 'approve') refuseSelfApproval(what, baseline.createdBy, signer.account.username);

  let status: BaselineApprovalOutcome['status'];
  let signature;
  if (input.verdict === 'reject') {
    signature = signer.sign('baseline-rejection');
    await store.baselineApprovals.reject({ ...base, signature });
    status = 'rejected';
  } else if (input.policy?.signOff.twoPersonRule !== true) {
    signature = signer.sign('baseline-approval');
    await store.baselineApprovals.approve({ ...base, signature });
    status = 'approved';
  } else {
    const earlier = (await store.baselineApprovals.signatures(input.productId, input.version)).filter((s) => s.verdict === 'approve');
    for (const s of earlier) refuseSameSecondSigner(what, s.signature.signer, s.signature.signedAt, signer.account.username);
    if (earlier.length === 0) {
      signature = signer.sign('baseline-approval');
      await store.baselineApprovals.addSignature({ ...base, signature });
      status = 'awaiting-second-signature';
    } else {
      signature = signer.sign('second-approval');
      await store.baselineApprovals.approve({ ...base, signature });
      status = 'approved';
    }
  }
  await store.appendAudit({
    lot: null,
    kind: 'baseline-signed',
    actor: signer.account.username,
    at: signature.signedAt,
    payload: { ...base, outcome: status, signature },
  });
  return {
    status,
    baseline: (await store.getBaseline(input.productId, input.version))!,
    signatures: await store.baselineApprovals.signatures(input.productId, input.version),
  };
}

/** "qsfp112-400g-dr4@v3": how a person (the CLI, the API's URLs) names one baseline version. */
export function baselineId(productId: string, version: number): string {
  return `${productId}@v${version}`;
}

/** The product and version of "PRODUCT@vN" (or "PRODUCT@N"); null when the text is not such an id. */
export function parseBaselineId(id: string): { productId: string; version: number } | null {
  const m = /^(.+)@v?([1-9][0-9]{0,8})$/.exec(id.trim());
  return m ? { productId: m[1]!, version: Number(m[2]) } : null;
}

/**
 * "baseline v3 of P awaits approval: this evaluation used v2 (active)" when the product has a proposed
 * baseline newer than the one evaluated under — the fail-closed rule said aloud; null otherwise.
 */
export async function pendingBaselineNote(store: Store, productId: string, usedVersion: number | null): Promise<string | null> {
  const pending = (await store.listBaselines(productId)).filter((b) => b.state === 'proposed' && b.version > (usedVersion ?? 0));
  if (pending.length === 0) return null;
  const names = pending.map((b) => `v${b.version}`).join(', ');
  return `baseline ${names} of ${productId} await${pending.length === 1 ? 's' : ''} approval and ${pending.length === 1 ? 'is' : 'are'} not used: this evaluation used ${usedVersion === null ? 'no baseline' : `v${usedVersion} (active)`}`;
}
