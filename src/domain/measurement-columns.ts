/**
 * @module A parsed file's measurements as columns: typed arrays (one per field) plus the few distinct
 * parameter and corner names. What a parse thread hands the writer (the buffer is transferred, not
 * copied) and what the store packs runs from, so a 10,000-file lot's 2 million readings need not each
 * be an object on the writing thread.
 *
 * A ParsedFile built from columns (`parsedFileFromColumns`) carries them beside it; its `measurements`
 * are the exact objects the parser made (same fields, same order), built only if something reads them.
 */
import type { Censoring, Measurement, ParsedFile } from './measurement.js';

export interface MeasurementColumns {
  readonly length: number;
  readonly parameters: readonly string[];
  readonly corners: readonly string[];
  readonly run: Int32Array;
  readonly parameter: Uint16Array;
  readonly corner: Uint16Array;
  /** -1 for a per-module parameter (lane null). */
  readonly lane: Int16Array;
  readonly value: Float64Array;
  /** 0 none, 1 below, 2 above. */
  readonly censoring: Uint8Array;
  readonly line: Int32Array;
  /** 0 absent, 1 pass, 2 fail. */
  readonly verdict: Uint8Array;
  /** Bit 0: stationLimits present; bit 1: low is null; bit 2: high is null. */
  readonly limitFlags: Uint8Array;
  readonly low: Float64Array;
  readonly high: Float64Array;
}

const CENSORING: readonly Censoring[] = ['none', 'below', 'above'];
const censorCode = (c: Censoring): number => (c === 'none' ? 0 : c === 'below' ? 1 : 2);

/** Bytes of one measurement over all columns. */
const BYTES = 3 * 8 + 2 * 4 + 3 * 2 + 3;

/**
 * Packs measurement objects into columns, all views on one ArrayBuffer (8-byte columns first, so every
 * view is aligned): one allocation, one buffer to transfer. Callers check lanes (≤ 32,767) before.
 */
export function measurementColumns(measurements: readonly Measurement[]): MeasurementColumns {
  const n = measurements.length;
  const parameters: string[] = [];
  const corners: string[] = [];
  const parameterIndex = new Map<string, number>();
  const cornerIndex = new Map<string, number>();
  const buffer = new ArrayBuffer(n * BYTES);
  let offset = 0;
  const view = <T>(make: new (b: ArrayBuffer, o: number, l: number) => T, bytes: number): T => {
    const v = new make(buffer, offset, n);
    offset += n * bytes;
    return v;
  };
  const p: MeasurementColumns = {
    length: n,
    parameters,
    corners,
    value: view(Float64Array, 8),
    low: view(Float64Array, 8),
    high: view(Float64Array, 8),
    run: view(Int32Array, 4),
    line: view(Int32Array, 4),
    parameter: view(Uint16Array, 2),
    corner: view(Uint16Array, 2),
    lane: view(Int16Array, 2),
    censoring: view(Uint8Array, 1),
    verdict: view(Uint8Array, 1),
    limitFlags: view(Uint8Array, 1),
  };
  // Consecutive readings mostly share a parameter or corner string: compare before the map lookup.
  let lastParameter: string | null = null;
  let lastPi = 0;
  let lastCorner: string | null = null;
  let lastCi = 0;
  for (let i = 0; i < n; i++) {
    const m = measurements[i] as Measurement;
    if (m.parameter !== lastParameter) {
      let pi = parameterIndex.get(m.parameter);
      if (pi === undefined) {
        pi = parameters.push(m.parameter) - 1;
        parameterIndex.set(m.parameter, pi);
      }
      lastParameter = m.parameter;
      lastPi = pi;
    }
    if (m.corner !== lastCorner) {
      let ci = cornerIndex.get(m.corner);
      if (ci === undefined) {
        ci = corners.push(m.corner) - 1;
        cornerIndex.set(m.corner, ci);
      }
      lastCorner = m.corner;
      lastCi = ci;
    }
    p.run[i] = m.run;
    p.parameter[i] = lastPi;
    p.corner[i] = lastCi;
    p.lane[i] = m.lane ?? -1;
    p.value[i] = m.value;
    p.censoring[i] = censorCode(m.censoring);
    p.line[i] = m.line;
    if (m.stationVerdict !== undefined) p.verdict[i] = m.stationVerdict === 'pass' ? 1 : 2;
    const limits = m.stationLimits;
    if (limits !== undefined) {
      p.limitFlags[i] = 1 | (limits.low === null ? 2 : 0) | (limits.high === null ? 4 : 0);
      p.low[i] = limits.low ?? 0;
      p.high[i] = limits.high ?? 0;
    }
  }
  return p;
}

/** The buffer the columns are views on (to transfer between threads). */
export function columnsBuffer(columns: MeasurementColumns): ArrayBuffer {
  return columns.value.buffer as ArrayBuffer;
}

/** Measurement i of the columns, as the parser made it. */
export function measurementAt(p: MeasurementColumns, i: number): Measurement {
  const lane = p.lane[i] as number;
  const m: { -readonly [K in keyof Measurement]: Measurement[K] } = {
    run: p.run[i] as number,
    parameter: p.parameters[p.parameter[i] as number] as string,
    corner: p.corners[p.corner[i] as number] as string,
    lane: lane === -1 ? null : lane,
    value: p.value[i] as number,
    censoring: CENSORING[p.censoring[i] as number] as Censoring,
    line: p.line[i] as number,
  };
  const verdict = p.verdict[i];
  if (verdict !== 0) m.stationVerdict = verdict === 1 ? 'pass' : 'fail';
  const flags = p.limitFlags[i] as number;
  if (flags !== 0) m.stationLimits = { low: flags & 2 ? null : (p.low[i] as number), high: flags & 4 ? null : (p.high[i] as number) };
  return m;
}

/** Every measurement of the columns, as the parser made them. */
export function columnMeasurements(p: MeasurementColumns): Measurement[] {
  const measurements = new Array<Measurement>(p.length);
  for (let i = 0; i < p.length; i++) measurements[i] = measurementAt(p, i);
  return measurements;
}

const columnsByFile = new WeakMap<ParsedFile, MeasurementColumns>();

/**
 * A ParsedFile whose measurements are `columns`: `measurements` is built from them on first read (and
 * kept), so a writer that packs from the columns never builds 200 objects per file.
 */
export function parsedFileFromColumns(head: Omit<ParsedFile, 'measurements'>, columns: MeasurementColumns): ParsedFile {
  let built: Measurement[] | null = null;
  // Keys in the parser's order (…, runs, measurements, quarantine): JSON of the file stays the same.
  // The head's keys copied one by one: an object rest (`{ quarantine, ...rest }`) and a spread of it cost
  // ~3× as much, once per file.
  const file = {} as Record<string, unknown>;
  for (const key of Object.keys(head)) if (key !== 'quarantine') file[key] = (head as unknown as Record<string, unknown>)[key];
  Object.defineProperty(file, 'measurements', {
    enumerable: true,
    configurable: true,
    get: () => (built ??= columnMeasurements(columns)),
  });
  file.quarantine = head.quarantine;
  columnsByFile.set(file as unknown as ParsedFile, columns);
  return file as unknown as ParsedFile;
}

/** The columns a ParsedFile was built from, if it was (parsedFileFromColumns). */
export function columnsOf(file: ParsedFile): MeasurementColumns | undefined {
  return columnsByFile.get(file);
}

/** A ParsedFile's other fields, without reading (so building) its measurements. */
export function withoutMeasurements(file: ParsedFile): Omit<ParsedFile, 'measurements'> {
  const rest: Record<string, unknown> = {};
  for (const key of Object.keys(file)) if (key !== 'measurements') rest[key] = (file as unknown as Record<string, unknown>)[key];
  return rest as unknown as Omit<ParsedFile, 'measurements'>;
}

/** How many measurements a file has, without building them. */
export function measurementCount(file: ParsedFile): number {
  return columnsByFile.get(file)?.length ?? file.measurements.length;
}

/**
 * Collects one file's measurements into growable columns as they are read (the parser's accumulator):
 * no object per reading outlives its row. `finish()` copies them into one buffer (MeasurementColumns).
 */
/** The growable arrays of one builder; recycled between files (allocating 11 typed arrays per file showed up in profiles). */
interface GrowableColumns {
  capacity: number;
  run: Int32Array;
  parameter: Uint16Array;
  corner: Uint16Array;
  lane: Int16Array;
  value: Float64Array;
  censoring: Uint8Array;
  line: Int32Array;
  verdict: Uint8Array;
  limitFlags: Uint8Array;
  low: Float64Array;
  high: Float64Array;
}

type Column = Int32Array | Uint16Array | Int16Array | Float64Array | Uint8Array;

function growableColumns(capacity: number, from?: GrowableColumns): GrowableColumns {
  const grow = <T extends Column>(make: new (n: number) => T, a: T | undefined): T => {
    const b = new make(capacity);
    if (a !== undefined) b.set(a);
    return b;
  };
  return {
    capacity,
    run: grow(Int32Array, from?.run),
    parameter: grow(Uint16Array, from?.parameter),
    corner: grow(Uint16Array, from?.corner),
    lane: grow(Int16Array, from?.lane),
    value: grow(Float64Array, from?.value),
    censoring: grow(Uint8Array, from?.censoring),
    line: grow(Int32Array, from?.line),
    verdict: grow(Uint8Array, from?.verdict),
    limitFlags: grow(Uint8Array, from?.limitFlags),
    low: grow(Float64Array, from?.low),
    high: grow(Float64Array, from?.high),
  };
}

/** What a finished builder holds (it grows new arrays if pushed to again). */
const NO_COLUMNS = growableColumns(0);

/** Arrays of finished builders, reused by the next files (a few: files parse concurrently on one thread). */
const spare: GrowableColumns[] = [];
const SPARE_SETS = 4;

/**
 * Collects one file's measurements into growable columns as they are read (the parser's accumulator):
 * no object per reading outlives its row. `finish()` copies them into one buffer (MeasurementColumns)
 * and hands the growable arrays to the next file's builder.
 */
export class MeasurementColumnsBuilder {
  length = 0;
  readonly #parameters: string[] = [];
  readonly #corners: string[] = [];
  readonly #parameterIndex = new Map<string, number>();
  readonly #cornerIndex = new Map<string, number>();
  #lastParameter: string | null = null;
  #lastPi = 0;
  #lastCorner: string | null = null;
  #lastCi = 0;
  /** True once a reading with a station verdict or limits was pushed (else those columns are all 0). */
  #evidence = false;
  #c: GrowableColumns = spare.pop() ?? growableColumns(256);

  #grow(): void {
    this.#c = growableColumns(Math.max(256, this.#c.capacity * 2), this.#c);
  }

  /** Appends one measurement without station verdict or limits, from its fields (no object per reading). */
  pushReading(
    run: number,
    parameter: string,
    corner: string,
    lane: number | null,
    value: number,
    censoring: Censoring,
    line: number,
  ): void {
    this.pushReadingInSlot(run, this.#parameterSlot(parameter), corner, lane, value, censoring, line);
  }

  /**
   * pushReading with the parameter given as its slot (from `parameterSlot`): a wide file's columns each
   * hold one parameter, so the mapper asks for a column's slot once instead of a lookup per reading.
   */
  pushReadingInSlot(
    run: number,
    parameterSlot: number,
    corner: string,
    lane: number | null,
    value: number,
    censoring: Censoring,
    line: number,
  ): void {
    if (this.length === this.#c.capacity) this.#grow();
    const c = this.#c;
    const i = this.length++;
    c.parameter[i] = parameterSlot;
    c.corner[i] = this.#cornerSlot(corner);
    c.run[i] = run;
    c.lane[i] = lane ?? -1;
    c.value[i] = value;
    c.censoring[i] = censorCode(censoring);
    c.line[i] = line;
  }

  /**
   * pushReadingInSlot with the station's evidence for the reading, as `push` stores a Measurement's
   * stationVerdict and stationLimits: `verdict` 0 none, 1 pass, 2 fail; `limits` false for none, else
   * `low`/`high` (null: that side not given).
   */
  pushReadingWithEvidence(
    run: number,
    parameterSlot: number,
    corner: string,
    lane: number | null,
    value: number,
    line: number,
    verdict: 0 | 1 | 2,
    limits: boolean,
    low: number | null,
    high: number | null,
  ): void {
    this.pushReadingInSlot(run, parameterSlot, corner, lane, value, 'none', line);
    const c = this.#c;
    const i = this.length - 1;
    if (verdict !== 0) {
      c.verdict[i] = verdict;
      this.#evidence = true;
    }
    if (limits) {
      c.limitFlags[i] = 1 | (low === null ? 2 : 0) | (high === null ? 4 : 0);
      c.low[i] = low ?? 0;
      c.high[i] = high ?? 0;
      this.#evidence = true;
    }
  }

  /** The slot of a parameter in these columns (given to the first parameter pushed that is not yet in them). */
  parameterSlot(parameter: string): number {
    return this.#parameterSlot(parameter);
  }

  #parameterSlot(parameter: string): number {
    if (parameter !== this.#lastParameter) {
      let pi = this.#parameterIndex.get(parameter);
      if (pi === undefined) {
        pi = this.#parameters.push(parameter) - 1;
        this.#parameterIndex.set(parameter, pi);
      }
      this.#lastParameter = parameter;
      this.#lastPi = pi;
    }
    return this.#lastPi;
  }

  #cornerSlot(corner: string): number {
    if (corner !== this.#lastCorner) {
      let ci = this.#cornerIndex.get(corner);
      if (ci === undefined) {
        ci = this.#corners.push(corner) - 1;
        this.#cornerIndex.set(corner, ci);
      }
      this.#lastCorner = corner;
      this.#lastCi = ci;
    }
    return this.#lastCi;
  }

  /** Appends one measurement (lane ≤ 32,767: the parser only makes lanes of the product). */
  push(m: Measurement): void {
    if (this.length === this.#c.capacity) this.#grow();
    const c = this.#c;
    const i = this.length++;
    if (m.parameter !== this.#lastParameter) {
      let pi = this.#parameterIndex.get(m.parameter);
      if (pi === undefined) {
        pi = this.#parameters.push(m.parameter) - 1;
        this.#parameterIndex.set(m.parameter, pi);
      }
      this.#lastParameter = m.parameter;
      this.#lastPi = pi;
    }
    if (m.corner !== this.#lastCorner) {
      let ci = this.#cornerIndex.get(m.corner);
      if (ci === undefined) {
        ci = this.#corners.push(m.corner) - 1;
        this.#cornerIndex.set(m.corner, ci);
      }
      this.#lastCorner = m.corner;
      this.#lastCi = ci;
    }
    c.run[i] = m.run;
    c.parameter[i] = this.#lastPi;
    c.corner[i] = this.#lastCi;
    c.lane[i] = m.lane ?? -1;
    c.value[i] = m.value;
    c.censoring[i] = censorCode(m.censoring);
    c.line[i] = m.line;
    if (m.stationVerdict !== undefined) {
      c.verdict[i] = m.stationVerdict === 'pass' ? 1 : 2;
      this.#evidence = true;
    }
    const limits = m.stationLimits;
    if (limits !== undefined) {
      c.limitFlags[i] = 1 | (limits.low === null ? 2 : 0) | (limits.high === null ? 4 : 0);
      c.low[i] = limits.low ?? 0;
      c.high[i] = limits.high ?? 0;
      this.#evidence = true;
    }
  }

  /** Highest 0-based lane of the readings so far, or -1 (none per lane). */
  maxLane(): number {
    let max = -1;
    const lane = this.#c.lane;
    for (let i = 0; i < this.length; i++) if (lane[i]! > max) max = lane[i]!;
    return max;
  }

  /** The columns, copied into one buffer (8-byte columns first, every view aligned). */
  finish(): MeasurementColumns {
    const n = this.length;
    const c = this.#c;
    const buffer = new ArrayBuffer(n * BYTES);
    let offset = 0;
    // Without verdicts or limits their columns are all 0, as the new buffer already is: not copied.
    const evidence = this.#evidence;
    const copy = <T extends Int32Array | Uint16Array | Int16Array | Float64Array | Uint8Array>(
      from: T,
      make: new (b: ArrayBuffer, o: number, l: number) => T,
      bytes: number,
      always = true,
    ): T => {
      const v = new make(buffer, offset, n);
      if (always || evidence) v.set(from.subarray(0, n));
      offset += n * bytes;
      return v;
    };
    const columns: MeasurementColumns = {
      length: n,
      parameters: [...this.#parameters],
      corners: [...this.#corners],
      value: copy(c.value, Float64Array, 8),
      low: copy(c.low, Float64Array, 8, false),
      high: copy(c.high, Float64Array, 8, false),
      run: copy(c.run, Int32Array, 4),
      line: copy(c.line, Int32Array, 4),
      parameter: copy(c.parameter, Uint16Array, 2),
      corner: copy(c.corner, Uint16Array, 2),
      lane: copy(c.lane, Int16Array, 2),
      censoring: copy(c.censoring, Uint8Array, 1),
      verdict: copy(c.verdict, Uint8Array, 1, false),
      limitFlags: copy(c.limitFlags, Uint8Array, 1, false),
    };
    // The next file's builder starts from these arrays: verdicts and limits must read 0 where unset.
    if (evidence) {
      c.verdict.fill(0, 0, n);
      c.limitFlags.fill(0, 0, n);
      c.low.fill(0, 0, n);
      c.high.fill(0, 0, n);
    }
    if (spare.length < SPARE_SETS) spare.push(c);
    this.#c = NO_COLUMNS;
    return columns;
  }
}
