/**
 * @module Moving a parse outcome between threads cheaply. A per-unit file yields ~200 measurements;
 * structured-cloning 200 small objects per file costs the receiving (store-writing) thread more than
 * reading typed arrays does. So the parsing thread packs measurements into columns (typed-array views
 * on one buffer, transferred, not copied) plus the few distinct parameter and corner names; the writing
 * thread keeps the columns for the store and builds the exact `Measurement` objects the parser made
 * (same fields, same order) only if something reads them (domain/measurement-columns.ts).
 * Runs and quarantine entries are few and go as they are.
 *
 * Given the parameter and corner ids the store has committed, the parsing thread also prepares the file
 * for the store and packs its runs' readings (prepared-file.ts: the same code the writer would run), so
 * the writer only runs SQL statements: with one parse thread on 2 cores the writer was the bottleneck,
 * and checking, sorting and packing were ~0.3 s of its ~2.2 s. A file naming a parameter or corner the
 * store has not committed yet, or whose preparation fails, goes unprepared: the writer prepares it as
 * before (new ids are handed out there, in path order; a failure is raised there, as before).
 */
import type { IngestOutcome, ParsedFile } from '../domain/measurement.js';
import {
  columnsBuffer,
  columnsOf,
  measurementColumns,
  parsedFileFromColumns,
  withoutMeasurements,
  type MeasurementColumns,
} from '../domain/measurement-columns.js';
import { packFileRuns, prepareParsedFile, withPrepared, type PreparedFile } from '../store/records/prepared-file.js';

/** A ParsedFile with its measurements as columns. */
export interface PackedParsedFile extends Omit<ParsedFile, 'measurements'> {
  readonly packed: PackedMeasurements;
  /** The file prepared for the store with its runs packed (each run's record transferred), or null. */
  readonly prepared: TransferredPreparation | null;
}

export type PackedMeasurements = MeasurementColumns;

/** A PreparedFile without the file and columns it was made from (they travel beside it). */
export type TransferredPreparation = Omit<PreparedFile, 'file' | 'columns' | 'packedRuns'> & {
  readonly packedRuns: readonly ArrayBuffer[];
};

export type PackedOutcome =
  | { readonly kind: 'parsed'; readonly file: PackedParsedFile }
  | { readonly kind: 'rejected'; readonly file: Extract<IngestOutcome, { kind: 'rejected' }>['file'] };

/** Parameter and corner ids the store has committed (they never change once committed). */
export interface NameIds {
  readonly parameters: ReadonlyMap<string, number>;
  readonly corners: ReadonlyMap<string, number>;
}

/**
 * Packs an outcome; `transfer` lists the buffers to hand over with postMessage. With `ids`, a parsed
 * file whose every parameter and corner has an id is also prepared and its runs packed.
 */
export function packOutcome(
  outcome: IngestOutcome,
  ids: NameIds | null = null,
): { readonly packed: PackedOutcome; readonly transfer: ArrayBuffer[] } {
  if (outcome.kind === 'rejected') return { packed: outcome, transfer: [] };
  const file = outcome.file;
  // The parser's columns when it made them (parsedFileFromColumns), else packed from the objects.
  const p = columnsOf(file) ?? measurementColumns(file.measurements);
  const transfer = [columnsBuffer(p)];
  const prepared = ids === null ? null : preparedForStore(file, p, ids);
  if (prepared !== null) transfer.push(...prepared.packedRuns);
  return { packed: { kind: 'parsed', file: { ...withoutMeasurements(file), packed: p, prepared } }, transfer };
}

/** The file prepared and packed as the writer would, or null when it cannot be here (see the module). */
function preparedForStore(file: ParsedFile, columns: MeasurementColumns, ids: NameIds): TransferredPreparation | null {
  if (!columns.parameters.every((n) => ids.parameters.has(n)) || !columns.corners.every((n) => ids.corners.has(n))) return null;
  try {
    // Prepared from a file carrying these very columns, as the writer would prepare the received file.
    const carrying = columnsOf(file) === columns ? file : parsedFileFromColumns(withoutMeasurements(file), columns);
    const { file: _file, columns: _columns, packedRuns: _none, ...head } = prepareParsedFile(carrying);
    const runs = packFileRuns({ file, columns, ...head, packedRuns: null }, ids.parameters, ids.corners);
    // Each record owns its ArrayBuffer (run-readings.ts allocates one per run): transferable whole.
    return { ...head, packedRuns: runs.map((b) => b.buffer as ArrayBuffer) };
  } catch {
    return null;
  }
}

/**
 * The outcome the parser produced. The file keeps its columns (the store packs runs from them); its
 * measurement objects, field for field as the parser made them, are built only when read. A file
 * prepared on the parsing thread is marked so, and the store writes its packed runs as they are.
 */
export function unpackOutcome(packed: PackedOutcome): IngestOutcome {
  if (packed.kind === 'rejected') return packed;
  const { packed: p, prepared, ...head } = packed.file;
  const file = parsedFileFromColumns(head, p);
  if (prepared === null) return { kind: 'parsed', file };
  const packedRuns = prepared.packedRuns.map((b) => Buffer.from(b));
  return { kind: 'parsed', file: withPrepared({ ...prepared, file, columns: p, packedRuns }) };
}
