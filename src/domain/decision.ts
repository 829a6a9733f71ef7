/**
 * @module Decision records — who decided what about which exact LotResult. Never changed once stored.
 */
import type { Disposition } from './lot-result.js';

export type DecidedKind = 'policy' | 'engineer';

export interface DecisionRecord {
  readonly lot: string;
  readonly revision: number;
  readonly disposition: Disposition;
  /** 'policy:<policy id>' for the scheduled/automatic sign-off, or the engineer's name. */
  readonly decidedBy: string;
  readonly decidedKind: DecidedKind;
  /** ISO-8601 instant. */
  readonly decidedAt: string;
  readonly reason: string;
  /** SHA-256 of the canonical JSON of the LotResult this decision is about. */
  readonly resultSha256: string;
  readonly specVersion: string;
  readonly policyVersion: string;
  readonly baselineVersion: number | null;
}

/**
 * The decision that stands for a lot revision: its final one (ACCEPT or REJECT), else its HOLD, else
 * none. A revision gets at most one HOLD and at most one final decision (the store refuses more), so
 * this is the one answer to "how was revision N decided?" — for reports, status, listings and pages.
 */
export function standingDecision<D extends Pick<DecisionRecord, 'revision' | 'disposition'>>(
  decisions: readonly D[],
  revision: number,
): D | null {
  let hold: D | null = null;
  for (const d of decisions) {
    if (d.revision !== revision) continue;
    if (d.disposition !== 'HOLD') return d;
    hold ??= d;
  }
  return hold;
}

/** Customer-facing context of a certificate, from a lot manifest or the command line. */
export interface CertificateContext {
  readonly company: { readonly name: string; readonly address: readonly string[]; readonly logoPath?: string | null };
  readonly customer: string | null;
  readonly purchaseOrder: string | null;
  /** Ship-to address (one line), when the lot's shipment names one. */
  readonly shipTo?: string | null;
  readonly showStations: boolean;
  /**
   * Where the company's signing certificate is (paths and signature details only: the password is read
   * from the environment when a certificate is issued, never carried here). Absent: unsigned drafts.
   */
  readonly signing?: {
    readonly p12Path?: string | undefined;
    readonly passwordFile?: string | undefined;
    readonly location?: string | undefined;
    readonly contactInfo?: string | undefined;
  } | null;
}
