/**
 * @module Electronic signatures (21 CFR Part 11 §11.50 style): who signed, as what role, what the
 * signature means, when, and how the signer proved who they were. A signature is part of the decision
 * record it signs, so it is as permanent as the decision and appears on the certificate and in the audit
 * trail. Accounts (console users) are the signers; the password is re-entered at every signing.
 */
import { Type, type Static } from '@sinclair/typebox';

/** The account roles, least to most powerful. Signing a decision needs `approver` or `admin`. */
export const AccountRole = Type.Union([Type.Literal('viewer'), Type.Literal('engineer'), Type.Literal('approver'), Type.Literal('admin')]);
export type AccountRole = Static<typeof AccountRole>;
export const ACCOUNT_ROLES: readonly AccountRole[] = ['viewer', 'engineer', 'approver', 'admin'];

/** True when `role` has at least the rights of `needed` (roles are ordered). */
export function roleAtLeast(role: AccountRole, needed: AccountRole): boolean {
  return ACCOUNT_ROLES.indexOf(role) >= ACCOUNT_ROLES.indexOf(needed);
}

/** What the signer declares by signing. */
export const SignatureMeaning = Type.Union([
  Type.Literal('acceptance'),
  Type.Literal('acceptance-with-deviation'),
  Type.Literal('rejection'),
  Type.Literal('second-approval'),
  /** An approver makes a proposed SPC baseline the product's active one (src/pipeline/baseline-approval.ts). */
  Type.Literal('baseline-approval'),
  /** An approver refuses a proposed baseline: it is never used. */
  Type.Literal('baseline-rejection'),
  /**
   * An approver accepts the supplier's corrective action: a product whose Z1.4 acceptance was discontinued
   * resumes on tightened inspection (src/pipeline/sampling-resumption.ts).
   */
  Type.Literal('sampling-resumption'),
]);
export type SignatureMeaning = Static<typeof SignatureMeaning>;

/** How the signer was authenticated at the moment of signing. */
export const SignatureMethod = Type.Union([
  /** The password re-entered in the console's signing dialog. */
  Type.Literal('password-reentered-console'),
  /** The password given to `lotqa decide --sign-as` (prompt or LOTQA_SIGN_PASSWORD). */
  Type.Literal('password-cli'),
]);
export type SignatureMethod = Static<typeof SignatureMethod>;

export const ESignature = Type.Object(
  {
    /** The account name (unique, never reused). */
    signer: Type.String({ minLength: 1 }),
    /** The signer's printed name. */
    fullName: Type.String({ minLength: 1 }),
    role: AccountRole,
    meaning: SignatureMeaning,
    /** ISO-8601 instant. */
    signedAt: Type.String(),
    method: SignatureMethod,
  },
  { title: 'lotqa electronic signature', additionalProperties: false },
);
export type ESignature = Static<typeof ESignature>;

/** "Jane Roe (jroe, approver) — acceptance with deviation, 2026-12-02T17:40:00.000Z": for certificates and trails. */
export function signatureLine(s: ESignature): string {
  return `${s.fullName} (${s.signer}, ${s.role}) — ${s.meaning.replaceAll('-', ' ')}, ${s.signedAt}`;
}

/** "acceptance with deviation, 2026-12-02T17:40:00.000Z (console)": a signature's meaning, time and where the password was re-entered. */
export function signatureMeaningWords(s: ESignature): string {
  return `${s.meaning.replaceAll('-', ' ')}, ${s.signedAt} (${s.method === 'password-reentered-console' ? 'console' : 'CLI'})`;
}

/** The meaning of an engineer's signature on a decision. */
export function meaningOfDecision(disposition: 'ACCEPT' | 'REJECT', deviation: boolean): SignatureMeaning {
  if (disposition === 'REJECT') return 'rejection';
  return deviation ? 'acceptance-with-deviation' : 'acceptance';
}
