/**
 * Expression limits evaluated once per run (src/evaluate/limit-at-runs.ts) give, run by run, what the
 * expression gives through a plain per-run lookup of the cube (the lookup unit conformance and the chart's
 * limit points used before): the same number, NaN where an input is missing, a module parameter read at
 * the module lane, and one array per cell and limit however often it is asked for.
 */
import { describe, expect, it } from 'vitest';
import { MODULE_LANE } from '../../src/domain/lot-data.js';
import type { ProductSpec } from '../../src/domain/product-spec.js';
import { validateDocument } from '../../src/domain/schema-registry.js';
import type { ResolvedLimit } from '../../src/domain/spec-limits.js';
import { expressionLimitAtRuns } from '../../src/evaluate/limit-at-runs.js';
import { buildLotView, type CellDef, type LotView } from '../../src/evaluate/lot-view.js';
import { goodUnit, lotData, TINY } from './support/tiny-product.js';

/** TINY with an upper OMA limit that reads a module parameter, so both lane and module inputs are read. */
const MIXED: ProductSpec = validateDocument(
  'product-spec',
  {
    ...structuredClone(TINY),
    productId: 'tiny-mixed',
    parameters: TINY.parameters.map((p) => (p.id === 'oma' ? { ...p, usl: { expr: 'if(module_power > 10, 3.9, 4.2) + 0 * er' } } : p)),
  },
  'tiny-mixed (test)',
);

type ExpressionLimit = Extract<ResolvedLimit, { kind: 'expression' }>;

/** The limit at `run` through a lookup written out from the cube's slot() (the readers' old lookup). */
function directly(view: LotView, cell: CellDef, limit: ExpressionLimit, run: number): number {
  return limit.expression.evaluateOrNaN((id) => {
    const p = view.cube.parameterIndex(id);
    if (p === undefined) return undefined;
    const module = view.spec.parameters[p]!.scope === 'module';
    const v = view.cube.values[view.cube.slot(run, p, cell.cornerIndex, module || cell.lane === null ? MODULE_LANE : cell.lane)]!;
    return Number.isNaN(v) ? undefined : v;
  });
}

describe('expression limits at every run', () => {
  const view = buildLotView(
    lotData(
      'LIM',
      [
        goodUnit('U1', { tdecq: [1.5, 2.9], module_power: 9 }),
        goodUnit('U2', { tdecq: [2.6, 0.4], module_power: 11 }),
        // No TDECQ on either lane, no module power: the limits that read them have no value.
        { serial: 'U3', values: { power: [1, 1], er: [5, 5], oma: [2, 2], sens: [-7, -7] } },
        goodUnit('U4', { tdecq: [3.1, 1.2], er: [6.5, 4.9], module_power: 10.5 }),
      ],
      MIXED,
    ),
    MIXED,
  );
  const omaCells = view.cells.filter((c) => c.parameter.id === 'oma');

  it('equal the expression evaluated run by run, bit for bit, NaN where an input is missing', () => {
    expect(omaCells).toHaveLength(2);
    let gaps = 0;
    for (const cell of omaCells)
      for (const limit of [cell.limits.lsl, cell.limits.usl]) {
        expect(limit?.kind).toBe('expression');
        const atRuns = expressionLimitAtRuns(view, cell, limit as ExpressionLimit);
        expect(atRuns).toHaveLength(view.cube.runCount);
        for (let run = 0; run < view.cube.runCount; run++) {
          const want = directly(view, cell, limit as ExpressionLimit, run);
          expect(Object.is(atRuns[run], want)).toBe(true);
          if (Number.isNaN(want)) gaps++;
        }
      }
    // U3 lacks TDECQ (the LSL, both lanes) and module power (the USL, both lanes).
    expect(gaps).toBe(4);
  });

  it('are the hand-computed values', () => {
    const lane0 = omaCells.find((c) => c.lane === 0)!;
    const lsl = expressionLimitAtRuns(view, lane0, lane0.limits.lsl as ExpressionLimit);
    const usl = expressionLimitAtRuns(view, lane0, lane0.limits.usl as ExpressionLimit);
    const runOf = (serial: string) => view.units.find((u) => u.serial === serial)!.finalRun;
    expect(lsl[runOf('U1')]).toBe(Math.max(-0.8, 1.5 - 2.2));
    expect(lsl[runOf('U4')]).toBe(Math.max(-0.8, 3.1 - 2.2));
    expect(usl[runOf('U1')]).toBe(4.2);
    expect(usl[runOf('U2')]).toBe(3.9);
    expect(usl[runOf('U4')]).toBe(3.9);
  });

  it('are computed once per cell and limit', () => {
    const cell = omaCells[0]!;
    const limit = cell.limits.lsl as ExpressionLimit;
    expect(expressionLimitAtRuns(view, cell, limit)).toBe(expressionLimitAtRuns(view, cell, limit));
    expect(expressionLimitAtRuns(view, cell, limit)).not.toBe(expressionLimitAtRuns(view, cell, cell.limits.usl as ExpressionLimit));
  });
});
