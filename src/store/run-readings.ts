/**
 * @module A run's readings as one stored record: every measurement of one tested unit in one test run,
 * packed column by column into a single blob (SQLite BLOB, PostgreSQL bytea) next to the run id.
 *
 * Why not a row per reading: a 10,000-unit lot is 2–3 million readings, and the databases' cost was per
 * row — SQLite's b-tree inserts were ~2 s of a 10,000-file ingest, and on PostgreSQL each reading cost
 * ~3 µs of server CPU (plus its primary-key entry), a third of a core at 1,000 files/s, which is what kept
 * a second ingest worker from scaling on a shared machine. Readings are always written, read and
 * replaced per run, never queried one by one, so the row per reading bought nothing. Measured with a
 * 15-file batch of 80-reading runs on PostgreSQL: 0.045 ms server CPU per file packed vs 0.21 ms as rows.
 *
 * Layout, little-endian, for n readings in (parameter id, corner id, lane) order:
 *   value     float64 × n   (bytes 0 … 8n)       the reading, in the parameter's stored unit
 *   key       uint32  × n   (8n … 12n)            parameter id × 65536 + corner id
 *   laneCode  int32   × n   (12n … 16n)           (lane + 1) × 4 + censoring code (lane -1: per module)
 *   line      int32   × n   (16n … 20n)           source line in the station file (traceability)
 * The reading count is stored beside the blob, and the blob must be exactly 20n bytes long.
 */
import { endianness } from 'node:os';
import { StoreInputError } from './store-errors.js';

export const BYTES_PER_READING = 20;

/** One run's readings with dictionary ids resolved, as parallel arrays (any order). */
export interface RunReadingColumns {
  readonly parameterId: ArrayLike<number>;
  readonly cornerId: ArrayLike<number>;
  /** 0-based lane, or -1 for a per-module parameter. */
  readonly lane: ArrayLike<number>;
  readonly value: ArrayLike<number>;
  /** 0 none, 1 below, 2 above (lot-data.ts CENSOR_*). */
  readonly censoring: ArrayLike<number>;
  readonly line: ArrayLike<number>;
  readonly length: number;
}

/**
 * Packs one run's readings in (parameter, corner, lane) order. A second reading of the same parameter,
 * corner and lane in one run is refused (ingestion quarantines such rows as 'duplicate-measurement';
 * reaching the store means a caller bypassed it). `describe(i)` names reading i for that message.
 */
export function packRunReadings(r: RunReadingColumns, describe: (i: number) => string): Buffer {
  const n = r.length;
  const keys = new Float64Array(n); // parameter, corner, lane in one sortable number (< 2^49)
  for (let i = 0; i < n; i++) keys[i] = (r.parameterId[i]! * 65536 + r.cornerId[i]!) * 65536 + (r.lane[i]! + 1);
  const order = new Uint32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let sorted = true;
  for (let i = 1; i < n && sorted; i++) sorted = keys[i - 1]! < keys[i]!;
  if (!sorted) order.sort((a, b) => keys[a]! - keys[b]!);
  const buf = Buffer.alloc(n * BYTES_PER_READING);
  for (let k = 0; k < n; k++) {
    const i = order[k]!;
    if (k > 0 && keys[order[k - 1]!] === keys[i]) {
      throw new StoreInputError(
        `${describe(i)}: a second reading of the same parameter, corner and lane in one run (first: ${describe(order[k - 1]!)}).`,
      );
    }
    buf.writeDoubleLE(r.value[i]!, 8 * k);
    buf.writeUInt32LE(r.parameterId[i]! * 65536 + r.cornerId[i]!, 8 * n + 4 * k);
    buf.writeInt32LE((r.lane[i]! + 1) * 4 + r.censoring[i]!, 12 * n + 4 * k);
    buf.writeInt32LE(r.line[i]!, 16 * n + 4 * k);
  }
  return buf;
}

/** Typed arrays write the record's little-endian layout directly on a little-endian machine (x86, ARM). */
const LITTLE_ENDIAN = endianness() === 'LE';

/** The columns packSortedRunReadings reads: a file's readings with file-local parameter and corner indices. */
export interface ReadingColumns {
  readonly parameter: ArrayLike<number>;
  readonly corner: ArrayLike<number>;
  readonly lane: ArrayLike<number>;
  readonly value: ArrayLike<number>;
  readonly censoring: ArrayLike<number>;
  readonly line: ArrayLike<number>;
}

/**
 * Packs one run whose readings are `order[from … from + count)` (indices into `c`), already in
 * (parameter id, corner id, lane) order; `parameterIds` / `cornerIds` map the columns' indices to stored
 * ids. The same record and the same refusal of a repeated reading as packRunReadings.
 */
export function packSortedRunReadings(
  c: ReadingColumns,
  order: ArrayLike<number>,
  from: number,
  count: number,
  parameterIds: ArrayLike<number>,
  cornerIds: ArrayLike<number>,
  describe: (i: number) => string,
): Buffer {
  const n = count;
  const bytes = new ArrayBuffer(n * BYTES_PER_READING);
  const buf = Buffer.from(bytes);
  const values = LITTLE_ENDIAN ? new Float64Array(bytes, 0, n) : null;
  const keys = LITTLE_ENDIAN ? new Uint32Array(bytes, 8 * n, n) : null;
  const laneCodes = LITTLE_ENDIAN ? new Int32Array(bytes, 12 * n, n) : null;
  const lines = LITTLE_ENDIAN ? new Int32Array(bytes, 16 * n, n) : null;
  let previousKey = -1;
  let previousLane = 0;
  for (let k = 0; k < n; k++) {
    const i = order[from + k]!;
    const key = parameterIds[c.parameter[i]!]! * 65536 + cornerIds[c.corner[i]!]!;
    const lane = c.lane[i]!;
    if (key === previousKey && lane === previousLane) {
      throw new StoreInputError(
        `${describe(i)}: a second reading of the same parameter, corner and lane in one run (first: ${describe(order[from + k - 1]!)}).`,
      );
    }
    previousKey = key;
    previousLane = lane;
    const laneCode = (lane + 1) * 4 + c.censoring[i]!;
    if (values !== null) {
      values[k] = c.value[i]!;
      keys![k] = key;
      laneCodes![k] = laneCode;
      lines![k] = c.line[i]!;
    } else {
      buf.writeDoubleLE(c.value[i]!, 8 * k);
      buf.writeUInt32LE(key, 8 * n + 4 * k);
      buf.writeInt32LE(laneCode, 12 * n + 4 * k);
      buf.writeInt32LE(c.line[i]!, 16 * n + 4 * k);
    }
  }
  return buf;
}

/** Receives unpacked readings in stored order. */
export interface ReadingSink {
  reading(parameterId: number, cornerId: number, lane: number, censoring: number, value: number): void;
}

/** Unpacks a stored run's readings into `sink`; the blob must hold exactly `count` readings. */
export function unpackRunReadings(blob: Uint8Array, count: number, runId: number, sink: ReadingSink): void {
  assertRunRecord(blob, count, runId);
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const n = count;
  for (let k = 0; k < n; k++) {
    const key = view.getUint32(8 * n + 4 * k, true);
    const laneCode = view.getInt32(12 * n + 4 * k, true);
    const censoring = laneCode & 3;
    sink.reading(key >>> 16, key & 0xffff, (laneCode - censoring) / 4 - 1, censoring, view.getFloat64(8 * k, true));
  }
}

/**
 * The columns a lot's readings are unpacked into (lot-reader.ts), and how stored dictionary ids become
 * column values: `parameterOf[stored parameter id]` (likewise corners), each value written flagged in
 * `usedParameters` / `usedCorners`.
 */
export interface UnpackedColumns {
  readonly parameterIndex: Uint16Array;
  readonly cornerIndex: Uint16Array;
  /** 0-based lane, or -1 for a per-module parameter. */
  readonly lane: Int16Array;
  readonly value: Float64Array;
  readonly censoring: Uint8Array;
  readonly parameterOf: Uint16Array;
  readonly cornerOf: Uint16Array;
  readonly usedParameters: Uint8Array;
  readonly usedCorners: Uint8Array;
}

/**
 * Unpacks a stored run's readings into `into` at positions `at … at + count`, in stored order: the same
 * readings unpackRunReadings hands its sink (ids mapped through parameterOf / cornerOf), without a call
 * per reading. The record's columns are read through typed-array views on the blob (the values copied in
 * one block) when its bytes start 8-aligned, else from one aligned copy; DataView reads on a big-endian
 * machine. The blob must hold exactly `count` readings.
 */
export function unpackRunColumns(blob: Uint8Array, count: number, runId: number, into: UnpackedColumns, at: number): void {
  assertRunRecord(blob, count, runId);
  const n = count;
  if (n === 0) return;
  const { parameterIndex, cornerIndex, lane, censoring, parameterOf, cornerOf, usedParameters, usedCorners } = into;
  const { values, keys, laneCodes } = recordColumns(blob, n);
  into.value.set(values, at);
  for (let k = 0; k < n; k++) {
    const key = keys[k]!;
    const laneCode = laneCodes[k]!;
    const p = parameterOf[key >>> 16]!;
    const c = cornerOf[key & 0xffff]!;
    parameterIndex[at + k] = p;
    cornerIndex[at + k] = c;
    usedParameters[p] = 1;
    usedCorners[c] = 1;
    // (laneCode − censoring) / 4 − 1 for any int32: laneCode & 3 is laneCode mod 4, so >> 2 is that floor.
    lane[at + k] = (laneCode >> 2) - 1;
    censoring[at + k] = laneCode & 3;
  }
}

/**
 * A record's value, key and lane-code columns as typed arrays: views on the blob when it starts 8-aligned on
 * a little-endian machine (better-sqlite3 and pg hand out buffers that usually are), else from one aligned
 * copy; decoded through a DataView on a big-endian machine.
 */
function recordColumns(blob: Uint8Array, n: number): { values: Float64Array; keys: Uint32Array; laneCodes: Int32Array } {
  if (!LITTLE_ENDIAN) {
    const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
    const values = new Float64Array(n);
    const keys = new Uint32Array(n);
    const laneCodes = new Int32Array(n);
    for (let k = 0; k < n; k++) {
      values[k] = view.getFloat64(8 * k, true);
      keys[k] = view.getUint32(8 * n + 4 * k, true);
      laneCodes[k] = view.getInt32(12 * n + 4 * k, true);
    }
    return { values, keys, laneCodes };
  }
  const bytes = blob.byteOffset % 8 === 0 ? blob : new Uint8Array(blob);
  const offset = bytes.byteOffset;
  return {
    values: new Float64Array(bytes.buffer, offset, n),
    keys: new Uint32Array(bytes.buffer, offset + 8 * n, n),
    laneCodes: new Int32Array(bytes.buffer, offset + 12 * n, n),
  };
}

/** The source lines of a stored run's readings, in stored order (traceability; not needed to evaluate). */
export function readingLines(blob: Uint8Array, count: number): Int32Array {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const lines = new Int32Array(count);
  for (let k = 0; k < count; k++) lines[k] = view.getInt32(16 * count + 4 * k, true);
  return lines;
}

/** Refuses a stored record whose length does not match its reading count (a damaged store). */
export function assertRunRecord(blob: Uint8Array, count: number, runId: number): void {
  if (blob.byteLength !== count * BYTES_PER_READING) {
    throw new Error(
      `run ${runId}: stored readings are ${blob.byteLength} bytes, expected ${count} × ${BYTES_PER_READING}; the store is damaged`,
    );
  }
}

/** One stored reading, as read back. */
export interface StoredReading {
  readonly parameterId: number;
  readonly cornerId: number;
  /** 0-based lane, or -1 for a per-module parameter. */
  readonly lane: number;
  readonly censoring: number;
  readonly value: number;
  readonly line: number;
}

/** Reading `k` of a stored run's packed record of `count` readings. */
export function readingAt(blob: Uint8Array, count: number, k: number): StoredReading {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const key = view.getUint32(8 * count + 4 * k, true);
  const laneCode = view.getInt32(12 * count + 4 * k, true);
  const censoring = laneCode & 3;
  return {
    parameterId: key >>> 16,
    cornerId: key & 0xffff,
    lane: (laneCode - censoring) / 4 - 1,
    censoring,
    value: view.getFloat64(8 * k, true),
    line: view.getInt32(16 * count + 4 * k, true),
  };
}

/**
 * The index of the reading of one parameter, corner and lane in a stored run, or -1: a binary search,
 * since readings are packed in (parameter id, corner id, lane) order. One chart's points out of a
 * whole lot read without unpacking every reading.
 */
export function findReading(blob: Uint8Array, count: number, parameterId: number, cornerId: number, lane: number): number {
  const view = new DataView(blob.buffer, blob.byteOffset, blob.byteLength);
  const wanted = (parameterId * 65536 + cornerId) * 65536 + (lane + 1);
  let lo = 0;
  let hi = count - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const key = view.getUint32(8 * count + 4 * mid, true);
    const laneCode = view.getInt32(12 * count + 4 * mid, true);
    const at = key * 65536 + (laneCode >> 2);
    if (at === wanted) return mid;
    if (at < wanted) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}
