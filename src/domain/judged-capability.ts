/**
 * @module The Cpk a lot decision judged a chart by, as every document must show it: the Box–Cox figures
 * where the policy's non-normal route judged the chart, else the normal-theory ones. One place, so the
 * certificate, the engineering report and the console cannot disagree with the decision. Pure.
 */
import type { CapabilityView } from './lot-result.js';

export type CapabilityRoute = 'normal-theory' | 'box-cox';

export interface JudgedCapability {
  readonly by: CapabilityRoute;
  readonly cpk: number | null;
  /** Lower one-sided confidence bound of the judged Cpk. */
  readonly cpkLower: number | null;
  /** Two-sided upper bound; only normal theory stores one. */
  readonly cpkUpper: number | null;
}

/** The judged Cpk of a chart; a result stored before `judgedBy` was recorded was judged by normal theory. */
export function judgedCapability(cap: CapabilityView): JudgedCapability {
  if (cap.judgedBy === 'box-cox')
    return { by: 'box-cox', cpk: cap.judgedCpk ?? null, cpkLower: cap.judgedCpkLower ?? null, cpkUpper: null };
  return { by: 'normal-theory', cpk: cap.cpk, cpkLower: cap.cpkLower, cpkUpper: cap.cpkUpper };
}
