/**
 * @module The machine-readable summary a certificate carries as the PDF attachment `lot-summary.json`:
 * what the page says (lot, quantities, disposition, limits and statistics per parameter and temperature,
 * the certified serial numbers), for a customer's incoming-inspection system to extract
 * (`pdfdetach -save` or any PDF library). Pure.
 */
import type { LotResult } from '../domain/lot-result.js';
import { isCertifiedUnit } from '../domain/lot-result.js';
import type { CertificateContext, DecisionRecord } from '../domain/decision.js';
import type { CertificateEvidence } from './certificate-evidence.js';
import type { CertificateRow } from './certificate-rows.js';
import { laneName, laneNamingOf } from '../domain/lanes.js';

export const SUMMARY_ATTACHMENT = 'lot-summary.json';

export interface CertificateSummary {
  readonly format: 'lotqa/lot-summary';
  readonly version: 1;
  readonly certificateNumber: string;
  readonly certificateRevision: number;
  readonly status: 'signed' | 'unsigned' | 'draft';
  readonly company: string;
  readonly customer: string | null;
  readonly purchaseOrder: string | null;
  readonly shipTo: string | null;
  readonly lot: string;
  readonly revision: number;
  readonly product: { readonly productId: string; readonly partNumber: string; readonly description: string; readonly specVersion: string };
  readonly standards: readonly { readonly id: string; readonly title: string }[];
  readonly disposition: string;
  readonly approvedBy: string;
  readonly decidedAt: string;
  readonly quantity: {
    readonly tested: number;
    readonly certified: number;
    readonly nonconformingRemoved: number;
    readonly patOutliersExcluded: number;
  };
  readonly patAction: string | null;
  readonly sampling: string;
  readonly parameters: readonly {
    readonly parameter: string;
    readonly name: string;
    readonly caseTemperatureC: number | null;
    /** "all" (pooled), "module", or the lane as the station names it. */
    readonly lane: string;
    readonly unit: string;
    readonly decimals: number | null;
    readonly lsl: number | { readonly rule: string; readonly min: number | null; readonly max: number | null } | null;
    readonly usl: number | { readonly rule: string; readonly min: number | null; readonly max: number | null } | null;
    readonly lslInformative: boolean;
    readonly n: number;
    readonly min: number | null;
    readonly mean: number | null;
    readonly max: number | null;
  }[];
  readonly serials: readonly string[];
  readonly resultSha256: string;
}

export function certificateSummary(
  result: LotResult,
  decision: DecisionRecord,
  context: CertificateContext,
  evidence: CertificateEvidence,
  rows: readonly CertificateRow[],
  approvedBy: string,
  status: CertificateSummary['status'],
  certificateRevision: number,
): CertificateSummary {
  const certified = result.units.filter((u) => isCertifiedUnit(result, u));
  const limit = (l: CertificateRow['lsl'], value: number | null): CertificateSummary['parameters'][number]['lsl'] =>
    l.rule ? { rule: l.rule.words, min: l.rule.range?.min ?? null, max: l.rule.range?.max ?? null } : value;
  return {
    format: 'lotqa/lot-summary',
    version: 1,
    certificateNumber: evidence.certificateNumber,
    certificateRevision,
    status,
    company: context.company.name,
    customer: context.customer,
    purchaseOrder: context.purchaseOrder,
    shipTo: context.shipTo ?? null,
    lot: result.lot,
    revision: result.revision,
    product: {
      productId: result.product.productId,
      partNumber: result.product.partNumber,
      description: result.product.description,
      specVersion: result.product.specVersion,
    },
    standards: result.product.standards.map((s) => ({ id: s.id, title: s.title })),
    disposition: decision.disposition,
    approvedBy,
    decidedAt: decision.decidedAt,
    quantity: {
      tested: result.quantity.units,
      certified: certified.length,
      nonconformingRemoved: result.quantity.units - result.yields.finalPassed,
      patOutliersExcluded: result.certification?.excludedPatOutliers ?? 0,
    },
    patAction: result.certification?.patAction ?? null,
    sampling: result.sampling.description,
    parameters: rows.map((r) => {
      const cell = result.cells.find(
        (c) => c.key.parameter === r.parameter && c.key.corner === r.corner && (r.lane === null || c.key.lane === r.lane),
      )!;
      return {
        parameter: r.parameter,
        name: r.name,
        caseTemperatureC: r.caseTemperatureC,
        lane: r.module ? 'module' : r.lane === null ? 'all' : laneName(laneNamingOf(result.product), r.lane),
        unit: r.unit,
        decimals: r.decimals ?? null,
        lsl: limit(r.lsl, cell.lsl.value),
        usl: limit(r.usl, cell.usl.value),
        lslInformative: r.lsl.informative,
        n: r.n,
        min: r.min,
        mean: r.mean,
        max: r.max,
      };
    }),
    serials: certified.map((u) => u.serial).sort(),
    resultSha256: evidence.resultSha256,
  };
}
