/**
 * @module A lot with files but no unit left to evaluate — every run held out by unresolved file
 * conflicts — is HELD, fail closed: a stored LotResult whose reasons are the data's own (each conflict
 * naming its serial, files and stations) and one saying no unit could be evaluated. No statistics, no
 * charts, no sample is drawn (sampling verdict `not-judged`: no switching rule moves), and no
 * certificate can follow: it covers no unit. Under Z1.4 attributes sampling the result carries the
 * product's switching state as it stands; a product whose acceptance is discontinued gets the same HOLD
 * reason wording the judged path refuses with (lot-sampling.ts), so the stop is visible on the held lot too.
 * Pure, like evaluate-lot.ts.
 */
import { lotContentHash } from '../domain/lot-content.js';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import { patOutlierAction } from '../domain/acceptance-policy.js';
import type { LotData } from '../domain/lot-data.js';
import type { LotResult, Reason, SamplingView } from '../domain/lot-result.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { agreeing, counted } from '../domain/counted.js';
import { LOTQA_VERSION } from '../version.js';
import { lotDataHolds, withLotDataHolds } from './lot-data-holds.js';
import { discontinuedMessage, notSampled, type SamplingState } from './lot-sampling.js';

/** Code of the reason that no unit of the lot could be evaluated. */
export const NO_UNITS_EVALUATED = 'no-units-evaluated';

/** Code of the reason that the product's Z1.4 acceptance is discontinued (switching rules, z14-switching.ts). */
export const SAMPLING_DISCONTINUED = 'sampling-discontinued';

/** What the held result needs of the evaluation's input (evaluate-lot.ts EvaluateLotInput). */
export interface HeldWithoutUnitsInput {
  readonly lot: LotData;
  readonly spec: ProductSpec;
  readonly policy: AcceptancePolicy;
  readonly baseline: {
    readonly version: number;
    readonly createdAt: string;
    readonly payload: { readonly lots: readonly string[] };
  } | null;
  readonly revision: number;
  /** The product's Z1.4 switching state (attributes mode); the policy's start severity when absent. */
  readonly sampling?: SamplingState | null;
}

/** The product block of a LotResult (shared with evaluate-lot.ts). */
export function resultProduct(spec: ProductSpec): LotResult['product'] {
  return {
    productId: spec.productId,
    partNumber: spec.partNumber,
    description: spec.description,
    formFactor: spec.formFactor,
    specVersion: spec.version,
    laneCount: spec.laneCount,
    // Only when the spec names its lanes: results of specs without labels hash as before.
    ...(spec.laneLabels !== undefined ? { laneLabels: [...spec.laneLabels] } : {}),
    corners: spec.corners.map((c) => ({ id: c.id, name: c.name, caseTemperatureC: c.caseTemperatureC })),
    standards: spec.standards.map((s) => ({ id: s.id, title: s.title })),
  };
}

/**
 * What a LotResult is of and by: the lot and revision, its content, the product, policy and baseline, the
 * code version (shared with evaluate-lot.ts, so a held result names its inputs exactly as an evaluated one).
 */
export function resultIdentity(
  input: HeldWithoutUnitsInput,
): Pick<
  LotResult,
  'kind' | 'schemaVersion' | 'lotqaVersion' | 'lot' | 'revision' | 'contentHash' | 'fileHashes' | 'product' | 'policy' | 'baseline'
> {
  const { lot, spec, policy, baseline } = input;
  return {
    kind: 'lotqa/lot-result',
    schemaVersion: 1,
    lotqaVersion: LOTQA_VERSION,
    lot: lot.lot,
    revision: input.revision,
    contentHash: lotContentHash(lot.fileHashes, lot.contentMarks),
    fileHashes: [...lot.fileHashes].sort(),
    product: resultProduct(spec),
    policy: { id: policy.id, version: policy.version },
    baseline: baseline ? { version: baseline.version, createdAt: baseline.createdAt, lots: [...baseline.payload.lots] } : null,
  };
}

/**
 * Whether a lot has files but no run to evaluate: only unresolved conflicts hold out every run of a lot
 * that has files (a re-export keeps one file's runs; a file without runs belongs to no lot).
 */
export function hasNoUnitsToEvaluate(lot: LotData): boolean {
  return lot.runs.length === 0 && lot.fileHashes.length > 0;
}

/** The HOLD result of a lot with files but no unit to evaluate (see the module). */
export function heldWithoutUnits(input: HeldWithoutUnitsInput): LotResult {
  const { lot, policy } = input;
  const open = (lot.conflicts ?? []).filter((c) => c.resolution === null);
  const serials = [...new Set(open.map((c) => c.serial))].sort();
  const noUnits: Reason = {
    code: NO_UNITS_EVALUATED,
    severity: 'HOLD',
    message:
      `no unit of lot ${lot.lot} could be evaluated: ` +
      (open.length > 0
        ? `every run of its ${counted(lot.fileHashes.length, 'file')} is held out by ${counted(open.length, 'unresolved file conflict')} ` +
          `(${counted(serials.length, 'unit')}: ${serials.slice(0, 10).join(', ')}${serials.length > 10 ? ', …' : ''}), `
        : `its ${counted(lot.fileHashes.length, 'file')} ${agreeing(lot.fileHashes.length, 'holds', 'hold')} no run that can be judged, `) +
      `so nothing was measured against the spec and no statistics were computed. ` +
      (open.length > 0
        ? `List the conflicts with lotqa conflicts ${lot.lot}, keep one file each with lotqa conflicts resolve ${lot.lot} <serial> --keep <sha256> --reason "…", then evaluate the lot again`
        : `Check the lot's files (lotqa lot show ${lot.lot}) and evaluate it again`),
    ...(serials.length > 0 ? { serials: serials.slice(0, 50) } : {}),
  };
  const c = policy.conformance;
  // Attributes sampling: the switching state the next judged lot starts from, unchanged by this one.
  const severity = c.mode === 'attributes' ? (input.sampling?.severity ?? c.startSeverity ?? 'normal') : null;
  const discontinued: Reason[] =
    c.mode === 'attributes' && severity === 'discontinued'
      ? [{ code: SAMPLING_DISCONTINUED, severity: 'HOLD', message: discontinuedMessage(c.standard, input.spec.productId) }]
      : [];
  const proposal = withLotDataHolds({ disposition: 'HOLD', reasons: [noUnits, ...discontinued] }, lotDataHolds(lot));
  const sampling: SamplingView = notSampled({
    mode: c.mode,
    standard: c.mode === 'attributes' ? c.standard : null,
    description: 'No sample drawn: no unit of the lot could be evaluated',
    severity,
    detail: [
      'no unit to inspect: the lot is held until its units can be evaluated',
      ...(severity !== null
        ? [`switching state unchanged: ${severity} inspection (a lot not inspected neither advances nor resets it)`]
        : []),
    ],
  });
  return {
    ...resultIdentity(input),
    quantity: {
      units: 0,
      runs: 0,
      files: lot.fileHashes.length,
      quarantinedRows: lot.quarantinedRows,
      firstTestTime: null,
      lastTestTime: null,
      stations: [],
    },
    yields: { firstPass: 0, final: 0, firstPassPassed: 0, finalPassed: 0, indeterminate: 0 },
    sampling,
    cells: [],
    units: [],
    pareto: [],
    stations: [],
    laneSpread: [],
    stationEffects: [],
    investigations: [],
    family: { tests: 0, alpha: policy.consistency.alpha, correction: policy.consistency.correction },
    proposal,
    notes: ['No unit could be evaluated: no control chart, capability or lot-to-lot test was computed.'],
    certification: { patAction: patOutlierAction(policy), units: 0, excludedPatOutliers: 0 },
  };
}
