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
import { CENSOR_ABOVE, CENSOR_BELOW, CENSOR_NONE, MODULE_LANE } from '../domain/lot-data.js';
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
  const limits = cell.limits;
  // A missing reading is judged before any limit is looked at (judgeValue does not read them then).
  if (Number.isNaN(value)) return judgeValue(cell, value, 0, null, null);
  const lsl = limits.informativeLsl ? null : limitAt(limits.lsl, view, run, cell);
  return judgeValue(cell, value, cube.censoring[slot]!, lsl, limitAt(limits.usl, view, run, cell));
}

/**
 * The judgement of one reading (`value` NaN when missing) against its limits at its run: each a number,
 * null when there is none (or an informative LSL), NaN when an expression limit lacks an input.
 */
function judgeValue(cell: CellDef, value: number, censor: number, lsl: number | null, usl: number | null): UnitFailure | null {
  if (Number.isNaN(value)) {
    // A derived value is missing because an input is; report the measured input only, once.
    if (cell.parameter.derived !== undefined) return null;
    return failure(cell, null, null, 'missing');
  }
  // undefined: nothing undecidable yet; null: an expression limit lacked an input; a number: the limit.
  let undecided: number | null | undefined;
  if (lsl !== null) {
    if (Number.isNaN(lsl)) undecided = null;
    else {
      const c = checkSide(value, censor, lsl, 'lsl');
      if (c === 'fail') return failure(cell, value, lsl, 'below-lsl');
      if (c === 'indeterminate') undecided = lsl;
    }
  }
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

/** A run's verdict from its failures (in cell order). */
function conformanceOf(failures: UnitFailure[]): RunConformance {
  let fail = false;
  let indeterminate = false;
  for (const f of failures) {
    if (f.side === 'below-lsl' || f.side === 'above-usl') fail = true;
    else indeterminate = true;
  }
  return { verdict: fail ? 'fail' : indeterminate ? 'indeterminate' : 'pass', failures };
}

/** Judges every reading of one run against the product's limits. */
export function judgeRun(view: LotView, run: number): RunConformance {
  const failures: UnitFailure[] = [];
  for (const cell of view.cells) {
    const f = judgeReading(view, run, cell);
    if (f !== null) failures.push(f);
  }
  return conformanceOf(failures);
}

/**
 * {@link judgeRun} of each of `runs`, indexed by run (undefined for a run not asked for): the same
 * judgements, made cell by cell instead of run by run, so each cell's limits are looked up once and its
 * readings read in cube order. Run by run, every reading of a cell with an expression limit looked its
 * limit array up again (a WeakMap and a Map: ~1 M lookups in a 10,000-unit lot).
 */
export function judgeRuns(view: LotView, runs: readonly number[]): (RunConformance | undefined)[] {
  const { cube } = view;
  const asked = new Uint8Array(cube.runCount);
  for (const run of runs) asked[run] = 1;
  const list: number[] = [];
  for (let run = 0; run < asked.length; run++) if (asked[run] === 1) list.push(run);
  const failuresOf: (UnitFailure[] | undefined)[] = new Array<UnitFailure[] | undefined>(list.length).fill(undefined);
  for (const cell of view.cells) {
    const limits = cell.limits;
    judgeCellAtRuns(
      cube.values,
      cube.censoring,
      cube.cellBase(cell.parameterIndex, cell.cornerIndex, cell.lane ?? MODULE_LANE),
      list,
      cell,
      limits.informativeLsl ? null : limitLine(limits.lsl, view, cell),
      limitLine(limits.usl, view, cell),
      failuresOf,
    );
  }
  const out = new Array<RunConformance | undefined>(cube.runCount).fill(undefined);
  for (let i = 0; i < list.length; i++) out[list[i]!] = conformanceOf(failuresOf[i] ?? []);
  return out;
}

/** A limit at every run: null (none), its constant, or an expression's values by run. */
function limitLine(limit: ResolvedLimit | null, view: LotView, cell: CellDef): number | Float64Array | null {
  if (limit === null) return null;
  return limit.kind === 'constant' ? limit.value : expressionLimitAtRuns(view, cell, limit);
}

/**
 * One cell at each run of `list` (its reading at base + run); failures appended to `failuresOf[i]` for
 * `list[i]`. A limit is null (none), a number (constant) or the expression's value by run. Most readings
 * plainly pass; nextToJudge skips those, and only the others go through judgeValue.
 */
function judgeCellAtRuns(
  values: Float64Array,
  censoring: Uint8Array,
  base: number,
  list: readonly number[],
  cell: CellDef,
  lsl: number | Float64Array | null,
  usl: number | Float64Array | null,
  failuresOf: (UnitFailure[] | undefined)[],
): void {
  const lslByRun = lsl !== null && typeof lsl !== 'number';
  const uslByRun = usl !== null && typeof usl !== 'number';
  const lslConstant = lsl === null ? -Infinity : typeof lsl === 'number' ? lsl : Number.NaN;
  const uslConstant = usl === null ? Infinity : typeof usl === 'number' ? usl : Number.NaN;
  const lslLine = lslByRun ? lsl : NO_LINE;
  const uslLine = uslByRun ? usl : NO_LINE;
  for (let i = 0; i < list.length; i++) {
    i = nextToJudge(values, censoring, base, list, i, lslLine, lslConstant, lslByRun, uslLine, uslConstant, uslByRun);
    if (i === list.length) return;
    const run = list[i]!;
    const lslAt = lsl === null || typeof lsl === 'number' ? lsl : lsl[run]!;
    const uslAt = usl === null || typeof usl === 'number' ? usl : usl[run]!;
    const f = judgeValue(cell, values[base + run]!, censoring[base + run]!, lslAt, uslAt);
    if (f !== null) (failuresOf[i] ??= []).push(f);
  }
}

const NO_LINE = new Float64Array(0);

/**
 * The first index from `from` on whose reading does not plainly pass: a reading plainly passes when it is
 * present (not NaN), uncensored and within both limits, a missing limit being −∞ or +∞. That is exactly
 * when judgeValue finds no failure on an uncensored reading; a NaN limit (an expression short of an input)
 * or a NaN reading fails every comparison, so it is judged. `list.length` when every reading passes.
 */
function nextToJudge(
  values: Float64Array,
  censoring: Uint8Array,
  base: number,
  list: readonly number[],
  from: number,
  lslLine: Float64Array,
  lslConstant: number,
  lslByRun: boolean,
  uslLine: Float64Array,
  uslConstant: number,
  uslByRun: boolean,
): number {
  for (let i = from; i < list.length; i++) {
    const run = list[i]!;
    const v = values[base + run]!;
    const lsl = lslByRun ? lslLine[run]! : lslConstant;
    const usl = uslByRun ? uslLine[run]! : uslConstant;
    if (!(censoring[base + run] === CENSOR_NONE && v >= lsl && v <= usl)) return i;
  }
  return list.length;
}
