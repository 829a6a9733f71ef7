/**
 * @module A ParsedFile checked and turned into rows before any SQL runs, so bad input never opens a
 * transaction: the `files`, `runs` and `quarantine` rows and each run's packed readings.
 */
import type { Insertable } from 'kysely';
import { createHash } from 'node:crypto';
import type { ParsedFile } from '../../domain/measurement.js';
import { stationLimits, stationRunVerdicts } from '../../domain/station-evidence.js';
import type { StationVerdictsDocument } from '../../domain/stored-documents.js';
import type { StoreDatabase } from '../database-schema.js';
import type { FileRow, RunReadingsRow, RunRow } from '../dialect/store-dialect.js';
import { packRunReadings } from '../run-readings.js';
import { FileStoreError, LotProductConflictError, StoreInputError } from '../store-errors.js';
import { censorCode, normaliseSha256, toStoredInstant } from '../stored-values.js';

/** A stored lot's id and product. */
export interface LotRef {
  readonly id: number;
  readonly productId: string;
}

/** The station's verdicts and limits of a file, when it carries any (stored as evidence, never used to judge). */
export interface PreparedStationEvidence {
  readonly verdicts: StationVerdictsDocument;
  /** The file's limit set and its SHA-256 (of the canonical JSON), or null when the file has no limits. */
  readonly limitSet: { readonly sha256: string; readonly json: string } | null;
}

export interface PreparedFile {
  readonly file: ParsedFile;
  readonly station: PreparedStationEvidence | null;
  readonly sha256: string;
  readonly runTimes: readonly string[];
  readonly runCounts: Int32Array;
  readonly lots: readonly string[];
  readonly parameters: readonly string[];
  readonly corners: readonly string[];
}

/** Where a measurement came from, for an error message only (built lazily: 2 M strings were measurable). */
function where(file: ParsedFile, m: ParsedFile['measurements'][number]): string {
  return `${file.path} line ${m.line} (${m.parameter} @ ${m.corner})`;
}

/** Validates a ParsedFile and derives what the transaction needs, before any SQL. */
export function prepareParsedFile(file: ParsedFile): PreparedFile {
  const sha256 = normaliseSha256(file.sha256, `SHA-256 of ${file.path}`);
  const runTimes = file.runs.map((r, i) => toStoredInstant(r.testTime, `Test time of run ${i} (serial ${r.serial}) in ${file.path}`));
  const runCounts = new Int32Array(file.runs.length);
  const parameters = new Set<string>();
  const corners = new Set<string>();
  let stationSays = file.runs.some((r) => r.stationVerdict !== undefined);
  for (const m of file.measurements) {
    if (m.stationVerdict !== undefined || m.stationLimits !== undefined) stationSays = true;
    if (!Number.isInteger(m.run) || m.run < 0 || m.run >= file.runs.length)
      throw new StoreInputError(`${where(file, m)}: run index ${m.run} is outside the file's ${file.runs.length} runs.`);
    if (!Number.isFinite(m.value))
      throw new StoreInputError(`${where(file, m)}: value ${m.value} is not finite; ingestion should have quarantined it as 'not-finite'.`);
    if (m.lane !== null && (!Number.isInteger(m.lane) || m.lane < 0 || m.lane > 32_767))
      throw new StoreInputError(`${where(file, m)}: lane ${m.lane} is not a 0-based lane number.`);
    if (!Number.isInteger(m.line)) throw new StoreInputError(`${where(file, m)}: line ${m.line} is not an integer.`);
    if (m.censoring !== 'none' && m.censoring !== 'below' && m.censoring !== 'above')
      throw new StoreInputError(`${where(file, m)}: censoring "${String(m.censoring)}" is unknown.`);
    runCounts[m.run]!++;
    parameters.add(m.parameter);
    corners.add(m.corner);
  }
  const lots = [...new Set(file.runs.map((r) => r.lot))].sort();
  const station = stationSays ? prepareStationEvidence(file) : null;
  return { file, station, sha256, runTimes, runCounts, lots, parameters: [...parameters].sort(), corners: [...corners].sort() };
}

/**
 * The limits a file's readings carry, in file order, flat: what decides its limit set. Files of one
 * station setup repeat the same sequence, so a recent file's set is reused after a comparison of these
 * arrays instead of deduplicating, serialising and hashing the limits again (that was ~0.5 ms per file).
 */
interface LimitSequence {
  readonly text: (string | null)[];
  readonly numbers: (number | null)[];
}

/** Recent limit sets by their sequence (a few: one per station program in use). */
const recentSets: { readonly sequence: LimitSequence; readonly set: NonNullable<PreparedStationEvidence['limitSet']> }[] = [];
const RECENT_SETS = 8;

function limitSequence(file: ParsedFile): LimitSequence {
  const text: (string | null)[] = [];
  const numbers: (number | null)[] = [];
  for (const m of file.measurements) {
    const l = m.stationLimits;
    if (l === undefined) continue;
    text.push(file.runs[m.run]?.station ?? null, m.parameter, m.corner);
    numbers.push(m.lane, l.low, l.high);
  }
  return { text, numbers };
}

const sameSequence = (a: LimitSequence, b: LimitSequence): boolean =>
  a.text.length === b.text.length &&
  a.numbers.length === b.numbers.length &&
  a.text.every((x, i) => x === b.text[i]) &&
  a.numbers.every((x, i) => Object.is(x, b.numbers[i]));

/** The file's station verdicts per run and its limit set (in the order the file lists the limits). */
function prepareStationEvidence(file: ParsedFile): PreparedStationEvidence {
  const verdicts = stationRunVerdicts(file).map((v) => ({ run: v.run!, verdict: v.verdict, from: v.from }));
  const sequence = limitSequence(file);
  if (sequence.text.length === 0) return { verdicts, limitSet: null };
  const recent = recentSets.find((r) => sameSequence(r.sequence, sequence));
  if (recent) return { verdicts, limitSet: recent.set };
  const json = JSON.stringify(
    stationLimits(file).map((l) => ({
      station: l.station,
      parameter: l.parameter,
      corner: l.corner,
      lane: l.lane,
      low: l.low,
      high: l.high,
    })),
  );
  const set = { sha256: createHash('sha256').update(json).digest('hex'), json };
  recentSets.unshift({ sequence, set });
  if (recentSets.length > RECENT_SETS) recentSets.pop();
  return { verdicts, limitSet: set };
}

/** A file's write failed: the store's own refusals as they are, anything else wrapped with the file's path. */
export function fileError(path: string, err: unknown): Error {
  return err instanceof LotProductConflictError || err instanceof StoreInputError ? err : new FileStoreError(path, err);
}

/** The `files` row of a prepared file. */
export function fileRow(prepared: PreparedFile, storedAt: string): FileRow {
  const file = prepared.file;
  return {
    sha256: prepared.sha256,
    path: file.path,
    name: file.name,
    bytes: file.bytes,
    profile_id: file.profileId,
    product_id: file.productId,
    profile_choice: file.profileChoice,
    data_rows: file.dataRows,
    run_count: file.runs.length,
    measurement_count: file.measurements.length,
    quarantine_count: file.quarantine.length,
    stored_at: storedAt,
  };
}

/** The `runs` rows of a prepared file stored as `fileId`. */
export function runRowsOf(prepared: PreparedFile, fileId: number, lots: ReadonlyMap<string, LotRef>): RunRow[] {
  return prepared.file.runs.map((run, order) => ({
    file_id: fileId,
    lot_id: lots.get(run.lot)!.id,
    run_order: order,
    serial: run.serial,
    station: run.station,
    test_time: prepared.runTimes[order]!,
    declared_attempt: run.declaredAttempt,
    operator: run.operator,
    measurement_count: prepared.runCounts[order]!,
  }));
}

/** The file's quarantined rows as `quarantine` table rows. */
export function quarantineRows(fileId: number, file: ParsedFile): Insertable<StoreDatabase['quarantine']>[] {
  return file.quarantine.map((q) => ({
    file_id: fileId,
    line: q.line,
    column_name: q.column,
    raw_value: q.rawValue,
    reason: q.reason,
    message: q.message,
  }));
}

/** Sorted distinct names over several prepared files (dictionary lookups in one statement). */
export function unionOf(files: readonly PreparedFile[], names: (p: PreparedFile) => readonly string[]): string[] {
  const all = new Set<string>();
  for (const p of files) for (const n of names(p)) all.add(n);
  return [...all].sort();
}

/** Each run's readings of a prepared file, packed, with the stored ids of runs, parameters and corners. */
export function packFileReadings(
  prepared: PreparedFile,
  runIds: Int32Array,
  parameterIds: ReadonlyMap<string, number>,
  cornerIds: ReadonlyMap<string, number>,
): RunReadingsRow[] {
  const file = prepared.file;
  const runs = Array.from(prepared.runCounts, (count) => ({
    length: count,
    at: 0,
    index: new Int32Array(count),
    parameterId: new Int32Array(count),
    cornerId: new Int32Array(count),
    lane: new Int32Array(count),
    value: new Float64Array(count),
    censoring: new Uint8Array(count),
    line: new Int32Array(count),
  }));
  file.measurements.forEach((m, i) => {
    const r = runs[m.run]!;
    const k = r.at++;
    r.index[k] = i;
    r.parameterId[k] = parameterIds.get(m.parameter)!;
    r.cornerId[k] = cornerIds.get(m.corner)!;
    r.lane[k] = m.lane ?? -1;
    r.value[k] = m.value;
    r.censoring[k] = censorCode(m.censoring);
    r.line[k] = m.line;
  });
  return runs.map((r, order) => ({
    run_id: runIds[order]!,
    reading_count: r.length,
    readings: packRunReadings(r, (k) => where(file, file.measurements[r.index[k]!]!)),
  }));
}
