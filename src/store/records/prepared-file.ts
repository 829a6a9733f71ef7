/**
 * @module A ParsedFile checked and turned into rows before any SQL runs, so bad input never opens a
 * transaction: the `files`, `runs` and `quarantine` rows and each run's packed readings.
 */
import type { Insertable } from 'kysely';
import { createHash } from 'node:crypto';
import type { ParsedFile } from '../../domain/measurement.js';
import { columnsOf, measurementColumns as measurementColumnsOf, type MeasurementColumns } from '../../domain/measurement-columns.js';
import { stationLimitsOfColumns, stationRunVerdictsOfColumns } from '../../domain/station-evidence.js';
import type { StationVerdictsDocument } from '../../domain/stored-documents.js';
import type { StoreDatabase } from '../database-schema.js';
import type { FileRow, RunReadingsRow, RunRow } from '../dialect/store-dialect.js';
import { packSortedRunReadings } from '../run-readings.js';
import { FileStoreError, LotProductConflictError, StoreInputError } from '../store-errors.js';
import { normaliseSha256, toStoredInstant } from '../stored-values.js';

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
  /** The file's measurements as columns (the parse thread's, or packed here from the objects). */
  readonly columns: MeasurementColumns;
  readonly station: PreparedStationEvidence | null;
  readonly sha256: string;
  readonly runTimes: readonly string[];
  readonly runCounts: Int32Array;
  readonly lots: readonly string[];
  readonly parameters: readonly string[];
  readonly corners: readonly string[];
}

/** Where measurement i came from, for an error message only (built lazily: 2 M strings were measurable). */
function where(file: ParsedFile, c: MeasurementColumns, i: number): string {
  return `${file.path} line ${c.line[i]} (${c.parameters[c.parameter[i]!]} @ ${c.corners[c.corner[i]!]})`;
}

/**
 * The file's measurement objects checked one by one and packed into columns: a check the columns cannot
 * express by their types (lane beyond 32,767, a fractional line, an unknown censoring word) is made here.
 */
function checkedColumns(file: ParsedFile): MeasurementColumns {
  const ms = file.measurements;
  for (const m of ms) {
    const at = () => `${file.path} line ${m.line} (${m.parameter} @ ${m.corner})`;
    if (m.lane !== null && (!Number.isInteger(m.lane) || m.lane < 0 || m.lane > 32_767))
      throw new StoreInputError(`${at()}: lane ${m.lane} is not a 0-based lane number.`);
    if (!Number.isInteger(m.line)) throw new StoreInputError(`${at()}: line ${m.line} is not an integer.`);
    if (m.censoring !== 'none' && m.censoring !== 'below' && m.censoring !== 'above')
      throw new StoreInputError(`${at()}: censoring "${String(m.censoring)}" is unknown.`);
    if (!Number.isInteger(m.run) || m.run < 0 || m.run >= file.runs.length)
      throw new StoreInputError(`${at()}: run index ${m.run} is outside the file's ${file.runs.length} runs.`);
  }
  return measurementColumnsOf(ms);
}

/**
 * Recent name lists sorted: files of one station program name the same parameters and corners in the
 * same order, so they share one sorted array (and StoredIds answers a shared array from its cache).
 */
const recentNames: { readonly names: readonly string[]; readonly sorted: readonly string[] }[] = [];
const RECENT_NAMES = 8;

/** The distinct names, sorted (the same array for the same list of names as a recent file's). */
function sortedNames(names: readonly string[]): readonly string[] {
  for (const r of recentNames) if (r.names.length === names.length && r.names.every((n, i) => n === names[i])) return r.sorted;
  const sorted = Object.freeze([...new Set(names)].sort());
  recentNames.unshift({ names: [...names], sorted });
  if (recentNames.length > RECENT_NAMES) recentNames.pop();
  return sorted;
}

/** Validates a ParsedFile and derives what the transaction needs, before any SQL. */
export function prepareParsedFile(file: ParsedFile): PreparedFile {
  const sha256 = normaliseSha256(file.sha256, `SHA-256 of ${file.path}`);
  const runTimes = file.runs.map((r, i) => toStoredInstant(r.testTime, `Test time of run ${i} (serial ${r.serial}) in ${file.path}`));
  const columns = columnsOf(file) ?? checkedColumns(file);
  const runCounts = new Int32Array(file.runs.length);
  const runs = file.runs.length;
  let stationSays = file.runs.some((r) => r.stationVerdict !== undefined);
  const { run, value, verdict, limitFlags, censoring } = columns;
  for (let i = 0; i < columns.length; i++) {
    const r = run[i]!;
    if (r < 0 || r >= runs) throw new StoreInputError(`${where(file, columns, i)}: run index ${r} is outside the file's ${runs} runs.`);
    const v = value[i]!;
    if (!(v - v === 0))
      throw new StoreInputError(
        `${where(file, columns, i)}: value ${v} is not finite; ingestion should have quarantined it as 'not-finite'.`,
      );
    if (censoring[i]! > 2) throw new StoreInputError(`${where(file, columns, i)}: censoring code ${censoring[i]} is unknown.`);
    if (verdict[i] !== 0 || limitFlags[i] !== 0) stationSays = true;
    runCounts[r]!++;
  }
  // Every name of the columns is used by at least one reading (they are collected from the readings).
  const lots = [...new Set(file.runs.map((r) => r.lot))].sort();
  const station = stationSays ? prepareStationEvidence(file, columns) : null;
  return {
    file,
    columns,
    station,
    sha256,
    runTimes,
    runCounts,
    lots,
    parameters: sortedNames(columns.parameters),
    corners: sortedNames(columns.corners),
  };
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
/** Limits of the longest sequence remembered (a per-unit file of an 8-lane module has a few hundred). */
const MAX_REMEMBERED_LIMITS = 10_000;

function limitSequence(file: ParsedFile, c: MeasurementColumns): LimitSequence {
  const text: (string | null)[] = [];
  const numbers: (number | null)[] = [];
  for (let i = 0; i < c.length; i++) {
    const flags = c.limitFlags[i]!;
    if (flags === 0) continue;
    const lane = c.lane[i]!;
    text.push(file.runs[c.run[i]!]?.station ?? null, c.parameters[c.parameter[i]!]!, c.corners[c.corner[i]!]!);
    numbers.push(lane === -1 ? null : lane, flags & 2 ? null : c.low[i]!, flags & 4 ? null : c.high[i]!);
  }
  return { text, numbers };
}

const sameSequence = (a: LimitSequence, b: LimitSequence): boolean =>
  a.text.length === b.text.length &&
  a.numbers.length === b.numbers.length &&
  a.text.every((x, i) => x === b.text[i]) &&
  a.numbers.every((x, i) => Object.is(x, b.numbers[i]));

/** The file's station verdicts per run and its limit set (in the order the file lists the limits). */
function prepareStationEvidence(file: ParsedFile, columns: MeasurementColumns): PreparedStationEvidence {
  const verdicts = stationRunVerdictsOfColumns(file.runs, columns).map((v) => ({ run: v.run!, verdict: v.verdict, from: v.from }));
  let limits = 0;
  for (let i = 0; i < columns.length; i++) if (columns.limitFlags[i] !== 0) limits++;
  if (limits === 0) return { verdicts, limitSet: null };
  // Only a per-unit file's sequence is worth comparing and remembering: a file of thousands of units
  // (millions of limits) would build ~150 MB of sequence for it, and keep it alive here for as long as
  // the process runs (a queue worker); its set is made directly.
  const sequence = limits <= MAX_REMEMBERED_LIMITS ? limitSequence(file, columns) : null;
  const recent = sequence === null ? undefined : recentSets.find((r) => sameSequence(r.sequence, sequence));
  if (recent) return { verdicts, limitSet: recent.set };
  const json = JSON.stringify(
    stationLimitsOfColumns(file.runs, columns).map((l) => ({
      station: l.station,
      parameter: l.parameter,
      corner: l.corner,
      lane: l.lane,
      low: l.low,
      high: l.high,
    })),
  );
  const set = { sha256: createHash('sha256').update(json).digest('hex'), json };
  if (sequence !== null) {
    recentSets.unshift({ sequence, set });
    if (recentSets.length > RECENT_SETS) recentSets.pop();
  }
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
    measurement_count: prepared.columns.length,
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

/** The last few `ranks` answers: files of one station program list the same names in the same order. */
const recentRanks: { readonly ids: Int32Array; readonly ranks: Int32Array }[] = [];

/** Distinct ids in ascending order → each id's rank (ids of one file's dictionary are few). */
function ranks(ids: Int32Array): Int32Array {
  for (const r of recentRanks) {
    if (r.ids.length !== ids.length) continue;
    let same = true;
    for (let k = 0; k < ids.length && same; k++) same = r.ids[k] === ids[k];
    if (same) return r.ranks;
  }
  const sorted = ids.slice().sort();
  const result = new Int32Array(ids.length);
  for (let k = 0; k < ids.length; k++) result[k] = sorted.indexOf(ids[k]!);
  recentRanks.unshift({ ids: ids.slice(), ranks: result });
  if (recentRanks.length > 4) recentRanks.pop();
  return result;
}

/**
 * The last few reading orders worked out, by their sort keys: files of one station program list the same
 * parameters, corners and lanes in the same order, so their readings sort the same way. Comparing the
 * keys (one pass) replaces the sort and the pass that took the indices back out (~10 µs a file).
 */
const recentOrders: { readonly keys: Float64Array; readonly order: Float64Array }[] = [];
const RECENT_ORDERS = 4;

/** The indices of `keys` in ascending key order, ties in index order (`keys` must be exact below 2^52 / n). */
function readingOrder(keys: Float64Array): Float64Array {
  const n = keys.length;
  for (const r of recentOrders) {
    if (r.keys.length !== n) continue;
    let same = true;
    for (let i = 0; i < n && same; i++) same = r.keys[i] === keys[i];
    if (same) return r.order;
  }
  const order = new Float64Array(n);
  for (let i = 0; i < n; i++) order[i] = keys[i]! * n + i;
  order.sort();
  for (let k = 0; k < n; k++) order[k] = order[k]! % n;
  recentOrders.unshift({ keys, order });
  if (recentOrders.length > RECENT_ORDERS) recentOrders.pop();
  return order;
}

/**
 * Each run's readings of a prepared file, packed in (parameter id, corner id, lane) order, with the stored
 * ids of runs, parameters and corners. One native numeric sort of the whole file orders the readings by
 * run and then by that key (a compact sort key: the file's parameters and corners ranked by stored id),
 * instead of a comparator sort per run; a file whose keys equal a recent file's reuses that order.
 */
export function packFileReadings(
  prepared: PreparedFile,
  runIds: Int32Array,
  parameterIds: ReadonlyMap<string, number>,
  cornerIds: ReadonlyMap<string, number>,
): RunReadingsRow[] {
  const c = prepared.columns;
  const n = c.length;
  const P = c.parameters.length;
  const C = c.corners.length;
  const pid = new Int32Array(P);
  for (let k = 0; k < P; k++) pid[k] = parameterIds.get(c.parameters[k]!)!;
  const cid = new Int32Array(C);
  for (let k = 0; k < C; k++) cid[k] = cornerIds.get(c.corners[k]!)!;
  const pRank = ranks(pid);
  const cRank = ranks(cid);
  let laneSlots = 1;
  for (let i = 0; i < n; i++) if (c.lane[i]! + 2 > laneSlots) laneSlots = c.lane[i]! + 2;
  const runs = prepared.runCounts.length;
  let order: Float64Array;
  if (runs * P * C * laneSlots * Math.max(1, n) < 2 ** 52) {
    const keys = new Float64Array(n);
    for (let i = 0; i < n; i++)
      keys[i] = ((c.run[i]! * P + pRank[c.parameter[i]!]!) * C + cRank[c.corner[i]!]!) * laneSlots + c.lane[i]! + 1;
    order = readingOrder(keys);
  } else {
    // A key too large for exact doubles (never seen in a station file): a comparator sort.
    const key = (i: number) => ((c.run[i]! * P + pRank[c.parameter[i]!]!) * C + cRank[c.corner[i]!]!) * laneSlots + c.lane[i]! + 1;
    const idx = Array.from({ length: n }, (_, i) => i).sort((a, b) => key(a) - key(b) || a - b);
    order = Float64Array.from(idx);
  }
  const rows: RunReadingsRow[] = [];
  let k = 0;
  for (let r = 0; r < runs; r++) {
    const count = prepared.runCounts[r]!;
    rows.push({
      run_id: runIds[r]!,
      reading_count: count,
      readings: packSortedRunReadings(c, order, k, count, pid, cid, (i) => where(prepared.file, c, i)),
    });
    k += count;
  }
  return rows;
}
