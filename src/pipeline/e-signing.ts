/**
 * @module The signing step every electronic signature shares (a decision on a held lot, a baseline's
 * approval): the signer's password checked at this moment, the approver role required, and the
 * signature made from the account as stored — never from what the caller claims.
 */
import type { ESignature, SignatureMeaning, SignatureMethod } from '../domain/e-signature.js';
import type { AccountRecord, Store } from '../store/store.js';
import { verifySigner } from './accounts.js';
import { systemClock, type Clock } from './lot-stages.js';

export interface SignerInput {
  /** The signer's account name and the password re-entered for this signature. */
  readonly signer: string;
  readonly password: string;
  readonly method: SignatureMethod;
  readonly clock?: Clock | undefined;
}

export interface Signer {
  readonly account: AccountRecord;
  /** The signature of this signer with this meaning, dated now. */
  sign(this: void, meaning: SignatureMeaning): ESignature;
}

/** Checks the password and role (AccountError when refused) and returns who signs. */
export async function authenticatedSigner(store: Store, input: SignerInput): Promise<Signer> {
  const account = await verifySigner(store, input.signer, input.password);
  const clock = input.clock ?? systemClock;
  return {
    account,
    sign: (meaning) => ({
      signer: account.username,
      fullName: account.fullName,
      role: account.role,
      meaning,
      signedAt: clock.now(),
      method: input.method,
    }),
  };
}
