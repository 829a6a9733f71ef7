/**
 * @module A named decision with an electronic signature: the signer's password is checked at the moment
 * of signing, the signer must hold the approver (or admin) role, and the signature — who, printed name,
 * role, meaning, when, how authenticated — is stored with the decision, shown in the audit trail and
 * printed on the certificate. The console and `lotqa decide --sign-as` both come here.
 */
import { meaningOfDecision, type ESignature, type SignatureMethod } from '../domain/e-signature.js';
import type { StoredDecision, Store } from '../store/store.js';
import { verifySigner } from './accounts.js';
import { decideByEngineer, systemClock, type Clock } from './lot-stages.js';

export interface SignedDecisionInput {
  readonly lot: string;
  readonly disposition: 'ACCEPT' | 'REJECT';
  readonly reason: string;
  readonly deviation?: string | undefined;
  /** The signer's account name and the password re-entered for this signature. */
  readonly signer: string;
  readonly password: string;
  readonly method: SignatureMethod;
  readonly clock?: Clock;
}

export async function decideWithSignature(store: Store, input: SignedDecisionInput): Promise<StoredDecision> {
  const account = await verifySigner(store, input.signer, input.password);
  const clock = input.clock ?? systemClock;
  const deviation = Boolean(input.deviation?.trim());
  const signature: ESignature = {
    signer: account.username,
    fullName: account.fullName,
    role: account.role,
    meaning: meaningOfDecision(input.disposition, deviation),
    signedAt: clock.now(),
    method: input.method,
  };
  return decideByEngineer(store, {
    lot: input.lot,
    disposition: input.disposition,
    reason: input.reason,
    deviation: input.deviation,
    by: account.username,
    clock,
    signatures: [signature],
  });
}
