/**
 * @module z14-plans — ANSI/ASQ Z1.4 (= MIL-STD-105E, ISO 2859-1 tables) single sampling by attributes:
 * Table I code letters and the master tables II-A (normal), II-B (tightened), II-C (reduced) with the
 * arrows resolved.
 *
 * How the standard is read: find the code letter for lot size × inspection level (Table I), go to that row
 * and the AQL column of the master table for the current severity. An arrow means "use the first plan
 * below (↓) or above (↑)" — and that row's sample size. If the resulting sample size is ≥ the lot size,
 * inspect 100 %. Accept when d ≤ Ac, reject when d ≥ Re; on reduced inspection (MIL-STD-105E/Z1.4 gap
 * plans) Ac < d < Re accepts the lot but reinstates normal inspection.
 *
 * Only the percent-nonconforming AQLs 0.010–10 are tabulated here (Z1.4 columns above 10 apply to
 * nonconformities per hundred units, which lotqa does not judge).
 */
import type { InspectionLevel, Severity } from '../domain/acceptance-policy.js';
import { SamplingPlanError } from './errors.js';
import codeLetterTable from './tables/z14-code-letters.json' with { type: 'json' };
import normalTable from './tables/z14-single-normal.json' with { type: 'json' };
import tightenedTable from './tables/z14-single-tightened.json' with { type: 'json' };
import reducedTable from './tables/z14-single-reduced.json' with { type: 'json' };

export type CodeLetter = 'A' | 'B' | 'C' | 'D' | 'E' | 'F' | 'G' | 'H' | 'J' | 'K' | 'L' | 'M' | 'N' | 'P' | 'Q' | 'R';
/** Tightened Table II-B has one extra row, S (n = 3150). */
export type PlanLetter = CodeLetter | 'S';

/** A single sampling plan ready to use on one lot. */
export interface AttributesPlan {
  readonly standard: 'ANSI/ASQ Z1.4';
  readonly lotSize: number;
  readonly aql: number;
  readonly level: InspectionLevel;
  readonly severity: Severity;
  /** Code letter from Table I. */
  readonly codeLetter: CodeLetter;
  /** Row of the master table the arrows led to (its sample size is the one used). */
  readonly planLetter: PlanLetter;
  /** Units to inspect: the table sample size, or the whole lot when that is not smaller than the lot. */
  readonly sampleSize: number;
  /** Sample size printed in the master table row the arrows led to. */
  readonly tableSampleSize: number;
  readonly ac: number;
  readonly re: number;
  readonly hundredPercent: boolean;
}

export type SampleVerdict = 'accept' | 'reject' | 'accept-return-to-normal';

export interface SampleJudgement {
  readonly verdict: SampleVerdict;
  readonly defectives: number;
  readonly ac: number;
  readonly re: number;
  readonly reason: string;
}

interface MasterTable {
  readonly aqlColumns: readonly number[];
  readonly rows: readonly {
    readonly letter: string;
    readonly sampleSize: number;
    readonly cells: readonly string[];
  }[];
}

const MASTER: Readonly<Record<Severity, MasterTable>> = {
  normal: normalTable,
  tightened: tightenedTable,
  reduced: reducedTable,
};

const LEVEL_COLUMN: readonly InspectionLevel[] = codeLetterTable.levels as InspectionLevel[];

/**
 * Table I: sample size code letter for a lot size and inspection level.
 * @throws SamplingPlanError for a lot size below 2 or not an integer
 */
export function codeLetterFor(lotSize: number, level: InspectionLevel): CodeLetter {
  if (!Number.isInteger(lotSize) || lotSize < 2) {
    throw new SamplingPlanError(`Lot size must be an integer of at least 2 (Z1.4 Table I starts at 2); got ${lotSize}`);
  }
  const column = LEVEL_COLUMN.indexOf(level);
  if (column < 0) throw new SamplingPlanError(`Unknown inspection level "${level}"; use one of ${LEVEL_COLUMN.join(', ')}`);
  const row = codeLetterTable.rows.find((r) => lotSize >= r.min && (r.max === null || lotSize <= r.max));
  const letter = row?.letters[column];
  if (!letter) throw new SamplingPlanError(`No code letter for lot size ${lotSize}`);
  return letter as CodeLetter;
}

function aqlColumn(table: MasterTable, aql: number): number {
  const column = table.aqlColumns.findIndex((a) => Math.abs(a - aql) < 1e-9);
  if (column < 0) {
    throw new SamplingPlanError(
      `AQL ${aql} is not a Z1.4 preferred value lotqa tabulates; use one of ${table.aqlColumns.join(', ')} (percent nonconforming)`,
    );
  }
  return column;
}

function parseCell(cell: string): { ac: number; re: number } | 'down' | 'up' | undefined {
  if (cell === 'v') return 'down';
  if (cell === '^') return 'up';
  const match = /^(\d+)\/(\d+)$/.exec(cell);
  return match ? { ac: Number(match[1]), re: Number(match[2]) } : undefined;
}

/**
 * The master-table plan for one lot: code letter, arrow-resolved sample size and Ac/Re, and whether the
 * whole lot must be inspected.
 */
export function planFor(request: { lotSize: number; aql: number; level: InspectionLevel; severity?: Severity }): AttributesPlan {
  const { lotSize, aql, level } = request;
  const severity = request.severity ?? 'normal';
  const codeLetter = codeLetterFor(lotSize, level);
  const table = MASTER[severity];
  const column = aqlColumn(table, aql);
  let rowIndex = table.rows.findIndex((r) => r.letter === codeLetter);
  // Arrows only ever chain in one direction; the bound stops a malformed table from looping.
  for (let steps = 0; steps <= table.rows.length; steps++) {
    const row = table.rows[rowIndex];
    const cell = row ? parseCell(row.cells[column] ?? '') : undefined;
    if (!row || cell === undefined) break;
    if (cell === 'down') rowIndex++;
    else if (cell === 'up') rowIndex--;
    else {
      const hundredPercent = row.sampleSize >= lotSize;
      return {
        standard: 'ANSI/ASQ Z1.4',
        lotSize,
        aql,
        level,
        severity,
        codeLetter,
        planLetter: row.letter as PlanLetter,
        sampleSize: hundredPercent ? lotSize : row.sampleSize,
        tableSampleSize: row.sampleSize,
        ac: cell.ac,
        re: cell.re,
        hundredPercent,
      };
    }
  }
  throw new SamplingPlanError(`Z1.4 ${severity} table has no plan for code letter ${codeLetter} at AQL ${aql}`);
}

/**
 * Judges the number of nonconforming units found in the sample.
 * Reduced plans with a gap (Ac + 1 < Re) accept the lot for Ac < d < Re but reinstate normal inspection
 * (MIL-STD-105E §8.3.3 / Z1.4).
 */
export function judgeSample(plan: Pick<AttributesPlan, 'ac' | 're' | 'sampleSize'>, defectives: number): SampleJudgement {
  if (!Number.isInteger(defectives) || defectives < 0 || defectives > plan.sampleSize) {
    throw new SamplingPlanError(`Nonconforming count must be an integer from 0 to the sample size ${plan.sampleSize}; got ${defectives}`);
  }
  const { ac, re } = plan;
  if (defectives <= ac)
    return {
      verdict: 'accept',
      defectives,
      ac,
      re,
      reason: `${defectives} nonconforming ≤ Ac ${ac}`,
    };
  if (defectives >= re)
    return {
      verdict: 'reject',
      defectives,
      ac,
      re,
      reason: `${defectives} nonconforming ≥ Re ${re}`,
    };
  return {
    verdict: 'accept-return-to-normal',
    defectives,
    ac,
    re,
    reason: `Ac ${ac} < ${defectives} nonconforming < Re ${re}: lot accepted, normal inspection reinstated`,
  };
}
