/**
 * @module Separation of duties for signed approvals (21 CFR 11 / ISO 9001 practice): the person who made
 * a thing does not approve it, and under the two-person rule the second signature is another person's.
 * A refusal is a {@link SeparationOfDutiesError}: the console answers 403, the CLI exits 1, and the
 * message names the rule and what to do.
 */
import { LotqaError } from '../errors/lotqa-error.js';

export class SeparationOfDutiesError extends LotqaError {
  override name = 'SeparationOfDutiesError';
}

/** Account names compare without case or surrounding blanks (a baseline's creator is the CLI's free-text `--by`). */
export const samePerson = (a: string, b: string): boolean => a.trim().toLowerCase() === b.trim().toLowerCase();

/** Refuses the creator of a baseline approving it (rejecting their own proposal stays allowed: the fail-safe way). */
export function refuseSelfApproval(what: string, createdBy: string, signer: string): void {
  if (samePerson(createdBy, signer))
    throw new SeparationOfDutiesError(`separation of duties: ${signer} created ${what} and cannot approve it`, {
      hint: 'another approver must review it and sign',
    });
}

/** Refuses a second signature by the person who signed first (the two-person rule). */
export function refuseSameSecondSigner(what: string, firstSigner: string, firstSignedAt: string, signer: string): void {
  if (samePerson(firstSigner, signer))
    throw new SeparationOfDutiesError(`the two-person rule needs a second approver: ${signer} already signed ${what} at ${firstSignedAt}`, {
      hint: 'ask another approver to review it and sign',
    });
}
