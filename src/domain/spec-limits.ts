/**
 * @module Spec limits — the limits that apply to one parameter at one corner on one lane, with
 * per-lane/per-corner overrides applied and expressions compiled once; and the derived parameters of a
 * product (e.g. `tx_oma_minus_tdecq = tx_oma_outer - tx_tdecq`) in the order they must be computed.
 *
 * Everything here is pure and cached per spec object (a WeakMap), so the evaluation can call
 * `resolveLimits` per cell without re-parsing; treat a ProductSpec as immutable once loaded (the
 * loaders in schema-registry.ts freeze it).
 */
import { ExitCode, LotqaError, type LotqaErrorOptions } from '../errors/lotqa-error.js';
import type { Limit, LimitOverride, ParameterSpec, ProductSpec } from './product-spec.js';
import { compileExpression, type CompiledExpression, type EvaluationGap, type Lookup } from './limit-expression.js';

/** A limit ready to judge with: a constant, or an expression over same-lane, same-corner values. */
export type ResolvedLimit =
  { readonly kind: 'constant'; readonly value: number } | { readonly kind: 'expression'; readonly expression: CompiledExpression };

export interface ResolvedLimits {
  readonly parameter: string;
  readonly corner: string;
  /** 0-based lane, or null for a per-module parameter. */
  readonly lane: number | null;
  readonly lsl: ResolvedLimit | null;
  readonly usl: ResolvedLimit | null;
  readonly target: number | null;
  /** The LSL is informative (e.g. average launch power min): report it, do not fail a unit on it. */
  readonly informativeLsl: boolean;
}

/** A question about a parameter, corner or lane the product does not have. */
export class SpecLimitError extends LotqaError {
  override readonly name = 'SpecLimitError';

  constructor(message: string, options: LotqaErrorOptions = {}) {
    super(message, { exitCode: ExitCode.configOrService, ...options });
  }
}

/** Derived parameters whose formulas depend on each other in a circle, so none can be computed. */
export class DerivedCycleError extends LotqaError {
  override readonly name = 'DerivedCycleError';
  constructor(
    readonly productId: string,
    /** The circle, first id repeated at the end: ['a', 'b', 'a']. */
    readonly cycle: readonly string[],
  ) {
    super(`product ${productId}: derived parameters form a cycle ${cycle.join(' → ')}; one of them must be measured, not derived`, {
      exitCode: ExitCode.configOrService,
    });
  }
}

export interface DerivedParameter {
  readonly id: string;
  readonly parameter: ParameterSpec;
  readonly expression: CompiledExpression;
  /** Parameter ids the formula reads (measured or derived earlier in the list). */
  readonly inputs: readonly string[];
}

interface SpecIndex {
  readonly parameters: ReadonlyMap<string, ParameterSpec>;
  readonly compiled: Map<string, CompiledExpression>;
  readonly resolved: Map<string, ResolvedLimits>;
  derived: readonly DerivedParameter[] | null;
}

const indexes = new WeakMap<ProductSpec, SpecIndex>();

function indexOf(spec: ProductSpec): SpecIndex {
  let idx = indexes.get(spec);
  if (idx === undefined) {
    idx = { parameters: new Map(spec.parameters.map((p) => [p.id, p])), compiled: new Map(), resolved: new Map(), derived: null };
    indexes.set(spec, idx);
  }
  return idx;
}

function compiledOf(idx: SpecIndex, text: string): CompiledExpression {
  let c = idx.compiled.get(text);
  if (c === undefined) {
    c = compileExpression(text);
    idx.compiled.set(text, c);
  }
  return c;
}

function toResolved(idx: SpecIndex, limit: Limit | undefined): ResolvedLimit | null {
  if (limit === undefined) return null;
  if (typeof limit === 'number') return { kind: 'constant', value: limit };
  return { kind: 'expression', expression: compiledOf(idx, limit.expr) };
}

/** The parameter's definition, or a SpecLimitError naming the product's parameters. */
export function parameterOf(spec: ProductSpec, parameterId: string): ParameterSpec {
  const p = indexOf(spec).parameters.get(parameterId);
  if (p === undefined) {
    throw new SpecLimitError(
      `product ${spec.productId} has no parameter '${parameterId}' (it has: ${spec.parameters.map((q) => q.id).join(', ')})`,
    );
  }
  return p;
}

/** Corner ids at which a parameter is measured: its own `corners`, else every corner of the product. */
export function parameterCorners(spec: ProductSpec, parameterId: string): readonly string[] {
  return parameterOf(spec, parameterId).corners ?? spec.corners.map((c) => c.id);
}

/** Parameters a station must measure (everything that is not derived), in spec order. */
export function measuredParameters(spec: ProductSpec): readonly ParameterSpec[] {
  return spec.parameters.filter((p) => p.derived === undefined);
}

/** Whether an override applies to this corner and lane (absent lists match everything). */
export function overrideApplies(override: LimitOverride, corner: string, lane: number | null): boolean {
  if (override.corners !== undefined && !override.corners.includes(corner)) return false;
  if (override.lanes !== undefined && (lane === null || !override.lanes.includes(lane))) return false;
  return true;
}

/**
 * The limits of one parameter at one corner on one lane: the parameter's own limits, then every
 * matching override in order (a later override wins for the fields it sets).
 * @param lane 0-based lane for a per-lane parameter; null for a per-module one.
 * @throws SpecLimitError when the product has no such parameter, does not measure it at that corner,
 *   or the lane does not fit the parameter's scope.
 */
export function resolveLimits(spec: ProductSpec, parameterId: string, corner: string, lane: number | null): ResolvedLimits {
  const idx = indexOf(spec);
  const key = `${parameterId}\u0000${corner}\u0000${lane ?? 'module'}`;
  const cached = idx.resolved.get(key);
  if (cached !== undefined) return cached;

  const p = parameterOf(spec, parameterId);
  const corners = parameterCorners(spec, parameterId);
  if (!corners.includes(corner)) {
    throw new SpecLimitError(
      `product ${spec.productId}: ${parameterId} is not measured at corner '${corner}' (only at ${corners.join(', ')})`,
    );
  }
  if (p.scope === 'module' && lane !== null) {
    throw new SpecLimitError(`product ${spec.productId}: ${parameterId} is a per-module parameter; ask for lane null, not lane ${lane}`);
  }
  if (p.scope === 'lane' && (lane === null || !Number.isInteger(lane) || lane < 0 || lane >= spec.laneCount)) {
    throw new SpecLimitError(
      `product ${spec.productId}: ${parameterId} is per lane; lane must be 0…${spec.laneCount - 1}, got ${String(lane)}`,
    );
  }

  let lsl = p.lsl;
  let usl = p.usl;
  let target = p.target;
  for (const o of p.overrides ?? []) {
    if (!overrideApplies(o, corner, lane)) continue;
    if (o.lsl !== undefined) lsl = o.lsl;
    if (o.usl !== undefined) usl = o.usl;
    if (o.target !== undefined) target = o.target;
  }
  const resolved: ResolvedLimits = Object.freeze({
    parameter: parameterId,
    corner,
    lane,
    lsl: toResolved(idx, lsl),
    usl: toResolved(idx, usl),
    target: target ?? null,
    informativeLsl: p.informativeLsl === true,
  });
  idx.resolved.set(key, resolved);
  return resolved;
}

/**
 * The value of a resolved limit for one unit, lane and corner.
 * @returns the limit, or an EvaluationGap (e.g. "missing input tx_tdecq") meaning the unit's verdict on
 *   this limit is indeterminate, never a pass.
 */
export function limitValue(limit: ResolvedLimit, lookup: Lookup): number | EvaluationGap {
  return limit.kind === 'constant' ? limit.value : limit.expression.evaluate(lookup);
}

/**
 * The product's derived parameters with compiled formulas, ordered so that every input is measured
 * or computed earlier in the list (spec order among independent ones).
 * @throws DerivedCycleError when derived parameters depend on each other in a circle.
 * @throws ExpressionError when a formula does not parse (validate the spec first).
 */
export function derivedParameters(spec: ProductSpec): readonly DerivedParameter[] {
  const idx = indexOf(spec);
  if (idx.derived !== null) return idx.derived;

  const byId = new Map<string, DerivedParameter>();
  for (const p of spec.parameters) {
    if (p.derived === undefined) continue;
    const expression = compiledOf(idx, p.derived);
    byId.set(p.id, { id: p.id, parameter: p, expression, inputs: expression.ids });
  }

  // Depth-first topological order; a grey node met again closes a cycle.
  const state = new Map<string, 'visiting' | 'done'>();
  const order: DerivedParameter[] = [];
  const stack: string[] = [];
  const visit = (id: string): void => {
    const d = byId.get(id);
    if (d === undefined || state.get(id) === 'done') return;
    if (state.get(id) === 'visiting') {
      throw new DerivedCycleError(spec.productId, [...stack.slice(stack.indexOf(id)), id]);
    }
    state.set(id, 'visiting');
    stack.push(id);
    for (const input of d.inputs) visit(input);
    stack.pop();
    state.set(id, 'done');
    order.push(d);
  };
  for (const id of byId.keys()) visit(id);

  idx.derived = Object.freeze(order);
  return idx.derived;
}
