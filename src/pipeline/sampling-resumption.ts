/**
 * @module Acceptance resumed after corrective action. Under ANSI/ASQ Z1.4 a product whose lots kept failing
 * on tightened inspection has acceptance discontinued: every further lot is held until the supplier has
 * corrected the process. Resuming is a person's decision, signed like a baseline approval (password
 * re-entered, approver role) and audited; the product then restarts on tightened inspection with a clean
 * tightened history (the standard's rule), never on normal.
 */
import type { SwitchingState } from '../acceptance/z14-switching.js';
import { resumeAfterCorrectiveAction } from '../acceptance/z14-switching.js';
import type { ESignature } from '../domain/e-signature.js';
import type { Store } from '../store/store.js';
import { authenticatedSigner, type SignerInput } from './e-signing.js';
import { LotStageError } from './lot-stages.js';

export interface SamplingResumptionInput extends SignerInput {
  readonly productId: string;
  /** The corrective action accepted (8D/CAPA reference, what was changed): recorded with the signature. */
  readonly reason: string;
}

export interface SamplingResumption {
  readonly productId: string;
  readonly state: SwitchingState;
  readonly signature: ESignature;
}

export async function resumeSampling(store: Store, input: SamplingResumptionInput): Promise<SamplingResumption> {
  const reason = input.reason.trim();
  if (!reason)
    throw new LotStageError(`resuming acceptance of ${input.productId} needs a written reason`, {
      hint: 'name the corrective action accepted, e.g. --reason "8D-2291: laser bias trim corrected, 3 pilot lots passed"',
    });
  const stored = await store.samplingState(input.productId);
  const severity = stored?.payload.severity ?? null;
  if (severity !== 'discontinued')
    throw new LotStageError(
      `acceptance of ${input.productId} is not discontinued: ${severity === null ? 'no lot has been inspected on a sample yet' : `its lots are on ${severity} inspection`}`,
      { hint: 'only a product whose Z1.4 acceptance was discontinued (5 lots not accepted on tightened inspection) is resumed' },
    );
  const signer = await authenticatedSigner(store, input);
  const step = resumeAfterCorrectiveAction(stored!.payload);
  const signature = signer.sign('sampling-resumption');
  await store.saveSamplingState(input.productId, step.state, signature.signedAt);
  await store.appendAudit({
    lot: null,
    kind: 'sampling-switch',
    actor: signer.account.username,
    at: signature.signedAt,
    payload: {
      from: 'discontinued',
      to: step.state.severity,
      reason: `${step.transition!.reason}: ${reason}`,
      productId: input.productId,
      signature,
    },
  });
  return { productId: input.productId, state: step.state, signature };
}
