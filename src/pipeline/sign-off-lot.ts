/**
 * @module Sign off one lot: evaluate its current revision, record the policy's decision (once per
 * revision), issue its reports. What `lotqa run`, `lotqa demo`, the evaluate worker and the scheduled
 * sign-off all do for each lot — one implementation.
 */
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { CertificateContext } from '../domain/decision.js';
import type { Store } from '../store/store.js';
import { findProduct } from '../domain/catalog.js';
import type { ProductSpec } from '../domain/product-spec.js';
import {
  evaluateRevision,
  signOffByPolicy,
  type Clock,
  type EvaluatedRevision,
  type SignOffOutcome,
  type SpecFinder,
} from './lot-stages.js';
// report-stage.js is imported when reports are wanted: it loads pdfkit and its fonts (~0.4 s of a
// `lotqa run --no-reports` start-up otherwise).
import type { IssuedReports } from './report-stage.js';
import { setLotShipment, type ShipmentChange } from './lot-shipment.js';

export interface SignOffLotOptions {
  readonly policy: AcceptancePolicy;
  readonly reports: {
    readonly outDir: string;
    readonly context: CertificateContext;
    readonly preview?: boolean;
    /** Write the certificate as a watermarked draft (not issued, not recorded). */
    readonly draft?: boolean;
  } | null;
  readonly clock?: Clock;
  /** The lot's product spec, when the caller resolved it (e.g. `lotqa run --product ./spec.json`). */
  readonly spec?: ProductSpec;
  /** How to find the spec of the lot's product id otherwise (the configured catalogs). */
  readonly findSpec?: SpecFinder;
  /** Customer, PO and ship-to given with the command: stored with the lot first (audited as `by`). */
  readonly shipment?: { readonly change: ShipmentChange; readonly by: string };
}

export interface LotSignOff {
  readonly evaluated: EvaluatedRevision;
  readonly signOff: SignOffOutcome;
  readonly reports: IssuedReports | null;
}

export async function signOffLot(store: Store, lot: string, options: SignOffLotOptions): Promise<LotSignOff> {
  if (options.shipment)
    await setLotShipment(store, lot, options.shipment.change, { by: options.shipment.by, reason: 'given with the sign-off' });
  const deps = { policy: options.policy, ...(options.clock ? { clock: options.clock } : {}) };
  const evaluated = await evaluateRevision(store, lot, {
    ...deps,
    ...(options.spec ? { spec: options.spec } : {}),
    ...(options.findSpec ? { findSpec: options.findSpec } : {}),
  });
  const signOff = await signOffByPolicy(store, evaluated, deps);
  let reports: IssuedReports | null = null;
  if (options.reports) {
    const { issueReports } = await import('./report-stage.js');
    reports = await issueReports(store, lot, {
      ...options.reports,
      revision: evaluated.revision,
      // The evaluation just made or found: not read back from the store (a 25 MB JSON for 10,000 units).
      ...(evaluated.record ? { evaluation: { record: evaluated.record, resultJson: evaluated.resultJson } } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      findSpec: (id: string) => (options.spec?.productId === id ? options.spec : (options.findSpec ?? findProduct)(id)),
    });
  }
  return { evaluated, signOff, reports };
}
