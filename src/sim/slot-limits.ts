/**
 * @module SlotLimits — the LSL/USL of one slot as plain numbers for the synthetic factory, on top of
 * the domain's {@link resolveLimits} (overrides applied, expressions compiled once). Expression
 * limits are evaluated with whatever readings the caller supplies — the model's typical values while
 * modelling, one unit's readings when judging it; a missing input makes the limit unknown (null).
 */
import type { Limit, ProductSpec } from '../domain/product-spec.js';
import { limitValue, resolveLimits, type ResolvedLimit, type ResolvedLimits } from '../domain/spec-limits.js';
import { isEvaluationGap, type Lookup } from '../domain/limit-expression.js';
import { expressionInputs } from './limit-expression-bridge.js';

export type { ResolvedLimits };

export interface SlotLimitValues {
  readonly lsl: number | null;
  readonly usl: number | null;
}

/** The limits (constants or compiled expressions) of a parameter at a corner and lane. */
export function slotLimitDefinition(spec: ProductSpec, parameter: string, corner: string, lane: number | null): ResolvedLimits {
  return resolveLimits(spec, parameter, corner, lane);
}

function valueOf(limit: ResolvedLimit | null, lookup: Lookup): number | null {
  if (limit === null) return null;
  const v = limitValue(limit, lookup);
  return isEvaluationGap(v) ? null : v;
}

/** Both limits of a slot as numbers; null where there is no limit or an input is missing. */
export function slotLimitValues(limits: ResolvedLimits, lookup: Lookup): SlotLimitValues {
  return { lsl: valueOf(limits.lsl, lookup), usl: valueOf(limits.usl, lookup) };
}

/** True when the limit is a constant (judgeable without other readings). */
export function isConstant(limit: ResolvedLimit | null): limit is { readonly kind: 'constant'; readonly value: number } {
  return limit !== null && limit.kind === 'constant';
}

/** Parameter ids a raw spec limit reads (empty for constants). */
export function limitInputs(limit: Limit | null): string[] {
  if (limit === null || typeof limit === 'number') return [];
  return expressionInputs(limit.expr);
}
