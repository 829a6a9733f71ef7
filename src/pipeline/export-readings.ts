/**
 * @module `lotqa export`: a lot's readings for JMP, Minitab or Excel, streamed from the read model
 * (`streamLotReadings`) so a 100,000-unit lot is never held whole.
 *
 * - `long`: one CSV row per reading — lot, serial, attempt, final_attempt, station, test_time, corner,
 *   lane, parameter, value, unit, censoring, file, line;
 * - `wide`: one CSV row per unit attempt × corner × lane, one column per parameter of the product spec
 *   (`id (unit)`), and a `censored` column naming the readings that are bounds (`<` below, `>` above);
 *   per-module parameters on the row whose lane is `module`;
 * - `xlsx`: the long layout as an Excel workbook (exceljs' streaming writer), values as numbers.
 *
 * Lanes are named as the station and the spec name them (`laneName`: 1-based, or the spec's label).
 * Text from input files (serials, stations, file names) is formula-neutralised with the same rule as the
 * unit CSV (`neutraliseCell`). The file appears only when it is complete (written beside, then renamed).
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { once } from 'node:events';
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import { findProduct } from '../domain/catalog.js';
import { laneName, laneNamingOf } from '../domain/lanes.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { LotqaError } from '../errors/lotqa-error.js';
import { streamLotReadings, type LotReadingsSummary, type ReadingRow } from '../queries/lot-readings.js';
import { lotOverview } from '../queries/lot-overview.js';
import { neutraliseCell } from '../report/unit-results-csv.js';
import type { Store } from '../store/store.js';

export type ExportFormat = 'long' | 'wide' | 'xlsx';

export interface ExportOptions {
  readonly format: ExportFormat;
  /** Only these parameter ids. */
  readonly parameters?: readonly string[] | undefined;
  /** 'all' (default) or each unit's 'final' attempt. */
  readonly attempts?: 'final' | 'all' | undefined;
  /** The file to write; CSV goes to `stdout` when absent (xlsx needs a file). */
  readonly out?: string | undefined;
  readonly stdout?: Writable;
  /** Readings per batch (memory bound). @defaultValue 10,000 */
  readonly batchReadings?: number;
}

export const LONG_COLUMNS = [
  'lot',
  'serial',
  'attempt',
  'final_attempt',
  'station',
  'test_time',
  'corner',
  'lane',
  'parameter',
  'value',
  'unit',
  'censoring',
  'file',
  'line',
] as const;

const CENSOR_MARK = { none: '', below: '<', above: '>' } as const;

/** A number as a cell: the shortest form that reads back to the same double. */
const num = (x: number): string => String(x);

const NEEDS_QUOTES = /[",\r\n]/;

/**
 * RFC 4180 lines (a field with a comma, quote or line break quoted, quotes doubled; CRLF), built
 * directly: a general CSV writer cost 2.7 s per 600,000 readings, most of an export's time.
 */
function csv(rows: readonly (readonly string[])[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) {
      const field = row[i]!;
      if (i > 0) out += ',';
      out += NEEDS_QUOTES.test(field) ? `"${field.replaceAll('"', '""')}"` : field;
    }
    out += '\r\n';
  }
  return out;
}

async function write(stream: Writable, text: string): Promise<void> {
  if (text.length > 0 && !stream.write(text)) await once(stream, 'drain');
}

/** Writes the export; resolves with what was exported. Throws LotqaError for an unknown lot (nothing written). */
export async function exportReadings(store: Store, lot: string, options: ExportOptions): Promise<LotReadingsSummary> {
  const overview = await lotOverview(store, lot);
  if (!overview) throw new LotqaError(`unknown lot '${lot}': nothing is stored for it`, { hint: 'list the stored lots with `lotqa lots`' });
  let spec: ProductSpec | null = null;
  try {
    spec = findProduct(overview.productId);
  } catch {
    // A product spec that is not installed here: lanes stay numbered, units empty.
  }
  const naming = laneNamingOf(spec);
  const unitOf = new Map((spec?.parameters ?? []).map((p) => [p.id, p.unit]));
  const parameters = options.parameters;
  const readOptions = {
    attempts: options.attempts ?? 'all',
    ...(parameters !== undefined ? { parameters } : {}),
    ...(options.batchReadings !== undefined ? { batchReadings: options.batchReadings } : {}),
  };
  const lotCell = neutraliseCell(lot);
  const text = (s: string): string => neutraliseCell(s);
  const laneOf = (lane: number | null): string => laneName(naming, lane);

  if (options.format === 'xlsx') {
    if (options.out === undefined) throw new LotqaError('an xlsx export needs a file', { hint: 'add --out FILE.xlsx' });
    const out = options.out;
    const partial = `${out}.partial`;
    try {
      const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: partial, useStyles: false, useSharedStrings: false });
      const sheet = workbook.addWorksheet('readings');
      sheet.addRow([...LONG_COLUMNS]).commit();
      // eslint-disable-next-line @typescript-eslint/require-await -- the sink contract is async (a sink may wait for a slow writer); this one writes synchronously, and async keeps a throw a rejection
      const summary = await streamLotReadings(store, lot, readOptions, async (rows) => {
        for (const r of rows) {
          sheet
            .addRow([
              lotCell,
              text(r.serial),
              r.attempt,
              r.final,
              text(r.station),
              r.testTime,
              text(r.corner),
              laneOf(r.lane),
              text(r.parameter),
              r.value,
              unitOf.get(r.parameter) ?? '',
              r.censoring,
              text(r.file),
              r.line,
            ])
            .commit();
        }
      });
      sheet.commit();
      await workbook.commit();
      await rename(partial, out);
      return summary!;
    } catch (err) {
      await rm(partial, { force: true });
      throw err;
    }
  }

  const wideColumns =
    options.format === 'wide' ? (spec?.parameters ?? []).map((p) => p.id).filter((id) => !parameters || parameters.includes(id)) : [];
  const header =
    options.format === 'long'
      ? [...LONG_COLUMNS]
      : [
          'lot',
          'serial',
          'attempt',
          'final_attempt',
          'station',
          'test_time',
          'corner',
          'lane',
          ...wideColumns.map((id) => `${id} (${unitOf.get(id)})`),
          'censored',
        ];
  const columnOf = new Map(wideColumns.map((id, i) => [id, i]));

  const toCsv = (rows: readonly ReadingRow[]): string => {
    if (options.format === 'long') {
      return csv(
        rows.map((r) => [
          lotCell,
          text(r.serial),
          String(r.attempt),
          String(r.final),
          text(r.station),
          r.testTime,
          text(r.corner),
          laneOf(r.lane),
          text(r.parameter),
          num(r.value),
          unitOf.get(r.parameter) ?? '',
          r.censoring,
          text(r.file),
          String(r.line),
        ]),
      );
    }
    // Wide: one line per unit attempt × corner × lane, in the order they first appear.
    const lines = new Map<string, { first: ReadingRow; values: string[]; censored: string[] }>();
    for (const r of rows) {
      const column = columnOf.get(r.parameter);
      if (column === undefined) {
        throw new LotqaError(`lot ${lot} has readings of '${r.parameter}', which product ${overview.productId} does not list`, {
          hint: 'export it with --format long, or leave it out with --parameters',
        });
      }
      const key = `${r.serial}\u0000${r.attempt}\u0000${r.corner}\u0000${r.lane ?? 'm'}`;
      let line = lines.get(key);
      if (!line) lines.set(key, (line = { first: r, values: new Array<string>(wideColumns.length).fill(''), censored: [] }));
      line.values[column] = num(r.value);
      if (r.censoring !== 'none') line.censored.push(`${r.parameter}${CENSOR_MARK[r.censoring]}`);
    }
    return csv(
      [...lines.values()].map(({ first: r, values, censored }) => [
        lotCell,
        text(r.serial),
        String(r.attempt),
        String(r.final),
        text(r.station),
        r.testTime,
        text(r.corner),
        laneOf(r.lane),
        ...values,
        text(censored.join(' ')),
      ]),
    );
  };

  const target: Writable | WriteStream =
    options.out === undefined ? (options.stdout ?? process.stdout) : createWriteStream(`${options.out}.partial`);
  try {
    await write(target, csv([header]));
    const summary = await streamLotReadings(store, lot, readOptions, (rows) => write(target, toCsv(rows)));
    if (options.out !== undefined) {
      const file = target as WriteStream;
      file.end();
      await once(file, 'close');
      await rename(`${options.out}.partial`, options.out);
    }
    return summary!;
  } catch (err) {
    if (options.out !== undefined) {
      (target as WriteStream).destroy();
      await rm(`${options.out}.partial`, { force: true });
    }
    throw err;
  }
}
