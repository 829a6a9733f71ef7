/**
 * @module LimitExpressionBridge — the one place the synthetic factory evaluates `{ "expr": … }`
 * limits, through the domain's safe expression compiler (compiled once per text).
 */
import { compileExpression, referencedIds, parseExpression, type CompiledExpression } from '../domain/limit-expression.js';

const compiled = new Map<string, CompiledExpression>();

function compile(expression: string): CompiledExpression {
  let c = compiled.get(expression);
  if (c === undefined) {
    c = compileExpression(expression);
    compiled.set(expression, c);
  }
  return c;
}

/** Value of a limit expression over same-unit, same-lane, same-corner readings; null when an input is missing. */
export function evaluateLimitExpression(expression: string, inputs: ReadonlyMap<string, number>): number | null {
  const value = compile(expression).evaluateOrNaN((id) => inputs.get(id));
  return Number.isFinite(value) ? value : null;
}

/** Parameter ids a limit expression reads. */
export function expressionInputs(expression: string): string[] {
  return referencedIds(parseExpression(expression));
}
