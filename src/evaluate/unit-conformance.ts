/**
 * @module Unit conformance — is one test run of one module within every limit of its product?
 *
 * Rules a quality engineer would sign:
 * - A missing reading the spec requires makes the run 'indeterminate' (it cannot be shown to conform).
 * - A limit whose expression lacks an input is 'indeterminate' for that reading, never a pass.
 * - Censored readings: `<v` (true value ≤ v) passes an USL when v ≤ USL and fails an LSL when v < LSL;
 *   the other combinations cannot be decided and are 'indeterminate'. Symmetrically for `>v`.
 * - An informative LSL (e.g. average launch power min) is reported, not judged.
 */
import { CENSOR_ABOVE, CENSOR_BELOW, MODULE_LANE } from '../domain/lot-data.js';
import type { ResolvedLimit } from '../domain/spec-limits.js';
import type { UnitFailure, Verdict } from '../domain/lot-result.js';
import { cubeLookup, type CellDef, type LotView } from './lot-view.js';

export interface RunConformance {
  readonly verdict: Verdict;
  readonly failures: UnitFailure[];
}

type Check = 'pass' | 'fail' | 'indeterminate';

function limitAt(limit: ResolvedLimit | null, lookup: () => (id: string) => number | undefined): number | null | 'gap' {
  if (limit === null) return null;
  if (limit.kind === 'constant') return limit.value;
  const v = limit.expression.evaluateOrNaN(lookup());
  return Number.isNaN(v) ? 'gap' : v;
}

/** Checks one reading against a lower or upper limit, honouring censoring. */
function checkSide(value: number, censor: number, limit: number, side: 'lsl' | 'usl'): Check {
  if (side === 'lsl') {
    if (censor === CENSOR_BELOW) return value < limit ? 'fail' : 'indeterminate';
    if (censor === CENSOR_ABOVE) return value >= limit ? 'pass' : 'indeterminate';
    return value < limit ? 'fail' : 'pass';
  }
  if (censor === CENSOR_BELOW) return value <= limit ? 'pass' : 'indeterminate';
  if (censor === CENSOR_ABOVE) return value > limit ? 'fail' : 'indeterminate';
  return value > limit ? 'fail' : 'pass';
}

/** Judges one cell of one run; returns null when it passes. */
export function judgeReading(view: LotView, run: number, cell: CellDef): UnitFailure | null {
  const { cube } = view;
  const lane = cell.lane ?? MODULE_LANE;
  const slot = cube.slot(run, cell.parameterIndex, cell.cornerIndex, lane);
  const value = cube.values[slot]!;
  const key = { parameter: cell.parameter.id, corner: cell.corner, lane: cell.lane };
  if (Number.isNaN(value)) {
    // A derived value is missing because an input is; report the measured input only, once.
    if (cell.parameter.derived !== undefined) return null;
    return { ...key, value: null, limit: null, side: 'missing' };
  }
  const censor = cube.censoring[slot]!;
  const limits = cell.limits;
  // Built only when a limit is an expression: most limits are constants.
  const lookup = () => cubeLookup(view, run, cell.cornerIndex, cell.lane);
  let indeterminate: UnitFailure | null = null;
  for (const side of ['lsl', 'usl'] as const) {
    if (side === 'lsl' && limits.informativeLsl) continue;
    const limit = limitAt(side === 'lsl' ? limits.lsl : limits.usl, lookup);
    if (limit === null) continue;
    if (limit === 'gap') {
      indeterminate ??= { ...key, value, limit: null, side: 'indeterminate' };
      continue;
    }
    const c = checkSide(value, censor, limit, side);
    if (c === 'fail') return { ...key, value, limit, side: side === 'lsl' ? 'below-lsl' : 'above-usl' };
    if (c === 'indeterminate') indeterminate ??= { ...key, value, limit, side: 'indeterminate' };
  }
  return indeterminate;
}

/** Judges every reading of one run against the product's limits. */
export function judgeRun(view: LotView, run: number): RunConformance {
  const failures: UnitFailure[] = [];
  let fail = false;
  let indeterminate = false;
  for (const cell of view.cells) {
    const f = judgeReading(view, run, cell);
    if (f === null) continue;
    failures.push(f);
    if (f.side === 'below-lsl' || f.side === 'above-usl') fail = true;
    else indeterminate = true;
  }
  return { verdict: fail ? 'fail' : indeterminate ? 'indeterminate' : 'pass', failures };
}
