/**
 * @module A named decision with an electronic signature: the signer's password is checked at the moment
 * of signing, the signer must hold the approver (or admin) role, and the signature — who, printed name,
 * role, meaning, when, how authenticated — is stored with the decision, shown in the audit trail and
 * printed on the certificate. The console and `lotqa decide --sign-as` both come here.
 *
 * Under a policy's two-person rule (`signOff.twoPersonRule`) the first signature records a proposal
 * (and an audit event); the decision is recorded only when a second, different approver signs the same
 * disposition, with both signatures. A different disposition from the second approver is a new proposal.
 */
import { meaningOfDecision, type ESignature, type SignatureMethod } from '../domain/e-signature.js';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { ProposalRecord, StoredDecision, Store } from '../store/store.js';
import { authenticatedSigner } from './e-signing.js';
import { decideByEngineer, LotStageError, systemClock, type Clock } from './lot-stages.js';
import { refuseSameSecondSigner } from './separation-of-duties.js';
import { agreeing, counted } from '../domain/counted.js';

export interface SignedDecisionInput {
  readonly lot: string;
  readonly disposition: 'ACCEPT' | 'REJECT';
  readonly reason: string;
  readonly deviation?: string | undefined;
  /** The signer's account name and the password re-entered for this signature. */
  readonly signer: string;
  readonly password: string;
  readonly method: SignatureMethod;
  /**
   * The acceptance policy the lot was evaluated under, by id (the catalogs): its
   * `signOff.twoPersonRule` decides whether a second approver must sign. Absent: one signature.
   */
  readonly policyFor?: (policyId: string) => Pick<AcceptancePolicy, 'signOff'>;
  readonly clock?: Clock;
}

export type SignedDecisionOutcome =
  | { readonly status: 'decided'; readonly decision: StoredDecision }
  | { readonly status: 'awaiting-second-signature'; readonly proposal: ProposalRecord };

export async function decideWithSignature(store: Store, input: SignedDecisionInput): Promise<SignedDecisionOutcome> {
  const { account, sign: signature } = await authenticatedSigner(store, input);
  const clock = input.clock ?? systemClock;
  const deviation = input.deviation?.trim() ? input.deviation.trim() : null;
  const decide = (reason: string, dev: string | null, by: string, signatures: ESignature[]) =>
    decideByEngineer(store, { lot: input.lot, disposition: input.disposition, reason, deviation: dev ?? undefined, by, clock, signatures });

  if (!(await twoPersonRule(store, input))) {
    const decision = await decide(input.reason, deviation, account.username, [
      signature(meaningOfDecision(input.disposition, deviation !== null)),
    ]);
    return { status: 'decided', decision };
  }

  const head = await store.latestEvaluationHead(input.lot);
  if (!head) throw new LotStageError(`lot ${input.lot} has not been evaluated: there is nothing to decide yet`);
  const final = await store.finalDecision(input.lot, head.revision);
  if (final)
    throw new LotStageError(
      `lot ${input.lot} revision ${head.revision} is already decided: ${final.disposition} by ${final.decidedBy} at ${final.decidedAt}`,
    );
  const open = await store.proposals.latestProposal(input.lot, head.revision);
  if (open && open.disposition === input.disposition) {
    refuseSameSecondSigner(`this ${input.disposition} proposal`, open.signature.signer, open.signature.signedAt, account.username);
    const decision = await decide(open.reason, open.deviation, `${open.signature.signer}, ${account.username}`, [
      open.signature,
      signature('second-approval'),
    ]);
    return { status: 'decided', decision };
  }
  if (!input.reason.trim()) throw new LotStageError('a decision needs a written reason');
  if (input.disposition === 'ACCEPT' && !deviation) {
    const latest = await store.getEvaluation(input.lot, head.revision);
    const failing = latest ? latest.result.units.filter((u) => u.final !== 'pass').length : 0;
    if (failing > 0)
      throw new LotStageError(
        `lot ${input.lot}: ${counted(failing, 'unit')} ${agreeing(failing, 'does not pass its', 'do not pass their')} final attempt; accepting it needs a deviation`,
      );
  }
  const first = signature(meaningOfDecision(input.disposition, deviation !== null));
  const proposal = await store.proposals.addProposal({
    lot: input.lot,
    revision: head.revision,
    disposition: input.disposition,
    reason: input.reason,
    deviation,
    signature: first,
  });
  await store.appendAudit({
    lot: input.lot,
    kind: 'decision-proposed',
    actor: account.username,
    at: first.signedAt,
    payload: { revision: head.revision, disposition: input.disposition, reason: input.reason, signature: first },
  });
  return { status: 'awaiting-second-signature', proposal };
}

/** Whether the policy of the lot's latest revision asks for two approvers: from the catalogs, else the document stored with the evaluation (a policy given by path); a policy found in neither holds to two (fail closed). */
async function twoPersonRule(store: Store, input: SignedDecisionInput): Promise<boolean> {
  if (!input.policyFor) return false;
  const head = await store.latestEvaluationHead(input.lot);
  if (!head) return false; // decideByEngineer says what is missing
  const evaluation = await store.getEvaluation(input.lot, head.revision);
  if (!evaluation) return false;
  try {
    return input.policyFor(evaluation.result.policy.id).signOff.twoPersonRule === true;
  } catch {
    // The policy the lot was evaluated under, as stored by its hash (a policy given by path is in no catalog).
    if (evaluation.policySha256) {
      const stored = await store.inputDocument(evaluation.policySha256);
      if (stored && stored.kind === 'policy') return (stored.document as Pick<AcceptancePolicy, 'signOff'>).signOff.twoPersonRule === true;
    }
    return true;
  }
}
