/**
 * @module Moving a parse outcome between threads cheaply. A per-unit file yields ~200 measurements;
 * structured-cloning 200 small objects per file costs the receiving (store-writing) thread more than
 * reading typed arrays does. So the parsing thread packs measurements into columns (typed-array views
 * on one buffer, transferred, not copied) plus the few distinct parameter and corner names; the writing
 * thread keeps the columns for the store and builds the exact `Measurement` objects the parser made
 * (same fields, same order) only if something reads them (domain/measurement-columns.ts).
 * Runs and quarantine entries are few and go as they are.
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

/** A ParsedFile with its measurements as columns. */
export interface PackedParsedFile extends Omit<ParsedFile, 'measurements'> {
  readonly packed: PackedMeasurements;
}

export type PackedMeasurements = MeasurementColumns;

export type PackedOutcome =
  | { readonly kind: 'parsed'; readonly file: PackedParsedFile }
  | { readonly kind: 'rejected'; readonly file: Extract<IngestOutcome, { kind: 'rejected' }>['file'] };

/** Packs an outcome; `transfer` lists the buffers to hand over with postMessage. */
export function packOutcome(outcome: IngestOutcome): { readonly packed: PackedOutcome; readonly transfer: ArrayBuffer[] } {
  if (outcome.kind === 'rejected') return { packed: outcome, transfer: [] };
  const file = outcome.file;
  // The parser's columns when it made them (parsedFileFromColumns), else packed from the objects.
  const p = columnsOf(file) ?? measurementColumns(file.measurements);
  return { packed: { kind: 'parsed', file: { ...withoutMeasurements(file), packed: p } }, transfer: [columnsBuffer(p)] };
}

/**
 * The outcome the parser produced. The file keeps its columns (the store packs runs from them); its
 * measurement objects, field for field as the parser made them, are built only when read.
 */
export function unpackOutcome(packed: PackedOutcome): IngestOutcome {
  if (packed.kind === 'rejected') return packed;
  const { packed: p, ...head } = packed.file;
  return { kind: 'parsed', file: parsedFileFromColumns(head, p) };
}
