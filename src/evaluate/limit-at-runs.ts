/**
 * @module Expression limits at every run — a cell's conditional limit (e.g. `max(-0.8, tx_tdecq + …)`)
 * evaluated once per run of the lot and kept beside the cell. Unit conformance (every run), the chart's
 * limit points and the certified range (each unit's final run) all read the same limit of the same run:
 * in a 10,000-unit DR8 lot 48 cells have one, and evaluating it three times was ~1.4 M expression walks
 * instead of ~0.5 M. The values are the expression's `evaluateOrNaN` for the run, read as the per-run
 * lookups of unit-conformance.ts and lot-view.ts read them (same run, corner and lane; module parameters
 * at the module lane; a missing reading is no value), so every reader sees the number it computed before.
 */
import { MODULE_LANE } from '../domain/lot-data.js';
import type { ResolvedLimit } from '../domain/spec-limits.js';
import type { MeasurementCube } from './measurement-cube.js';
import type { CellDef, ChartSource } from './lot-view.js';

type ExpressionLimit = Extract<ResolvedLimit, { kind: 'expression' }>;

/** Per cell: the cube the limits were read from and each expression limit's values by run. */
const computed = new WeakMap<CellDef, { readonly cube: MeasurementCube; readonly byLimit: Map<ExpressionLimit, Float64Array> }>();

/**
 * The limit `limit` (one of `cell.limits`' expression limits) at every run of `view.cube`, indexed by run:
 * NaN where the expression lacks an input or gives no finite value. Computed on first use per cell and
 * limit; treat the array as read-only.
 */
export function expressionLimitAtRuns(view: ChartSource, cell: CellDef, limit: ExpressionLimit): Float64Array {
  let entry = computed.get(cell);
  if (entry === undefined || entry.cube !== view.cube) {
    entry = { cube: view.cube, byLimit: new Map() };
    computed.set(cell, entry);
  }
  let values = entry.byLimit.get(limit);
  if (values === undefined) {
    values = evaluateAtRuns(view, cell, limit);
    entry.byLimit.set(limit, values);
  }
  return values;
}

function evaluateAtRuns(view: ChartSource, cell: CellDef, limit: ExpressionLimit): Float64Array {
  const { cube, spec } = view;
  const { expression } = limit;
  const ids = expression.ids;
  // Each input's cell (run 0) once, instead of a map lookup and a slot computation per read.
  const bases = ids.map((id) => {
    const p = cube.parameterIndex(id);
    if (p === undefined) return -1;
    const module = spec.parameters[p]!.scope === 'module';
    return cube.cellBase(p, cell.cornerIndex, module || cell.lane === null ? MODULE_LANE : cell.lane);
  });
  const cubeValues = cube.values;
  let run = 0;
  const lookup = (id: string): number | undefined => {
    for (let i = 0; i < ids.length; i++) {
      if (ids[i] !== id) continue;
      const base = bases[i]!;
      if (base < 0) return undefined;
      const v = cubeValues[base + run]!;
      return Number.isNaN(v) ? undefined : v;
    }
    return undefined;
  };
  const out = new Float64Array(cube.runCount);
  for (run = 0; run < out.length; run++) out[run] = expression.evaluateOrNaN(lookup);
  return out;
}
