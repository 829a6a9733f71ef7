/**
 * @module CSV of unit results, safe to open in a spreadsheet. RFC 4180 quoting (fields with a comma,
 * quote, CR or LF are quoted, quotes doubled), CRLF line ends, and formula-injection neutralisation per
 * OWASP "CSV Injection": a cell that begins with =, +, -, @, tab or carriage return gets a leading
 * apostrophe, so Excel/LibreOffice show it as text instead of running it. Numeric cells written by lotqa
 * itself (values, counts) are not neutralised: a negative power such as -2.9 must stay a number.
 */
import { csvText } from './csv-text.js';
import type { LotResult } from '../domain/lot-result.js';
import { laneNamingOf, laneTag } from '../domain/lanes.js';

const DANGEROUS_START = /^[=+\-@\t\r]/;

/** Neutralise one text cell (input-derived: serials, stations, parameter ids). */
export function neutraliseCell(text: string): string {
  return DANGEROUS_START.test(text) ? `'${text}` : text;
}

/** A number as a CSV cell (shortest round-trip form), empty for null. */
function num(x: number | null): string {
  return x === null || !Number.isFinite(x) ? '' : String(x);
}

export const UNIT_CSV_COLUMNS = [
  'lot',
  'revision',
  'serial',
  'station',
  'attempts',
  'first_pass',
  'final',
  'first_pass_failures',
  'pat_outlier',
  'final_test_time',
  'failure_count',
  'failures',
] as const;

/** One row per unit, failures summarised as `parameter@corner[/Llane]:side:value` joined by `; ` (lanes as the station names them: 1-based or the spec's label). */
export function writeUnitResultsCsv(result: LotResult): string {
  const rows: string[][] = result.units.map((u) => [
    neutraliseCell(result.lot),
    String(result.revision),
    neutraliseCell(u.serial),
    neutraliseCell(u.station),
    String(u.attempts),
    u.firstPass,
    u.final,
    String(u.firstPassFailures),
    u.patOutlier ? 'true' : 'false',
    neutraliseCell(u.finalTestTime),
    String(u.failures.length),
    neutraliseCell(
      u.failures
        .map(
          (f) =>
            `${f.parameter}@${f.corner}${f.lane === null ? '' : `/${laneTag(laneNamingOf(result.product), f.lane)}`}:${f.side}:${num(f.value)}`,
        )
        .join('; '),
    ),
  ]);
  // csvText does the RFC 4180 quoting; formula neutralisation is done above, per cell, only on input-derived text.
  return csvText(UNIT_CSV_COLUMNS, rows);
}
