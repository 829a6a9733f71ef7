/**
 * @module One data row → measurements, or quarantine entries that say exactly why not. Long rows carry
 * one measurement; wide rows carry one per parameter column for one lane × corner. Every problem is
 * recorded against the physical line, the header name of the column and the raw value, so a quality
 * engineer can open the file at that spot. Nothing here reads files: rows come in as string arrays.
 */
import { MeasurementColumnsBuilder } from '../domain/measurement-columns.js';
import type { Measurement, QuarantineEntry, QuarantineReason, TestRun } from '../domain/measurement.js';
import type { ParameterSpec, ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import type { ColumnPlan, IdentityField, ResolvedSource, WideColumnPlan } from './column-plan.js';
import { cornerResolver } from './corner-labels.js';
import { foldName } from './header-names.js';
import { lanePhrase } from '../domain/lanes.js';
import { specSideIsExpression } from '../domain/station-evidence.js';
import { checkIdentityValue, type IdentityCheck } from './identity-check.js';
import { FileRejection } from './ingest-errors.js';
import { laneNumber, lanePrefixOf } from './lane-cell.js';
import { parseNumericCell, plainNumberInOrNaN, plainNumberOrNaN } from './numeric-cell.js';
import type { Preamble } from './preamble.js';
import { clockChangeOf, parseTestTime } from './test-time.js';
import {
  canonicalConverter,
  canonicalValueOrNaN,
  convertedOrNaN,
  convertToCanonical,
  type CanonicalConverter,
} from '../domain/unit-conversion.js';

/** Everything the mapper needs about one file, fixed before the first data row. */
export interface MapperSetup {
  readonly fileLabel: string;
  readonly product: ProductSpec;
  readonly profile: StationProfile;
  readonly plan: ColumnPlan;
  readonly headerFields: readonly string[];
  readonly headerLine: number;
  readonly preamble: Preamble;
  /** Named groups of the profile's fileNamePattern matched on the file's base name, or null. */
  readonly fileNameGroups: Readonly<Record<string, string>> | null;
}

/** A module parameter seen on a wide row, stored once per run × corner after the file is read. */
interface ModuleReading {
  readonly run: number;
  readonly param: ParameterSpec;
  readonly corner: string;
  readonly value: number;
  readonly censoring: Measurement['censoring'];
  readonly line: number;
  readonly column: string;
  readonly raw: string;
}

interface RowIdentity {
  readonly run: number;
  readonly corner: string;
}

/** True for a cell that is empty once trimmed (a printable ASCII character at either end answers without trimming). */
function isBlankCell(raw: string): boolean {
  const n = raw.length;
  if (n === 0) return true;
  const first = raw.charCodeAt(0);
  const last = raw.charCodeAt(n - 1);
  if (first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f) return false;
  return raw.trim() === '';
}

/**
 * True when `text` from `start` to `end` reads `cell`. A slice compared with === is ~4× faster than
 * `startsWith(cell, start)` in V8 (measured: 37 vs 142 ns for a 50-character identity span), slice and
 * all: the comparison of two flat strings is a memory compare, startsWith one character at a time.
 */
function textIs(text: string, start: number, end: number, cell: string): boolean {
  return cell.length === end - start && text.slice(start, end) === cell;
}

/**
 * True for a cell read in place that needs no trimming: not empty, and a printable ASCII character at
 * either end (what the mappers' `trim()` would leave as it is).
 */
function isPlainCell(text: string, start: number, end: number): boolean {
  if (start === end) return false;
  const first = text.charCodeAt(start);
  const last = text.charCodeAt(end - 1);
  return first > 0x20 && first < 0x7f && last > 0x20 && last < 0x7f;
}

/**
 * RowMapper#stationLimit of a cell read in place: null when there is no such column or the cell is
 * empty, the limit in the canonical unit when the cell is a plain number (null when the unit cannot
 * hold it, as convertToCanonical refuses), and undefined for anything else (censored, spaced, junk):
 * the row is then mapped from strings, by mapLong.
 */
function limitInText(
  text: string,
  starts: Int32Array,
  ends: Int32Array,
  index: number | undefined,
  converter: CanonicalConverter,
  decimal: '.' | ',',
): number | null | undefined {
  if (index === undefined) return null;
  const start = starts[index]!;
  const end = ends[index]!;
  if (start === end) return null;
  const plain = plainNumberInOrNaN(text, start, end, decimal);
  if (plain !== plain) return undefined;
  const v = convertedOrNaN(converter, plain);
  return v === v ? v : null;
}

/** A test name of a long file's rows and what mapLongRanges needs of its parameter, looked up once. */
interface LongParameter {
  /** The cell's text, as written (plain: nothing to trim). */
  readonly name: string;
  readonly spec: ParameterSpec;
  /** Bit 1: the spec's lsl is an expression, bit 2: its usl (the station's limit on that side is not kept). */
  readonly expressionSides: number;
  /** The unit cell of this test's last row read in place, and its conversion (undefined: not convertible). */
  unitText: string;
  converter: CanonicalConverter | undefined;
}

/** Longest cell text kept in a quarantine entry. */
const MAX_KEPT_CELL = 200;
/** Longest station or operator name stored: both are printed in reports, and no station names itself in more. */
export const MAX_NAME_LENGTH = 128;

const PASS = new Set(['pass', 'p', 'ok', 'passed', 'true', '1', 'go']);
const FAIL = new Set(['fail', 'f', 'ng', 'failed', 'false', '0', 'nogo']);

/** The station's PASS/FAIL word as a verdict (case and spaces ignored); undefined for anything else. */
export function stationVerdictOf(text: string): 'pass' | 'fail' | undefined {
  const word = text.trim().toLowerCase();
  return PASS.has(word) ? 'pass' : FAIL.has(word) ? 'fail' : undefined;
}

/** A wide column whose parameter the product measures, with what its cells need looked up once. */
type WideColumn = WideColumnPlan & {
  readonly spec: ParameterSpec;
  /** The parameter's part of a reading's code (see RowMapper#code). */
  readonly parameterCode: number;
  /** The column unit's conversion to the parameter's unit (undefined: an unknown unit, every cell is refused). */
  readonly converter: CanonicalConverter | undefined;
};

/** What a mapper needs that depends only on the product, the profile and the header's column plan. */
interface MapperTables {
  readonly resolveCorner: (label: string) => string | undefined;
  readonly paramIdx: ReadonlyMap<string, number>;
  readonly cornerIdx: ReadonlyMap<string, number>;
  /** Folded station test names and parameter ids → parameter. */
  readonly stationNames: ReadonlyMap<string, ParameterSpec>;
  readonly identityColumns: readonly number[];
  readonly wideColumns: readonly WideColumn[];
  /** Wide columns whose parameter the product lacks (or derives). */
  readonly wideUnknown: readonly { readonly column: WideColumnPlan; readonly spec: ParameterSpec | undefined }[];
  /** Header columns of a wide file that no part of the profile reads (identity columns excluded). */
  readonly unreadColumns: readonly number[];
  readonly wideNeedsLane: boolean;
  readonly wideEvidence: boolean;
  readonly unitResultColumn: number;
  readonly deliverable: ReadonlySet<string> | null;
  /** Codes (see RowMapper#code) of every reading a complete run holds; made on first use. */
  expected: ReadonlySet<number> | null;
}

/** Per column plan (one per distinct header and profile, kept by the profile choice) and product. */
const tablesCache = new WeakMap<ColumnPlan, WeakMap<ProductSpec, MapperTables>>();

function mapperTables(setup: MapperSetup): MapperTables {
  let byProduct = tablesCache.get(setup.plan);
  const hit = byProduct?.get(setup.product);
  if (hit !== undefined) return hit;
  const { product, profile, plan } = setup;
  const byId = new Map(product.parameters.map((p) => [p.id, p]));
  const stationNames = new Map<string, ParameterSpec>();
  for (const p of product.parameters) stationNames.set(foldName(p.id), p);
  for (const [name, id] of Object.entries(profile.long?.parameterAliases ?? {})) {
    const p = byId.get(id);
    if (p !== undefined) stationNames.set(foldName(name), p);
  }
  const identityColumns: number[] = [];
  for (const field of ['serial', 'lot', 'station', 'testTime', 'corner', 'attempt', 'operator'] as const) {
    const src = plan.identity[field];
    if (src.kind === 'column') identityColumns.push(src.index);
  }
  const wideColumns: WideColumn[] = [];
  const wideUnknown: { column: WideColumnPlan; spec: ParameterSpec | undefined }[] = [];
  const paramIdx = new Map(product.parameters.map((p, i) => [p.id, i]));
  const cornerIdx = new Map(product.corners.map((c, i) => [c.id, i]));
  const perParameter = cornerIdx.size * (product.laneCount + 1);
  for (const c of plan.wide ?? []) {
    const spec = byId.get(c.parameter);
    if (spec === undefined || spec.derived !== undefined) wideUnknown.push({ column: c, spec });
    else
      wideColumns.push({
        ...c,
        spec,
        parameterCode: (paramIdx.get(spec.id) ?? 0) * perParameter,
        converter: canonicalConverter(c.unit, spec.unit),
      });
  }
  const isIdentityColumn = (i: number): boolean => Object.values(plan.identity).some((src) => src.kind === 'column' && src.index === i);
  const tables: MapperTables = {
    resolveCorner: cornerResolver(product, profile),
    paramIdx,
    cornerIdx,
    stationNames,
    identityColumns,
    wideColumns,
    wideUnknown,
    unreadColumns: profile.format === 'wide' ? plan.unusedColumns.filter((i) => !isIdentityColumn(i)) : [],
    wideNeedsLane: wideColumns.some((c) => c.spec.scope === 'lane'),
    wideEvidence: wideColumns.some((c) => c.lowLimit !== undefined || c.highLimit !== undefined || c.result !== undefined),
    unitResultColumn: plan.unitResult.kind === 'column' ? plan.unitResult.index : -1,
    deliverable: profile.format === 'wide' ? new Set(wideColumns.map((c) => c.spec.id)) : null,
    expected: null,
  };
  if (byProduct === undefined) tablesCache.set(plan, (byProduct = new WeakMap()));
  byProduct.set(product, tables);
  return tables;
}

/**
 * The readings a run already holds: per (parameter, corner, lane) code, the stored reading's line + 1,
 * or 0 when absent (a typed array per run instead of a Map per run: every reading is looked up once).
 */
interface PresentReadings {
  readonly lines: Int32Array;
  size: number;
}

/**
 * Per wide column of the row mapWideRanges is reading: its value, and whether its cell is blank. Shared by
 * the mappers of a thread (a row is read synchronously, start to end), so no file allocates its own.
 */
let rangeValues = new Float64Array(0);
let rangeBlank = new Uint8Array(0);

/**
 * Zeroed per-run reading tables of finished mappers (releaseReadings), reused by the next files: a table
 * is a few kB, one per unit test, and a new typed array of that size lives outside the heap (an
 * allocation and a free per file). At most SPARE_PRESENT are kept.
 */
const sparePresent: Int32Array[] = [];
const SPARE_PRESENT = 16;

/** Accumulates one file's runs, measurements and quarantine, row by row. */
export class RowMapper {
  runs: TestRun[] = [];
  /** The file's measurements, collected straight into columns (no object per reading kept). */
  readonly readings = new MeasurementColumnsBuilder();
  readonly quarantine: QuarantineEntry[] = [];
  dataRows = 0;
  blankLines = 0;

  readonly #s: MapperSetup;
  readonly #file: string;
  /** What depends only on the product, the profile and the header: computed once, shared by the files. */
  readonly #t: MapperTables;
  readonly #runByKey = new Map<string, number>();
  /** Per run: codes of (parameter, corner, lane) already stored, for duplicate detection. */
  #present: PresentReadings[] = [];
  readonly #moduleReadings = new Map<number, ModuleReading[]>();
  readonly #fixed = new Map<IdentityField, { value: string; where: string }>();
  /** Rows of one unit repeat the same time, corner and test-name strings: each is resolved once. */
  readonly #timeCache = new Map<string, string | null>();
  readonly #cornerCache = new Map<string, string | undefined>();
  readonly #paramCache = new Map<string, ParameterSpec | undefined>();
  readonly #crossCheck: { field: 'serial' | 'lot'; value: string }[] = [];
  /** Serial and lot cells already checked (a unit's rows repeat them). */
  readonly #idChecks = new Map<string, IdentityCheck>();
  readonly #zone: string;
  readonly #lanes: number;
  readonly #headerCount: number;
  /** Wide columns whose parameter this product knows. */
  readonly #wideColumns: readonly WideColumn[];
  readonly #wideNeedsLane: boolean;
  /** Columns that carry run identity or corner (not lane): equal cells mean an equal identity result. */
  readonly #identityColumns: readonly number[];
  /** Column of the station's verdict for the whole unit (one cell per row), or -1. */
  readonly #unitResultColumn: number;
  /** Per run: the station's unit verdict from that column ('fail' once any row says fail). */
  readonly #runVerdicts = new Map<number, 'pass' | 'fail'>();
  /** Wide columns that carry the station's limits or verdict with the reading. */
  readonly #wideEvidence: boolean;
  /** Profile wide columns present in the header whose parameter the product does not measure. */
  readonly wideUnknownParameters: number;

  constructor(setup: MapperSetup) {
    this.#s = setup;
    this.#file = setup.fileLabel;
    const t = mapperTables(setup);
    this.#t = t;
    this.#zone = setup.profile.timeZone ?? 'UTC';
    this.#lanes = setup.product.laneCount;
    this.#headerCount = setup.headerFields.length;
    this.#resolveFixedIdentity();
    this.#identityColumns = t.identityColumns;
    if (t.identityColumns.length > 0) {
      this.#identityFirst = Math.min(...t.identityColumns);
      this.#identityLast = Math.max(...t.identityColumns);
    }
    this.#wideColumns = t.wideColumns;
    this.wideUnknownParameters = t.wideUnknown.length;
    this.#wideNeedsLane = t.wideNeedsLane;
    this.#wideEvidence = t.wideEvidence;
    this.#unitResultColumn = t.unitResultColumn;
    for (const { column, spec } of t.wideUnknown) {
      this.#q(
        setup.headerLine,
        column.name,
        null,
        'unknown-parameter',
        `parameter '${column.parameter}' of this column is ${spec === undefined ? `not in product ${setup.product.productId}` : 'derived by lotqa, not read from files'}; none of its values are stored`,
        'Fix the station profile or the product spec if this column should be kept.',
      );
    }
    for (const i of t.unreadColumns) {
      const name = setup.headerFields[i] ?? '';
      this.#q(
        setup.headerLine,
        name,
        null,
        'unknown-parameter',
        `column '${name}' is not in station profile '${setup.profile.id}'; its values are not stored`,
        'Add the column to the profile if it is a measurement.',
      );
    }
  }

  /** Wide parameter ids this file can deliver (for the completeness check). */
  get deliverableParameters(): ReadonlySet<string> | null {
    return this.#t.deliverable;
  }

  /** A wide row that gave nothing: no reading stored and no cell quarantined, so the row itself is. */
  #noValues(line: number): void {
    this.#q(
      line,
      null,
      null,
      'missing-field',
      'the row has no measurement values (every parameter cell is empty)',
      'Re-test the unit or remove the row.',
    );
  }
  #q(line: number, column: string | null, raw0: string | null, reason: QuarantineReason, problem: string, action: string): void {
    // A hostile cell (100 MB in one field) is kept as its start and its length: the quarantine is evidence
    // a person reads, not a second copy of the file.
    const raw = raw0 !== null && raw0.length > MAX_KEPT_CELL ? `${raw0.slice(0, MAX_KEPT_CELL)}… (${raw0.length} characters)` : raw0;
    const where = `${this.#file} line ${line}${column === null ? '' : `, column '${column}'`}${raw === null ? '' : `, value '${raw}'`}`;
    this.quarantine.push({ file: this.#file, line, column, rawValue: raw, reason, message: `${where}: ${problem}. ${action}` });
  }

  /** Identity values that come from the preamble or the file name: the same for every row. */
  #resolveFixedIdentity(): void {
    const { plan, preamble, fileNameGroups, profile } = this.#s;
    for (const [field, src] of Object.entries(plan.identity) as [IdentityField, ResolvedSource][]) {
      if (src.kind === 'preamble') {
        const hit = preamble.find(src.aliases);
        if (hit !== undefined && hit.value.trim() !== '')
          this.#fixed.set(field, {
            value: this.#fixedIdentity(field, hit.value.trim(), `line ${hit.line} (metadata '${src.aliases[0]}')`, hit.line),
            where: `preamble line ${hit.line}`,
          });
      } else if (src.kind === 'fileName') {
        const v = fileNameGroups?.[src.group];
        if (v !== undefined && v !== '')
          this.#fixed.set(field, {
            value: this.#fixedIdentity(field, v, `the file name (group '${src.group}')`, null),
            where: `file name`,
          });
      } else continue;
      if (
        !this.#fixed.has(field) &&
        (field === 'serial' || field === 'lot' || field === 'station' || field === 'testTime' || field === 'corner')
      ) {
        const how =
          src.kind === 'preamble'
            ? `a preamble line "${src.aliases[0]}=…"`
            : `group '${src.group}' of fileNamePattern /${profile.fileNamePattern ?? ''}/`;
        throw new FileRejection(
          'missing-identity',
          `${this.#file}: no ${field} found — profile '${profile.id}' reads it from ${how}. Rename or fix the file, or correct the profile.`,
        );
      }
    }
    // The file name may also name serial or lot while the content carries them: both must agree.
    for (const field of ['serial', 'lot'] as const) {
      const src = plan.identity[field];
      const named = fileNameGroups?.[field];
      if (src.kind !== 'fileName' && named !== undefined && named !== '') this.#crossCheck.push({ field, value: named });
    }
  }

  /** A serial or lot id the whole file carries, checked once: refused ids reject the file (every row would be). */
  #fixedIdentity(field: IdentityField, value: string, where: string, line: number | null): string {
    if (field !== 'serial' && field !== 'lot') return value;
    const check = checkIdentityValue(value, field, this.#s.product);
    if (check.ok) return check.value;
    throw new FileRejection(
      'bad-identity',
      `${this.#file}: ${field} '${value}' from ${where}: ${check.why}. Nothing from this file is stored: correct the id at the station and submit the file again.`,
      line,
    );
  }

  #get(field: IdentityField, fields: readonly string[]): string | undefined {
    const src = this.#s.plan.identity[field];
    if (src.kind === 'column') {
      const v = fields[src.index]?.trim();
      return v === undefined || v === '' ? undefined : v;
    }
    return this.#fixed.get(field)?.value;
  }

  #columnName(field: IdentityField): string | null {
    const src = this.#s.plan.identity[field];
    return src.kind === 'column' ? src.name : null;
  }

  /** The identity cells (per #identityColumns) of the last row whose identity resolved, else null. */
  #lastIdentityCells: string[] | null = null;
  #lastIdentity: RowIdentity | null = null;
  /** The text from the first to the last identity column of the row #lastIdentity was read from in place, or null. */
  #lastIdentitySpan: string | null = null;
  /** Lowest and highest index of the identity columns (#identityInText's span). */
  readonly #identityFirst: number = 0;
  readonly #identityLast: number = 0;

  /**
   * The run and corner of a row, or null after quarantining the row. Consecutive rows of one unit
   * repeat the same identity cells, so a row whose identity cells equal the previous row's reuses its
   * result (the checks would give the same answer). The cells are compared one by one: no key string
   * is built per row.
   */
  #identity(fields: readonly string[], line: number): RowIdentity | null {
    const columns = this.#identityColumns;
    const last = this.#lastIdentityCells;
    if (last !== null) {
      let same = true;
      for (let k = 0; k < columns.length; k++) {
        if ((fields[columns[k]!] ?? '') !== last[k]) {
          same = false;
          break;
        }
      }
      if (same) return this.#lastIdentity;
    }
    return this.#resolveAndRemember(fields, line);
  }

  /** #identity of a row given as ranges of `text` (see mapWideRanges): reads no cell unless the identity changed. */
  #identityInText(text: string, starts: Int32Array, ends: Int32Array, line: number): RowIdentity | null {
    const columns = this.#identityColumns;
    const last = this.#lastIdentityCells;
    if (last !== null) {
      // The text from the first identity column to the last, as on the row the identity was read from:
      // then so is every identity cell (one comparison instead of one per column; long rows repeat ~7).
      const span = this.#lastIdentitySpan;
      if (span !== null && columns.length > 0) {
        const from = starts[this.#identityFirst]!;
        if (textIs(text, from, ends[this.#identityLast]!, span)) return this.#lastIdentity;
      }
      let same = true;
      for (let k = 0; k < columns.length; k++) {
        const i = columns[k]!;
        const cell = last[k]!;
        if (!textIs(text, starts[i]!, ends[i]!, cell)) {
          same = false;
          break;
        }
      }
      if (same) return this.#lastIdentity;
    }
    const fields = this.#rangeFields;
    for (const i of columns) fields[i] = text.slice(starts[i], ends[i]);
    const id = this.#resolveAndRemember(fields, line);
    if (id !== null && columns.length > 0) this.#lastIdentitySpan = text.slice(starts[this.#identityFirst], ends[this.#identityLast]);
    return id;
  }

  #resolveAndRemember(fields: readonly string[], line: number): RowIdentity | null {
    const id = this.#resolveIdentity(fields, line);
    this.#lastIdentityCells = id === null ? null : this.#identityColumns.map((i) => fields[i] ?? '');
    this.#lastIdentity = id;
    this.#lastIdentitySpan = null;
    return id;
  }

  #resolveIdentity(fields: readonly string[], line: number): RowIdentity | null {
    const values = {} as Record<'serial' | 'lot' | 'station' | 'testTime' | 'corner', string>;
    for (const field of ['serial', 'lot', 'station', 'testTime', 'corner'] as const) {
      let v = this.#get(field, fields);
      if (v !== undefined && (field === 'serial' || field === 'lot')) {
        const src = this.#s.plan.identity[field];
        if (src.kind === 'column') {
          const raw = fields[src.index] ?? '';
          const checkKey = `${field}\u0000${raw}`;
          let check = this.#idChecks.get(checkKey);
          if (check === undefined) {
            check = checkIdentityValue(raw, field, this.#s.product);
            if (this.#idChecks.size < 1000) this.#idChecks.set(checkKey, check);
          }
          if (!check.ok) {
            this.#q(
              line,
              src.name,
              raw,
              'bad-identity',
              `${check.why}; the row's measurements are not attributed to a unit`,
              'Correct the id at the station and submit the file again.',
            );
            return null;
          }
          v = check.value;
        }
      }
      if (v === undefined) {
        this.#q(
          line,
          this.#columnName(field),
          '',
          'missing-field',
          `the row has no ${field}, so its measurements cannot be attributed to a unit`,
          'Fill in the value or re-export the file.',
        );
        return null;
      }
      values[field] = v;
    }
    for (const { field, value } of this.#crossCheck) {
      if (values[field].toLowerCase() !== value.normalize('NFC').toLowerCase()) {
        throw new FileRejection(
          'identity-mismatch',
          `${this.#file}: the file name says ${field} '${value}' but line ${line}${this.#columnName(field) === null ? '' : ` (column '${this.#columnName(field)}')`} says '${values[field]}'. lotqa cannot know which is right, so nothing from this file is stored: correct the file name or the content and submit it again.`,
          line,
        );
      }
    }
    let testTime = this.#timeCache.get(values.testTime);
    if (testTime === undefined) {
      testTime = parseTestTime(values.testTime, { format: this.#s.profile.timestampFormat, zone: this.#zone });
      if (this.#timeCache.size > 10_000) this.#timeCache.clear();
      this.#timeCache.set(values.testTime, testTime);
    }
    if (testTime === null) {
      // A time from the preamble or the file name is not on the row quarantined: say where it was read.
      const source = this.#fixed.get('testTime')?.where;
      const readFrom = source === undefined ? '' : ` (read from the ${source})`;
      const clockChange = clockChangeOf(values.testTime, { format: this.#s.profile.timestampFormat, zone: this.#zone });
      if (clockChange !== null) {
        this.#q(
          line,
          this.#columnName('testTime'),
          values.testTime,
          'bad-timestamp',
          `the test time${readFrom} ${clockChange}`,
          'Have the station write times with their UTC offset (2025-10-26T02:30:00+01:00) or in UTC.',
        );
        return null;
      }
      const fmt =
        this.#s.profile.timestampFormat === undefined
          ? 'ISO 8601 (e.g. 2025-03-02T08:14:55Z)'
          : `ISO 8601 or "${this.#s.profile.timestampFormat}"`;
      this.#q(
        line,
        this.#columnName('testTime'),
        values.testTime,
        'bad-timestamp',
        `not a valid test time${readFrom}; expected ${fmt}`,
        'Fix the time or set "timestampFormat" in the station profile.',
      );
      return null;
    }
    let corner = this.#cornerCache.get(values.corner);
    if (corner === undefined && !this.#cornerCache.has(values.corner)) {
      corner = this.#t.resolveCorner(values.corner);
      if (this.#cornerCache.size < 1000) this.#cornerCache.set(values.corner, corner);
    }
    if (corner === undefined) {
      this.#q(
        line,
        this.#columnName('corner'),
        values.corner,
        'unknown-corner',
        `corner label is not a corner of product ${this.#s.product.productId} (${this.#s.product.corners.map((c) => c.id).join(', ')})`,
        `Add it to cornerAliases of station profile '${this.#s.profile.id}'.`,
      );
      return null;
    }
    const attemptRaw = this.#get('attempt', fields);
    let attempt: number | null = null;
    if (attemptRaw !== undefined) {
      // At most 4 digits: no unit is retested 10,000 times, and a longer number (a serial or a time in the
      // wrong column) would not fit the store's integer column.
      if (!/^\d{1,4}$/.test(attemptRaw)) {
        this.#q(
          line,
          this.#columnName('attempt'),
          attemptRaw,
          'non-numeric',
          'the attempt number must be a whole number from 0 to 9999 (1 = first pass)',
          'Fix the value or re-export the file.',
        );
        return null;
      }
      attempt = Number(attemptRaw);
    }
    const operator = this.#get('operator', fields) ?? null;
    for (const [field, value] of [
      ['station', values.station],
      ['operator', operator],
    ] as const) {
      if (value !== null && value.length > MAX_NAME_LENGTH) {
        this.#q(
          line,
          this.#columnName(field),
          value,
          'bad-identity',
          `the ${field} name is ${value.length} characters long (at most ${MAX_NAME_LENGTH}): it is not a name (a cell of another column?)`,
          'Fix the value at the station or re-export the file.',
        );
        return null;
      }
    }
    const key = `${values.serial}\u0000${testTime}`;
    const existing = this.#runByKey.get(key);
    if (existing !== undefined) {
      const run = this.runs[existing] as TestRun;
      const clash =
        run.lot !== values.lot
          ? ['lot', run.lot, values.lot, this.#columnName('lot')]
          : run.station !== values.station
            ? ['station', run.station, values.station, this.#columnName('station')]
            : run.declaredAttempt !== attempt
              ? ['attempt', String(run.declaredAttempt), String(attempt), this.#columnName('attempt')]
              : null;
      if (clash !== null) {
        this.#q(
          line,
          clash[3] ?? null,
          clash[2] ?? '',
          'identity-mismatch',
          `earlier rows of unit ${values.serial} tested at ${testTime} give ${clash[0]} '${clash[1]}', this row gives '${clash[2]}'`,
          'Correct the file; the row is kept out of the store until then.',
        );
        return null;
      }
      return { run: existing, corner };
    }
    const index = this.runs.length;
    this.runs.push({ serial: values.serial, lot: values.lot, station: values.station, testTime, declaredAttempt: attempt, operator });
    this.#runByKey.set(key, index);
    const codeSpace = this.#codeSpace;
    let lines = sparePresent.pop();
    if (lines === undefined || lines.length !== codeSpace) lines = new Int32Array(codeSpace);
    this.#present.push({ lines, size: 0 });
    return { run: index, corner };
  }

  /** 0-based lane of a row, or null after quarantining it. */
  #lane(raw: string | undefined, line: number, why: string): number | null {
    const column = this.#columnName('lane');
    if (raw === undefined) {
      this.#q(line, column, '', 'missing-field', `no lane given, but ${why}`, 'Fill in the lane or re-export the file.');
      return null;
    }
    const base = this.#s.profile.laneBase;
    const written = laneNumber(raw, this.#s.profile);
    if (written === null) {
      const prefix = lanePrefixOf(raw);
      this.#q(
        line,
        column,
        raw,
        'bad-lane',
        `a lane must be a whole number from ${base} to ${this.#lanes - 1 + base}${this.#s.profile.lanePrefixes === undefined ? '' : `, after one of the prefixes ${this.#s.profile.lanePrefixes.join(', ')}`}`,
        prefix === null
          ? 'Fix the value or re-export the file.'
          : `If the station names lanes ${prefix}${base}, ${prefix}${base + 1}, …, add "lanePrefixes": ["${prefix}"] to station profile ${this.#s.profile.id} (and check its laneBase).`,
      );
      return null;
    }
    const lane = written - base;
    if (lane < 0 || lane >= this.#lanes) {
      this.#q(
        line,
        column,
        raw,
        'bad-lane',
        `product ${this.#s.product.productId} has ${this.#lanes} lanes numbered ${base}–${this.#lanes - 1 + base} in this station's files (laneBase ${base})`,
        "Check the lane column and the profile's laneBase.",
      );
      return null;
    }
    return lane;
  }

  /** Field-count check; true when the row can be mapped. */
  #shapeOk(fields: readonly string[], line: number): boolean {
    const n = fields.length;
    if (n === this.#headerCount) return true;
    if (n > this.#headerCount) {
      let extrasEmpty = true;
      for (let i = this.#headerCount; i < n; i++) if ((fields[i] as string).trim() !== '') extrasEmpty = false;
      if (extrasEmpty) return true; // trailing delimiters, as spreadsheet exports write them
    }
    this.#q(
      line,
      null,
      fields.join(this.#s.profile.delimiter),
      'ragged-row',
      `the row has ${n} fields but the header on line ${this.#s.headerLine} has ${this.#headerCount}`,
      n > this.#headerCount ? 'Check for an unquoted delimiter in a value, or re-export the file.' : 'Re-export the file.',
    );
    return false;
  }

  /**
   * The file's last record, cut off (table-reader.ts decides): quarantined whole as 'truncated', naming
   * the cut field's column when one field is cut, else the whole row.
   */
  truncated(fields: readonly string[], line: number, cutField: number | null, why: string): void {
    this.dataRows++;
    const column = cutField === null ? null : (this.#s.headerFields[cutField] ?? null);
    const raw = cutField === null ? fields.join(this.#s.profile.delimiter) : (fields[cutField] ?? '');
    this.#q(
      line,
      column,
      raw,
      'truncated',
      `the last record is cut off (${why}); none of its values are stored`,
      'Copy the complete file from the station again.',
    );
  }

  /** Parses and converts one value cell; null after quarantining it. */
  /** The last accepted cell's value and censoring (set by #cell; fields, not an object per cell). */
  #cellValue = 0;
  #cellCensoring: Measurement['censoring'] = 'none';

  /**
   * Reads one value cell into #cellValue/#cellCensoring; false after quarantining it. A plain number
   * in a known unit and in range takes an allocation-free path (most cells); anything else the full
   * checks below, which give the same value or the quarantine reason.
   */
  #cell(
    raw: string,
    unit: string | undefined,
    spec: ParameterSpec,
    line: number,
    column: string,
    unitColumn: string | null = null,
  ): boolean {
    if (unit !== undefined) {
      const plain = plainNumberOrNaN(raw, this.#s.profile.decimal);
      const value = plain === plain ? canonicalValueOrNaN(plain, unit, spec.unit) : NaN;
      const range = spec.physicalRange;
      if (value === value && (range === undefined || (value >= range.min && value <= range.max))) {
        this.#cellValue = value;
        this.#cellCensoring = 'none';
        return true;
      }
    }
    const parsed = parseNumericCell(raw, this.#s.profile.decimal);
    if (parsed.kind === 'empty') {
      this.#q(line, column, raw, 'non-numeric', `no value for ${spec.id}`, 'Re-test the unit or fill in the value.');
      return false;
    }
    if (parsed.kind !== 'number') {
      this.#q(line, column, raw, parsed.kind, `the value for ${spec.id} ${parsed.why}`, 'Re-test the unit or correct the value.');
      return false;
    }
    if (unit === undefined || unit.trim() === '') {
      this.#q(
        line,
        unitColumn,
        unitColumn === null ? null : (unit ?? ''),
        'unknown-unit',
        `no unit given for ${spec.id} and station profile '${this.#s.profile.id}' has no defaultUnits entry for it`,
        'Add a unit column or long.defaultUnits to the profile.',
      );
      return false;
    }
    const conv = convertToCanonical(parsed.value, unit, spec.unit);
    if (!conv.ok) {
      // An unknown unit is the unit cell's fault (when the file has one); a value the unit cannot hold is the value's.
      const unitsFault = conv.reason === 'unknown-unit' && unitColumn !== null;
      this.#q(
        line,
        unitsFault ? unitColumn : column,
        unitsFault ? unit : raw,
        conv.reason,
        `${spec.id}: ${conv.message}`,
        conv.reason === 'unknown-unit' ? 'Fix the unit in the file or the station profile.' : 'Check the instrument and re-test the unit.',
      );
      return false;
    }
    const range = spec.physicalRange;
    if (range !== undefined && (conv.value < range.min || conv.value > range.max)) {
      this.#q(
        line,
        column,
        raw,
        'physically-impossible',
        `${spec.id} = ${conv.value} ${spec.unit} is outside the physically possible range ${range.min}…${range.max} ${spec.unit}`,
        'Check the instrument and re-test the unit.',
      );
      return false;
    }
    this.#cellValue = conv.value;
    this.#cellCensoring = parsed.censoring;
    return true;
  }

  /** Distinct codes (parameter × corner × lane slot) of this product. */
  get #codeSpace(): number {
    return Math.max(1, this.#t.paramIdx.size) * Math.max(1, this.#t.cornerIdx.size) * (this.#lanes + 1);
  }

  #code(param: string, corner: string, lane: number | null): number {
    const p = this.#t.paramIdx.get(param) ?? 0;
    const c = this.#t.cornerIdx.get(corner) ?? 0;
    return (p * this.#t.cornerIdx.size + c) * (this.#lanes + 1) + (lane === null ? 0 : lane + 1);
  }

  /** Stores a measurement unless the same run × parameter × corner × lane is already stored. */
  #store(m: Measurement, column: string, raw: string): void {
    if (this.#claim(m.run, this.#code(m.parameter, m.corner, m.lane), m.parameter, m.corner, m.lane, m.line, column, raw))
      this.readings.push(m);
  }

  /**
   * Marks the run's reading `code` (see #code) as given on `line`; false, after quarantining the
   * repeat, when an earlier line already gave it.
   */
  #claim(
    run: number,
    code: number,
    parameter: string,
    corner: string,
    lane: number | null,
    line: number,
    column: string,
    raw: string,
  ): boolean {
    const present = this.#present[run] as PresentReadings;
    const firstLine = present.lines[code]! - 1;
    if (firstLine >= 0) {
      this.#q(
        line,
        column,
        raw,
        'duplicate-measurement',
        `${parameter} at corner ${corner}${lane === null ? '' : `, ${lanePhrase(this.#s.product, lane)}`} was already given on line ${firstLine} for this unit and test time; the first value is kept`,
        'Remove the repeated row, or give the retest its own test time / attempt.',
      );
      return false;
    }
    present.lines[code] = line + 1;
    present.size++;
    return true;
  }

  /** One long-format row: a single measurement. */
  mapLong(fields: readonly string[], line: number): void {
    this.dataRows++;
    const long = this.#s.plan.long;
    const longProfile = this.#s.profile.long;
    if (long === undefined || longProfile === undefined) return;
    if (!this.#shapeOk(fields, line)) return;
    const id = this.#identity(fields, line);
    if (id === null) return;
    if (this.#unitResultColumn >= 0) this.#noteUnitVerdict(id.run, fields[this.#unitResultColumn] ?? '');
    const paramColumn = this.#s.headerFields[long.parameter] ?? 'parameter';
    const name = (fields[long.parameter] ?? '').trim();
    let spec = this.#paramCache.get(name);
    if (spec === undefined && !this.#paramCache.has(name)) {
      spec = this.#t.stationNames.get(foldName(name));
      if (this.#paramCache.size < 10_000) this.#paramCache.set(name, spec);
    }
    if (spec === undefined || spec.derived !== undefined) {
      this.#q(
        line,
        paramColumn,
        name,
        'unknown-parameter',
        spec === undefined
          ? `'${name}' is not a parameter of product ${this.#s.product.productId} nor a parameterAliases entry of station profile '${this.#s.profile.id}'`
          : `${spec.id} is derived by lotqa from other measurements, not read from files`,
        'Add the test name to parameterAliases, or ignore it if it is not a product parameter.',
      );
      return;
    }
    let lane: number | null = null;
    if (spec.scope === 'lane') {
      lane = this.#lane(this.#get('lane', fields), line, `${spec.id} is measured per lane`);
      if (lane === null) return;
    }
    const valueColumn = this.#s.headerFields[long.value] ?? 'value';
    const raw = fields[long.value] ?? '';
    const unitCell = long.unit === undefined ? undefined : fields[long.unit]?.trim();
    const unit = unitCell !== undefined && unitCell !== '' ? unitCell : longProfile.defaultUnits?.[spec.id];
    // A unit problem is named at the unit column, unless the unit came from the profile's defaultUnits.
    const unitFromFile = unit === undefined || (unitCell !== undefined && unitCell !== '');
    const unitColumn = long.unit === undefined || !unitFromFile ? null : (this.#s.headerFields[long.unit] ?? null);
    if (!this.#cell(raw, unit, spec, line, valueColumn, unitColumn)) return;
    const m: { -readonly [K in keyof Measurement]: Measurement[K] } = {
      run: id.run,
      parameter: spec.id,
      corner: id.corner,
      lane,
      value: this.#cellValue,
      censoring: this.#cellCensoring,
      line,
    };
    if (long.result !== undefined) {
      const verdict = stationVerdictOf(fields[long.result] ?? '');
      if (verdict !== undefined) m.stationVerdict = verdict;
    }
    if (long.lowLimit !== undefined || long.highLimit !== undefined) {
      const low = specSideIsExpression(spec, 'lsl') ? null : this.#stationLimit(fields, long.lowLimit, unit, spec);
      const high = specSideIsExpression(spec, 'usl') ? null : this.#stationLimit(fields, long.highLimit, unit, spec);
      if (low !== null || high !== null) m.stationLimits = { low, high };
    }
    this.#store(m, valueColumn, raw);
  }

  /**
   * One long-format row handed as ranges of the file's text (the table reader's fast path, see
   * `readsRanges`): mapped here, to the same run, reading (with the station's verdict and limits) or
   * quarantine entries mapLong gives, only when every cell is one mapLong takes without a question — a
   * known parameter written plainly, a lane in range, a plain number in a known unit and in range, station
   * limits blank or plain numbers. Then the cells that need a string are the parameter name and unit (a
   * few characters each) instead of all fourteen or so. Otherwise nothing is recorded and false is
   * returned: the caller splits the row and calls mapLong, which names each problem.
   */
  mapLongRanges(text: string, starts: Int32Array, ends: Int32Array, n: number, line: number): boolean {
    const long = this.#s.plan.long;
    const longProfile = this.#s.profile.long;
    if (n !== this.#headerCount || long === undefined || longProfile === undefined) return false;
    const ps = starts[long.parameter]!;
    const pe = ends[long.parameter]!;
    if (!isPlainCell(text, ps, pe)) return false;
    const info = this.#longParameterIn(text, ps, pe);
    if (info === null) return false;
    const spec = info.spec;
    let lane: number | null = null;
    if (spec.scope === 'lane') {
      const src = this.#s.plan.identity.lane;
      if (src.kind !== 'column' || !isPlainCell(text, starts[src.index]!, ends[src.index]!)) return false;
      const written = laneNumber(text.slice(starts[src.index], ends[src.index]), this.#s.profile);
      if (written === null) return false;
      lane = written - this.#s.profile.laneBase;
      if (lane < 0 || lane >= this.#lanes) return false;
    }
    const vs = starts[long.value]!;
    const ve = ends[long.value]!;
    const plain = plainNumberInOrNaN(text, vs, ve, this.#s.profile.decimal);
    if (plain !== plain) return false;
    let converter: CanonicalConverter | undefined;
    if (long.unit !== undefined && starts[long.unit] !== ends[long.unit]) {
      const us = starts[long.unit]!;
      const ue = ends[long.unit]!;
      if (!isPlainCell(text, us, ue)) return false;
      // The parameter's unit cell as on its last row (a station writes one unit per test), else looked up.
      if (!textIs(text, us, ue, info.unitText)) {
        info.unitText = text.slice(us, ue);
        info.converter = canonicalConverter(info.unitText, spec.unit);
      }
      converter = info.converter;
    } else {
      const unit = longProfile.defaultUnits?.[spec.id];
      if (unit === undefined) return false;
      converter = canonicalConverter(unit, spec.unit);
    }
    if (converter === undefined) return false;
    const value = convertedOrNaN(converter, plain);
    const range = spec.physicalRange;
    if (value !== value || (range !== undefined && (value < range.min || value > range.max))) return false;
    let low: number | null = null;
    let high: number | null = null;
    if (long.lowLimit !== undefined || long.highLimit !== undefined) {
      const sides = info.expressionSides;
      const l = sides & 1 ? null : limitInText(text, starts, ends, long.lowLimit, converter, this.#s.profile.decimal);
      const h = sides & 2 ? null : limitInText(text, starts, ends, long.highLimit, converter, this.#s.profile.decimal);
      if (l === undefined || h === undefined) return false;
      low = l;
      high = h;
    }
    let verdict: 0 | 1 | 2 = 0;
    if (long.result !== undefined) {
      const v = this.#verdictIn(text, starts[long.result]!, ends[long.result]!);
      verdict = v === undefined ? 0 : v === 'pass' ? 1 : 2;
    }
    // From here on as mapLong: the row counts, its identity may quarantine it, the reading may repeat one.
    this.dataRows++;
    const id = this.#identityInText(text, starts, ends, line);
    if (id === null) return true;
    const unitResult = this.#unitResultColumn;
    if (unitResult >= 0) this.#noteUnitVerdict(id.run, text.slice(starts[unitResult], ends[unitResult]));
    const code = this.#code(spec.id, id.corner, lane);
    const valueColumn = this.#s.headerFields[long.value] ?? 'value';
    // The cell's text is only needed to quarantine a repeat.
    const raw = (this.#present[id.run] as PresentReadings).lines[code] !== 0 ? text.slice(vs, ve) : '';
    if (this.#claim(id.run, code, spec.id, id.corner, lane, line, valueColumn, raw)) {
      const slot = this.readings.parameterSlot(spec.id);
      this.readings.pushReadingWithEvidence(id.run, slot, id.corner, lane, value, line, verdict, low !== null || high !== null, low, high);
    }
    return true;
  }

  /**
   * Test names of long rows read in place, with what their rows need (few per file: a station writes the
   * same tests for every lane and corner), matched against the cell's text without making a string.
   */
  readonly #longParameters: LongParameter[] = [];

  /** The product parameter a long row's test name cell names (the cell is plain), or null to map the row from strings. */
  #longParameterIn(text: string, start: number, end: number): LongParameter | null {
    const known = this.#longParameters;
    const length = end - start;
    for (let k = 0; k < known.length; k++) {
      const p = known[k]!;
      if (p.name.length === length && textIs(text, start, end, p.name)) return p;
    }
    const name = text.slice(start, end);
    let spec = this.#paramCache.get(name);
    if (spec === undefined && !this.#paramCache.has(name)) {
      spec = this.#t.stationNames.get(foldName(name));
      if (this.#paramCache.size < 10_000) this.#paramCache.set(name, spec);
    }
    if (spec === undefined || spec.derived !== undefined) return null;
    const p: LongParameter = {
      name,
      spec,
      expressionSides: (specSideIsExpression(spec, 'lsl') ? 1 : 0) | (specSideIsExpression(spec, 'usl') ? 2 : 0),
      unitText: '',
      converter: undefined,
    };
    if (known.length < 64) known.push(p);
    return p;
  }

  /** The previous long row's result cell and its verdict (nearly every row says PASS). */
  #lastResult = '';
  #lastVerdict: 'pass' | 'fail' | undefined = stationVerdictOf('');

  #verdictIn(text: string, start: number, end: number): 'pass' | 'fail' | undefined {
    const last = this.#lastResult;
    if (textIs(text, start, end, last)) return this.#lastVerdict;
    this.#lastResult = text.slice(start, end);
    return (this.#lastVerdict = stationVerdictOf(this.#lastResult));
  }

  /** A station limit cell in the canonical unit, or null when absent or unreadable (it is only metadata). */
  #stationLimit(fields: readonly string[], index: number | undefined, unit: string | undefined, spec: ParameterSpec): number | null {
    if (index === undefined || unit === undefined) return null;
    const c = parseNumericCell(fields[index] ?? '', this.#s.profile.decimal);
    if (c.kind !== 'number') return null;
    const v = convertToCanonical(c.value, unit, spec.unit);
    return v.ok ? v.value : null;
  }

  /** One wide-format row: one lane × corner, a value per parameter column. */
  mapWide(fields: readonly string[], line: number): void {
    this.dataRows++;
    if (!this.#shapeOk(fields, line)) return;
    const id = this.#identity(fields, line);
    if (id === null) return;
    if (this.#unitResultColumn >= 0) this.#noteUnitVerdict(id.run, fields[this.#unitResultColumn] ?? '');
    const needsLane = this.#wideNeedsLane;
    let lane: number | null = null;
    if (needsLane) {
      const laneRaw = this.#get('lane', fields);
      if (laneRaw === undefined && this.#lanes === 1 && this.#s.plan.identity.lane.kind === 'absent') lane = 0;
      else {
        lane = this.#lane(laneRaw, line, 'this row holds per-lane parameters');
        if (lane === null) return;
      }
    }
    const before = this.readings.length + this.quarantine.length;
    let moduleValues = 0;
    // The reading's code (#code) is the column's parameter part plus the row's corner and lane part.
    const cornerLane = (this.#t.cornerIdx.get(id.corner) ?? 0) * (this.#lanes + 1) + (lane === null ? 0 : lane + 1);
    for (const c of this.#wideColumns) {
      const raw = fields[c.index] ?? '';
      if (isBlankCell(raw)) continue; // skipped test: reported by the completeness check
      if (!this.#cell(raw, c.unit, c.spec, line, c.name)) continue;
      const value = this.#cellValue;
      const censoring = this.#cellCensoring;
      const parameterCode = c.parameterCode;
      if (c.spec.scope === 'module') {
        // One list per run × parameter × corner (the reading's code without a lane, made unique per run).
        const key = id.run * this.#codeSpace + parameterCode + cornerLane - (lane === null ? 0 : lane + 1);
        const reading: ModuleReading = {
          run: id.run,
          param: c.spec,
          corner: id.corner,
          value,
          censoring,
          line,
          column: c.name,
          raw,
        };
        const list = this.#moduleReadings.get(key);
        if (list === undefined) this.#moduleReadings.set(key, [reading]);
        else list.push(reading);
        moduleValues++;
        continue;
      }
      if (!this.#wideEvidence) {
        // No verdict or limits to carry: the reading goes to the columns without an object of its own.
        if (this.#claim(id.run, parameterCode + cornerLane, c.spec.id, id.corner, lane, line, c.name, raw))
          this.readings.pushReading(id.run, c.spec.id, id.corner, lane, value, censoring, line);
        continue;
      }
      const m: { -readonly [K in keyof Measurement]: Measurement[K] } = {
        run: id.run,
        parameter: c.spec.id,
        corner: id.corner,
        lane,
        value,
        censoring,
        line,
      };
      this.#wideStationEvidence(m, c, fields);
      this.#store(m, c.name, raw);
    }
    if (moduleValues === 0 && this.readings.length + this.quarantine.length === before) this.#noValues(line);
  }

  /**
   * True when rows may be handed as ranges of the file's text (mapRanges): every long-format file; a wide
   * file whose columns carry no station limits or verdicts and none of which holds the unit's verdict.
   */
  get readsRanges(): boolean {
    if (this.#s.profile.format === 'long') return this.#s.plan.long !== undefined;
    return this.#s.profile.format === 'wide' && !this.#wideEvidence && this.#unitResultColumn < 0;
  }

  /** A row as ranges of the text (`readsRanges`): mapLongRanges or mapWideRanges by the profile's format. */
  mapRanges(text: string, starts: Int32Array, ends: Int32Array, n: number, line: number): boolean {
    return this.#s.profile.format === 'long'
      ? this.mapLongRanges(text, starts, ends, n, line)
      : this.mapWideRanges(text, starts, ends, n, line);
  }

  /** Cells of a row read from ranges (identity and lane cells only; see #identityInText). */
  readonly #rangeFields: string[] = [];
  /** Per wide column: its parameter's slot in `readings` once a reading of it was pushed, else -1. */
  #rangeSlots = new Int32Array(0);

  /**
   * mapWide of a row whose n fields are `text` from starts[i] to ends[i] (the table reader's fast path, when
   * `readsRanges`), without making a string per cell: every value cell is first read in place, and only
   * when each one is blank (empty) or a plain number in range (#cell's allocation-free path) is the row
   * mapped here, to the same runs, readings and quarantine entries mapWide gives. Otherwise nothing is
   * recorded and false is returned: the caller splits the row and calls mapWide, which names each problem.
   */
  mapWideRanges(text: string, starts: Int32Array, ends: Int32Array, n: number, line: number): boolean {
    if (n !== this.#headerCount) return false;
    const columns = this.#wideColumns;
    if (this.#rangeSlots.length < columns.length) this.#rangeSlots = new Int32Array(columns.length).fill(-1);
    if (rangeValues.length < columns.length) {
      rangeValues = new Float64Array(columns.length);
      rangeBlank = new Uint8Array(columns.length);
    }
    const slots = this.#rangeSlots;
    const values = rangeValues;
    const blank = rangeBlank;
    const decimal = this.#s.profile.decimal;
    for (let k = 0; k < columns.length; k++) {
      const c = columns[k]!;
      const start = starts[c.index]!;
      const end = ends[c.index]!;
      if (start === end) {
        blank[k] = 1;
        continue;
      }
      // Spaces (or any non-ASCII) at either end: mapWide trims, and names a cell that is not a number.
      if (!isPlainCell(text, start, end)) return false;
      const plain = plainNumberInOrNaN(text, start, end, decimal);
      const value = plain === plain && c.converter !== undefined ? convertedOrNaN(c.converter, plain) : NaN;
      const range = c.spec.physicalRange;
      if (value !== value || (range !== undefined && (value < range.min || value > range.max))) return false;
      values[k] = value;
      blank[k] = 0;
    }
    this.dataRows++;
    const id = this.#identityInText(text, starts, ends, line);
    if (id === null) return true;
    let lane: number | null = null;
    if (this.#wideNeedsLane) {
      const src = this.#s.plan.identity.lane;
      if (src.kind === 'column') this.#rangeFields[src.index] = text.slice(starts[src.index], ends[src.index]);
      const laneRaw = this.#get('lane', this.#rangeFields);
      if (laneRaw === undefined && this.#lanes === 1 && src.kind === 'absent') lane = 0;
      else {
        lane = this.#lane(laneRaw, line, 'this row holds per-lane parameters');
        if (lane === null) return true;
      }
    }
    const before = this.readings.length + this.quarantine.length;
    let moduleValues = 0;
    const cornerLane = (this.#t.cornerIdx.get(id.corner) ?? 0) * (this.#lanes + 1) + (lane === null ? 0 : lane + 1);
    for (let k = 0; k < columns.length; k++) {
      if (blank[k] === 1) continue;
      const c = columns[k]!;
      const value = values[k]!;
      if (c.spec.scope === 'module') {
        const key = id.run * this.#codeSpace + c.parameterCode + cornerLane - (lane === null ? 0 : lane + 1);
        const reading: ModuleReading = {
          run: id.run,
          param: c.spec,
          corner: id.corner,
          value,
          censoring: 'none',
          line,
          column: c.name,
          raw: text.slice(starts[c.index], ends[c.index]),
        };
        const list = this.#moduleReadings.get(key);
        if (list === undefined) this.#moduleReadings.set(key, [reading]);
        else list.push(reading);
        moduleValues++;
        continue;
      }
      const code = c.parameterCode + cornerLane;
      // The cell's text is only needed to quarantine a repeat.
      const repeat = (this.#present[id.run] as PresentReadings).lines[code] !== 0;
      const raw = repeat ? text.slice(starts[c.index], ends[c.index]) : '';
      if (this.#claim(id.run, code, c.spec.id, id.corner, lane, line, c.name, raw)) {
        let slot = slots[k]!;
        if (slot < 0) slots[k] = slot = this.readings.parameterSlot(c.spec.id);
        this.readings.pushReadingInSlot(id.run, slot, id.corner, lane, value, 'none', line);
      }
    }
    if (moduleValues === 0 && this.readings.length + this.quarantine.length === before) this.#noValues(line);
    return true;
  }

  /** The station's own verdict and limits for one wide reading, from the columns the profile names for its parameter. */
  #wideStationEvidence(
    m: { -readonly [K in keyof Measurement]: Measurement[K] },
    c: WideColumnPlan & { readonly spec: ParameterSpec },
    fields: readonly string[],
  ): void {
    if (c.result !== undefined) {
      const verdict = stationVerdictOf(fields[c.result] ?? '');
      if (verdict !== undefined) m.stationVerdict = verdict;
    }
    if (c.lowLimit !== undefined || c.highLimit !== undefined) {
      const low = specSideIsExpression(c.spec, 'lsl') ? null : this.#stationLimit(fields, c.lowLimit, c.unit, c.spec);
      const high = specSideIsExpression(c.spec, 'usl') ? null : this.#stationLimit(fields, c.highLimit, c.unit, c.spec);
      if (low !== null || high !== null) m.stationLimits = { low, high };
    }
  }

  /** One row's cell of the station's unit verdict: a run fails when any of its rows says fail. */
  #noteUnitVerdict(run: number, cell: string): void {
    const verdict = stationVerdictOf(cell);
    if (verdict === undefined || this.#runVerdicts.get(run) === 'fail') return;
    this.#runVerdicts.set(run, verdict);
  }

  /**
   * After the last row (and the footer): the station's verdict for each unit, from its column, or from
   * metadata before or after the table or the file name (one verdict for every unit of the file).
   */
  finishUnitVerdicts(metadata: Preamble): void {
    const src = this.#s.plan.unitResult;
    let whole: 'pass' | 'fail' | undefined;
    if (src.kind === 'preamble') whole = stationVerdictOf(metadata.find(src.aliases)?.value ?? '');
    else if (src.kind === 'fileName') whole = stationVerdictOf(this.#s.fileNameGroups?.[src.group] ?? '');
    if (whole === undefined && this.#runVerdicts.size === 0) return;
    this.runs = this.runs.map((run, i) => {
      const verdict = whole ?? this.#runVerdicts.get(i);
      return verdict === undefined ? run : { ...run, stationVerdict: verdict };
    });
  }

  /**
   * After the last row: module parameters that wide rows repeat on every lane are stored once per
   * run × corner; if the copies disagree none is stored (lotqa cannot know which is right).
   */
  finishModuleReadings(): void {
    for (const readings of this.#moduleReadings.values()) {
      const first = readings[0] as ModuleReading;
      const agree = readings.every((r) => r.value === first.value && r.censoring === first.censoring);
      if (agree) {
        this.#store(
          {
            run: first.run,
            parameter: first.param.id,
            corner: first.corner,
            lane: null,
            value: first.value,
            censoring: first.censoring,
            line: first.line,
          },
          first.column,
          first.raw,
        );
        continue;
      }
      const list = readings.map((r) => `line ${r.line}: ${r.raw}`).join(', ');
      for (const r of readings) {
        this.#q(
          r.line,
          r.column,
          r.raw,
          'duplicate-measurement',
          `module parameter ${r.param.id} at corner ${r.corner} is repeated on lane rows with different values (${list}); none is stored`,
          'Check the station: a per-module value must be the same on every lane row.',
        );
      }
    }
    this.#moduleReadings.clear();
  }

  /**
   * Hands the per-run reading tables to the next files' mappers, once nothing asks this one any more
   * (after the completeness check): hasMeasurement and hasEveryExpected answer false from here on.
   */
  releaseReadings(): void {
    for (const present of this.#present) {
      if (sparePresent.length >= SPARE_PRESENT) break;
      present.lines.fill(0);
      sparePresent.push(present.lines);
    }
    this.#present = [];
  }

  /** Stored (parameter, corner, lane) codes of a run, for the completeness check. */
  /**
   * True when the run holds every reading the product expects of what this file can deliver (the
   * completeness check's question, answered by counting instead of asking slot by slot).
   */
  hasEveryExpected(run: number): boolean {
    const present = this.#present[run];
    if (present === undefined) return false;
    let expected = this.#t.expected;
    if (expected === null) {
      const codes = new Set<number>();
      const { product } = this.#s;
      const deliverable = this.#t.deliverable;
      for (const p of product.parameters) {
        if (p.derived !== undefined || (deliverable !== null && !deliverable.has(p.id))) continue;
        for (const corner of p.corners ?? product.corners.map((c) => c.id)) {
          if (p.scope === 'module') codes.add(this.#code(p.id, corner, null));
          else for (let lane = 0; lane < product.laneCount; lane++) codes.add(this.#code(p.id, corner, lane));
        }
      }
      this.#t.expected = expected = codes;
    }
    if (present.size < expected.size) return false;
    let found = 0;
    for (const code of expected) if (present.lines[code] !== 0) found++;
    return found === expected.size;
  }

  hasMeasurement(run: number, param: string, corner: string, lane: number | null): boolean {
    const present = this.#present[run];
    return present !== undefined && present.lines[this.#code(param, corner, lane)]! !== 0;
  }
}
