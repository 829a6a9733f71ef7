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
import { expressionLimitAtRuns } from './limit-at-runs.js';
import type { ResolvedLimit } from '../domain/spec-limits.js';
import type { UnitFailure, Verdict } from '../domain/lot-result.js';
import type { CellDef, LotView } from './lot-view.js';

export interface RunConformance {
  readonly verdict: Verdict;
  readonly failures: UnitFailure[];
}

type Check = 'pass' | 'fail' | 'indeterminate';

/** The limit at this run: a number, null when there is no limit, NaN when an expression lacks an input. */
function limitAt(limit: ResolvedLimit | null, view: LotView, run: number, cell: CellDef): number | null {
  if (limit === null) return null;
  if (limit.kind === 'constant') return limit.value;
  // Evaluated once per cell for every run and shared with the chart's limit points (limit-at-runs.ts).
  return expressionLimitAtRuns(view, cell, limit)[run]!;
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

function failure(cell: CellDef, value: number | null, limit: number | null, side: UnitFailure['side']): UnitFailure {
  return { parameter: cell.parameter.id, corner: cell.corner, lane: cell.lane, value, limit, side };
}

/**
 * Judges one cell of one run; returns null when it passes. Allocates nothing on a pass (the common case):
 * the first failing side wins; otherwise the first undecidable side (a gap in an expression limit, or a
 * censored reading that cannot be compared) makes the reading indeterminate.
 */
export function judgeReading(view: LotView, run: number, cell: CellDef): UnitFailure | null {
  const { cube } = view;
  const lane = cell.lane ?? MODULE_LANE;
  const slot = cube.slot(run, cell.parameterIndex, cell.cornerIndex, lane);
  const value = cube.values[slot]!;
  if (Number.isNaN(value)) {
    // A derived value is missing because an input is; report the measured input only, once.
    if (cell.parameter.derived !== undefined) return null;
    return failure(cell, null, null, 'missing');
  }
  const censor = cube.censoring[slot]!;
  const limits = cell.limits;
  // undefined: nothing undecidable yet; null: an expression limit lacked an input; a number: the limit.
  let undecided: number | null | undefined;
  if (!limits.informativeLsl) {
    const lsl = limitAt(limits.lsl, view, run, cell);
    if (lsl !== null) {
      if (Number.isNaN(lsl)) undecided = null;
      else {
        const c = checkSide(value, censor, lsl, 'lsl');
        if (c === 'fail') return failure(cell, value, lsl, 'below-lsl');
        if (c === 'indeterminate') undecided = lsl;
      }
    }
  }
  const usl = limitAt(limits.usl, view, run, cell);
  if (usl !== null) {
    if (Number.isNaN(usl)) undecided = undecided === undefined ? null : undecided;
    else {
      const c = checkSide(value, censor, usl, 'usl');
      if (c === 'fail') return failure(cell, value, usl, 'above-usl');
      if (c === 'indeterminate' && undecided === undefined) undecided = usl;
    }
  }
  return undecided === undefined ? null : failure(cell, value, undecided, 'indeterminate');
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
