/**
 * @module Errors the report stage raises, each telling the user what to do next.
 */
import { ExitCode, LotqaError } from '../errors/lotqa-error.js';
import type { Disposition } from '../domain/lot-result.js';

/** A certificate was asked for a lot that is not accepted: HOLD and REJECT lots never get one. */
export class NoCertificateError extends LotqaError {
  override readonly name = 'NoCertificateError';
  constructor(
    readonly lot: string,
    readonly revision: number,
    readonly disposition: Disposition,
  ) {
    super(
      `Lot "${lot}" revision ${revision} is ${disposition}: a Certificate of Conformance is only issued for ACCEPT. ` +
        (disposition === 'HOLD'
          ? 'Review the held lot and record an engineer decision first (lotqa decide).'
          : 'A rejected lot cannot be certified.'),
    );
  }
}

/** The decision is about another result than the one given to the renderer. */
export class DecisionMismatchError extends LotqaError {
  override readonly name = 'DecisionMismatchError';
  constructor(
    readonly field: string,
    readonly expected: string,
    readonly actual: string,
  ) {
    super(
      `The decision does not belong to this lot result (${field}: decision has "${expected}", result has "${actual}"). ` +
        'Load the decision recorded for this exact lot revision.',
    );
  }
}

/** No evidence block could be found in a file given to `lotqa verify`. */
export class EvidenceNotFoundError extends LotqaError {
  override readonly name = 'EvidenceNotFoundError';
  constructor(detail: string) {
    super(`No lotqa evidence block in this PDF (${detail}). Only certificates written by lotqa can be verified.`, {
      exitCode: ExitCode.verifyMismatch,
      hint: 'only certificates written by lotqa carry the evidence `lotqa verify` checks',
    });
  }
}

/** A certificate for a customer must name the real company, never lotqa's placeholder. */
export class PlaceholderCompanyError extends LotqaError {
  override name = 'PlaceholderCompanyError';
  constructor(readonly company: string) {
    super(
      company.trim() === ''
        ? 'No company is configured: a Certificate of Conformance must name the company that issues it.'
        : `The company on the certificate is lotqa's placeholder "${company}": a customer certificate must name your company.`,
      {
        hint: 'set company.name and company.address in lotqa.config.json, or pass --draft for a watermarked draft that is not issued',
        exitCode: ExitCode.rejectedOrUsage,
      },
    );
  }
}
