/**
 * @module StationCsv — lays one generated test run out the way a station profile says: long (one
 * row per reading) or wide (one row per lane × corner), first header alias, preamble `key=value`
 * lines, the station's units, lane numbering and corner labels, decimal comma and delimiter.
 *
 * Conventions a reader of these files relies on:
 * - derived parameters are never written; parameters the spec does not measure at a corner are
 *   absent (long) or empty cells (wide);
 * - in the wide layout a module-scope value repeats on every lane row of its corner (as the
 *   shipped wide profiles describe);
 * - a censored reading is written `<bound` (e.g. `<-7.8`), converted like any value;
 * - values in the canonical unit are written at the station resolution they were quantised to,
 *   converted values with 12 significant digits, so parsing them back gives the canonical value.
 * When the corner is not a column (preamble or file-name identity) every corner gets its own file.
 */
import { DateTime } from 'luxon';
import { CENSOR_BELOW } from '../domain/lot-data.js';
import type { FieldSource, StationProfile } from '../domain/station-profile.js';
import type { GeneratedLot, GeneratedRun } from './generate-lot.js';
import { slotKey, type SlotModel } from './process-model.js';
import { slotLimitsForRun } from './run-limits.js';
import { isCanonicalSpelling, stationConversion } from './station-units.js';
import { defaultFileName, fileNameFromPattern, type FileNameFields } from './file-names.js';
import {
  fixedBlockKeys,
  fixedBlockLines,
  footerMetadataLines,
  leadingCommentLines,
  summaryRowLines,
  tableEndLines,
  tableStartLines,
} from './layout-lines.js';
import { SimProfileError } from './sim-errors.js';

/** One file's content before it is joined: preamble lines, header cells, data rows of cells. */
export interface StationTable {
  readonly name: string;
  readonly corner: string | null;
  /** Lines before the header: a fixed block, `key=value` lines, the marker the table starts after. */
  readonly preamble: string[];
  readonly header: string[];
  readonly rows: string[][];
  /** Lines after the rows (the marker the table ends at), or none. */
  readonly footer: string[];
  /** Data rows: cells ready to join (already quoted where the delimiter needs it). */
  /** Columns holding measured values (for malformation of a value cell). */
  readonly valueColumns: readonly number[];
  /** Column of the test time, or null when it is not a column. */
  readonly timeColumn: number | null;
  /** Preamble line index of the test time, or null. */
  readonly timePreambleLine: number | null;
  /** Column of the parameter name (long layout), or null. */
  readonly parameterColumn: number | null;
}

type IdentityField = 'serial' | 'lot' | 'station' | 'testTime' | 'attempt' | 'operator' | 'corner' | 'lane';
const IDENTITY_ORDER: readonly IdentityField[] = ['serial', 'lot', 'station', 'testTime', 'attempt', 'operator', 'corner', 'lane'];

type Formatter = (canonical: number, censored: boolean) => string;

/** Everything about a layout that depends only on lot + profile, computed once per lot. */
export interface StationLayout {
  readonly profile: StationProfile;
  readonly lot: GeneratedLot;
  readonly cornerPerFile: boolean;
  readonly cornerLabel: ReadonlyMap<string, string>;
  render(run: GeneratedRun): StationTable[];
  join(this: void, table: StationTable): string;
}

function sourceOf(profile: StationProfile, field: IdentityField): FieldSource | undefined {
  return profile.identity[field];
}

/** Formats numbers for a station: resolution, conversion, decimal comma. */
function formatter(slot: SlotModel, stationUnit: string, decimal: '.' | ','): Formatter {
  const canonical = isCanonicalSpelling(slot.unit, stationUnit);
  const convert = stationConversion(slot.unit, stationUnit);
  const text = canonical
    ? slot.logScale
      ? (v: number) => String(v)
      : (v: number) => v.toFixed(slot.decimals)
    : (v: number) => String(Number(convert(v).toPrecision(12)));
  return (v, censored) => {
    const s = (censored ? '<' : '') + text(v);
    return decimal === ',' ? s.replace('.', ',') : s;
  };
}

function limitFormatter(slot: SlotModel, stationUnit: string, decimal: '.' | ','): (v: number | null) => string {
  const convert = stationConversion(slot.unit, stationUnit);
  return (v) => {
    if (v === null) return '';
    const s = String(Number(convert(v).toPrecision(12)));
    return decimal === ',' ? s.replace('.', ',') : s;
  };
}

function quote(cell: string, delimiter: string): string {
  return cell.includes(delimiter) || cell.includes('"') || cell.includes('\n') || cell.includes('\r')
    ? `"${cell.replace(/"/g, '""')}"`
    : cell;
}

/** Builds the layout of `lot` for `profile`; throws SimProfileError when the profile cannot express it. */
export function stationLayout(lot: GeneratedLot, profile: StationProfile): StationLayout {
  const { spec, model } = lot;
  const cornerSource = sourceOf(profile, 'corner');
  const cornerPerFile = cornerSource === undefined || !('column' in cornerSource);
  const laneSource = sourceOf(profile, 'lane');
  if (spec.laneCount > 1 && (laneSource === undefined || !('column' in laneSource))) {
    throw new SimProfileError(
      `profile "${profile.id}" has no lane column, so it cannot hold the ${spec.laneCount} lanes of ${spec.productId}; add identity.lane = { "column": [...] }`,
    );
  }
  const cornerLabel = new Map<string, string>();
  for (const corner of spec.corners) {
    const label = Object.entries(profile.cornerAliases).find(([, id]) => id === corner.id)?.[0];
    cornerLabel.set(corner.id, label ?? corner.id);
  }
  const identityColumns = IDENTITY_ORDER.filter((f) => {
    const s = sourceOf(profile, f);
    return s !== undefined && 'column' in s;
  });
  const header0 = (f: IdentityField): string => {
    const s = sourceOf(profile, f);
    return s !== undefined && 'column' in s ? (s.column[0] ?? f) : f;
  };
  const zone = profile.timeZone ?? 'UTC';
  const formatTime = (iso: string): string =>
    profile.timestampFormat === undefined ? iso : DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone).toFormat(profile.timestampFormat);
  const decimal = profile.decimal;
  const d = profile.delimiter;

  /** Identity cells of one row, quoted once per run and corner × lane (rows hold ready-to-join cells). */
  const identityCells = (run: GeneratedRun): ((corner: string, lane: number | null) => string[]) => {
    const cache = new Map<string, string[]>();
    return (corner, lane) => {
      const key = `${corner}|${lane ?? '-'}`;
      let cells = cache.get(key);
      if (cells === undefined) {
        cells = identityColumns.map((f) => quote(identityValue(f, run, corner, lane), d));
        cache.set(key, cells);
      }
      return cells;
    };
  };
  /** Numbers need quoting only when the decimal comma is also the delimiter. */
  const q = decimal === d ? (cell: string) => quote(cell, d) : (cell: string) => cell;

  const identityValue = (f: IdentityField, run: GeneratedRun, corner: string | null, lane: number | null): string => {
    switch (f) {
      case 'serial':
        return run.serial;
      case 'lot':
        return run.lot;
      case 'station':
        return run.station;
      case 'testTime':
        return formatTime(run.testTime);
      case 'attempt':
        return String(run.attempt);
      case 'operator':
        return run.operator;
      case 'corner':
        return corner === null ? '' : (cornerLabel.get(corner) ?? corner);
      case 'lane':
        return lane === null ? '' : String(lane + profile.laneBase);
    }
  };

  const blockKeys = fixedBlockKeys(profile);
  const startLines = tableStartLines(profile);
  const leading = leadingCommentLines(profile);
  const footer = [...tableEndLines(profile), ...footerMetadataLines(profile)];
  const preambleFor = (run: GeneratedRun, corner: string | null): { lines: string[]; timeLine: number | null } => {
    const lines: string[] = [];
    const inBlock = new Map<string, string>();
    let timeLine: number | null = null;
    for (const f of IDENTITY_ORDER) {
      const s = sourceOf(profile, f);
      if (s === undefined || !('preamble' in s)) continue;
      if (!profile.preamble) throw new SimProfileError(`profile "${profile.id}" reads ${f} from the preamble but has "preamble": false`);
      const blockKey = s.preamble.find((k) => blockKeys.has(k));
      if (blockKey !== undefined) {
        inBlock.set(blockKey, identityValue(f, run, corner, null));
        continue;
      }
      if (f === 'testTime') timeLine = lines.length;
      lines.push(`${s.preamble[0] ?? f}=${identityValue(f, run, corner, null)}`);
    }
    const block = fixedBlockLines(profile, inBlock);
    // The test time's key=value line moves down by the comment and the block (a time in the block is not a
    // key=value line).
    return {
      lines: [...leading, ...block, ...lines, ...startLines],
      timeLine: timeLine === null ? null : timeLine + leading.length + block.length,
    };
  };

  const nameFor = (run: GeneratedRun, corner: string | null): string => {
    const fields: FileNameFields = {
      serial: run.serial,
      lot: run.lot,
      station: run.station,
      testTimeMs: Date.parse(run.testTime),
      attempt: run.attempt,
      corner: corner === null ? null : (cornerLabel.get(corner) ?? corner),
      operator: run.operator,
    };
    return profile.fileNamePattern === undefined ? defaultFileName(fields) : fileNameFromPattern(profile.fileNamePattern, fields);
  };

  const slotsByCorner = new Map<string, SlotModel[]>();
  for (const corner of spec.corners) slotsByCorner.set(corner.id, []);
  const specOrder = new Map(spec.parameters.map((p, i) => [p.id, i]));
  const ordered = [...model.slots].sort(
    (a, b) =>
      (a.lane === null ? -1 : a.lane) - (b.lane === null ? -1 : b.lane) ||
      (specOrder.get(a.parameter) ?? 0) - (specOrder.get(b.parameter) ?? 0),
  );
  for (const s of ordered) slotsByCorner.get(s.corner)?.push(s);
  const cornersOfRun = spec.corners.map((c) => c.id);

  /** One file's table: the rows of a run (at one corner when corners go to separate files) with its preamble. */
  const tableOf = (
    run: GeneratedRun,
    fileCorner: string | null,
    header: string[],
    rows: string[][],
    valueColumns: number[],
    timeIdx: number,
    parameterColumn: number | null,
  ): StationTable => {
    const pre = preambleFor(run, fileCorner);
    return {
      name: nameFor(run, fileCorner),
      corner: fileCorner,
      preamble: pre.lines,
      header,
      rows,
      valueColumns,
      timeColumn: timeIdx >= 0 ? timeIdx : null,
      timePreambleLine: pre.timeLine,
      parameterColumn,
      footer: [...summaryRowLines(profile, rows.length), ...footer],
    };
  };
  let render: (run: GeneratedRun) => StationTable[];
  if (profile.format === 'long') {
    const long = profile.long;
    if (long === undefined) throw new SimProfileError(`profile "${profile.id}" is long but has no "long" section`);
    const testName = new Map<string, string>();
    for (const p of spec.parameters) testName.set(p.id, Object.entries(long.parameterAliases).find(([, id]) => id === p.id)?.[0] ?? p.id);
    const unitOf = (s: SlotModel): string => long.defaultUnits?.[s.parameter] ?? s.unit;
    const fmt = model.slots.map((s) => formatter(s, unitOf(s), decimal));
    const limFmt = model.slots.map((s) => limitFormatter(s, unitOf(s), decimal));
    const unitCell = model.slots.map((s) => quote(unitOf(s), d));
    const nameCell = model.slots.map((s) => quote(testName.get(s.parameter) ?? s.parameter, d));
    /** Limit cells of slots whose limits are constants, formatted once per lot. */
    const constantLimits = model.slots.map((s) =>
      (s.limits.lsl === null || s.limits.lsl.kind === 'constant') && (s.limits.usl === null || s.limits.usl.kind === 'constant')
        ? [q(limFmt[s.index]?.(s.lsl) ?? ''), q(limFmt[s.index]?.(s.usl) ?? '')]
        : null,
    );
    const header = [...identityColumns.map(header0), long.parameter[0] ?? 'parameter', long.value[0] ?? 'value'];
    const valueColumn = identityColumns.length + 1;
    const extra: ('unit' | 'lowLimit' | 'highLimit' | 'result')[] = [];
    for (const k of ['unit', 'lowLimit', 'highLimit', 'result'] as const) {
      const aliases = long[k];
      if (aliases !== undefined) {
        header.push(aliases[0] ?? k);
        extra.push(k);
      }
    }
    const timeIdx = identityColumns.indexOf('testTime');
    render = (run) => {
      const failed = new Set(run.failedSlots);
      const ids = identityCells(run);
      const tables: StationTable[] = [];
      const groups = cornerPerFile ? cornersOfRun.map((c) => [c]) : [cornersOfRun];
      for (const group of groups) {
        const fileCorner = cornerPerFile ? (group[0] ?? null) : null;
        const rows: string[][] = [];
        for (const corner of group) {
          for (const s of slotsByCorner.get(corner) ?? []) {
            const row = [
              ...ids(corner, s.lane),
              nameCell[s.index] ?? '',
              q((fmt[s.index] as Formatter)(run.values[s.index] ?? NaN, run.censoring[s.index] === CENSOR_BELOW)),
            ];
            if (extra.length > 0) {
              let limits = constantLimits[s.index] ?? null;
              if (limits === null) {
                const v = slotLimitsForRun(model, run.values, s);
                limits = [q(limFmt[s.index]?.(v.lsl) ?? ''), q(limFmt[s.index]?.(v.usl) ?? '')];
              }
              for (const k of extra) {
                if (k === 'unit') row.push(unitCell[s.index] ?? '');
                else if (k === 'lowLimit') row.push(limits[0] ?? '');
                else if (k === 'highLimit') row.push(limits[1] ?? '');
                else row.push(failed.has(s.index) ? 'FAIL' : 'PASS');
              }
            }
            rows.push(row);
          }
        }
        tables.push(tableOf(run, fileCorner, header, rows, [valueColumn], timeIdx, identityColumns.length));
      }
      return tables;
    };
  } else {
    const wide = profile.wide;
    if (wide === undefined) throw new SimProfileError(`profile "${profile.id}" is wide but has no "wide" section`);
    const measured = new Set(model.slots.map((s) => s.parameter));
    const columns = wide.columns.filter((c) => measured.has(c.parameter));
    const header = [...identityColumns.map(header0), ...columns.map((c) => c.header[0] ?? c.parameter)];
    const valueColumns = columns.map((_, i) => identityColumns.length + i);
    const fmt = new Map<string, Formatter>();
    for (const c of columns) {
      const first = model.slots.find((s) => s.parameter === c.parameter) as SlotModel;
      fmt.set(c.parameter, formatter(first, c.unit, decimal));
    }
    const timeIdx = identityColumns.indexOf('testTime');
    const lanes = Array.from({ length: spec.laneCount }, (_, i) => i);
    const cellSlot = new Map<string, (number | undefined)[]>();
    for (const corner of cornersOfRun) {
      for (const lane of lanes) {
        cellSlot.set(
          `${corner}|${lane}`,
          columns.map(
            (c) => model.slotIndex.get(slotKey(c.parameter, corner, lane)) ?? model.slotIndex.get(slotKey(c.parameter, corner, null)),
          ),
        );
      }
    }
    const columnFormat = columns.map((c) => fmt.get(c.parameter) as Formatter);
    render = (run) => {
      const tables: StationTable[] = [];
      const ids = identityCells(run);
      const groups = cornerPerFile ? cornersOfRun.map((c) => [c]) : [cornersOfRun];
      for (const group of groups) {
        const fileCorner = cornerPerFile ? (group[0] ?? null) : null;
        const rows: string[][] = [];
        for (const corner of group) {
          if (!model.slots.some((s) => s.corner === corner)) continue;
          for (const lane of lanes) {
            const row = [...ids(corner, lane)];
            const indices = cellSlot.get(`${corner}|${lane}`) ?? [];
            indices.forEach((index, i) => {
              row.push(
                index === undefined
                  ? ''
                  : q((columnFormat[i] as Formatter)(run.values[index] ?? NaN, run.censoring[index] === CENSOR_BELOW)),
              );
            });
            rows.push(row);
          }
        }
        tables.push(tableOf(run, fileCorner, header, rows, valueColumns, timeIdx, null));
      }
      return tables;
    };
  }

  // Rows hold cells that are already quoted where needed; only the header is quoted here.
  const join = (table: StationTable): string => {
    let text = table.preamble.length > 0 ? table.preamble.join('\n') + '\n' : '';
    text += table.header.map((c) => quote(c, d)).join(d) + '\n';
    for (const row of table.rows) text += row.join(d) + '\n';
    for (const line of table.footer) text += line + '\n';
    return text;
  };
  return { profile, lot, cornerPerFile, cornerLabel, render, join };
}
