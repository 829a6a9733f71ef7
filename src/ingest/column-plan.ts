/**
 * @module Where each field lives in one file, decided once from the header: the column index of every
 * identity field, of the long-format parameter/value/unit columns, or of each wide-format parameter
 * column. Rows are then mapped by index, never by name lookups per cell.
 */
import type { FieldSource, StationProfile } from '../domain/station-profile.js';
import { foldName, type HeaderIndex } from './header-names.js';
import { foldName as foldLine } from '../domain/folded-name.js';
import { findWithUnit, foldParameterName, splitHeaderUnit } from './header-unit.js';
import { StationProfileError } from './ingest-errors.js';

export type IdentityField = 'serial' | 'lot' | 'station' | 'testTime' | 'attempt' | 'corner' | 'lane' | 'operator';

/** An identity field resolved against this file's header. */
export type ResolvedSource =
  | { readonly kind: 'column'; readonly index: number; readonly name: string }
  | { readonly kind: 'preamble'; readonly aliases: readonly string[] }
  | { readonly kind: 'fileName'; readonly group: string }
  | { readonly kind: 'absent' };

export interface WideColumnPlan {
  readonly index: number;
  readonly name: string;
  readonly parameter: string;
  readonly unit: string;
  /** The station's own limit and PASS/FAIL columns for this parameter, when the profile names them and the header has them. */
  readonly lowLimit?: number;
  readonly highLimit?: number;
  readonly result?: number;
}

export interface ColumnPlan {
  readonly identity: Readonly<Record<IdentityField, ResolvedSource>>;
  readonly long?: {
    readonly parameter: number;
    readonly value: number;
    readonly unit: number | undefined;
    readonly lowLimit: number | undefined;
    readonly highLimit: number | undefined;
    readonly result: number | undefined;
  };
  readonly wide?: readonly WideColumnPlan[];
  /** Where the station's verdict for the whole unit comes from (profile `unitResult`). */
  readonly unitResult: ResolvedSource;
  /** Header columns no part of the profile reads. */
  readonly unusedColumns: readonly number[];
}

/** How well a profile fits a header. */
export interface PlanFit {
  readonly plan: ColumnPlan;
  /** Required columns the header lacks (each described by the profile's preferred alias). */
  readonly missingRequired: readonly string[];
  /** Optional or wide parameter columns the header lacks. */
  readonly missingExpected: readonly string[];
  readonly matched: number;
  readonly expected: number;
}

const REQUIRED_IDENTITY: readonly IdentityField[] = ['serial', 'lot', 'station', 'testTime', 'corner', 'lane'];
const ALL_IDENTITY: readonly IdentityField[] = ['serial', 'lot', 'station', 'testTime', 'attempt', 'corner', 'lane', 'operator'];

const describe = (aliases: readonly string[]): string => `"${aliases[0] ?? '?'}"`;

/** Matches a profile's column expectations against a header. */
export function fitProfile(profile: StationProfile, header: HeaderIndex): PlanFit {
  const used = new Set<number>();
  const missingRequired: string[] = [];
  const missingExpected: string[] = [];
  let matched = 0;
  let expected = 0;

  const column = (aliases: readonly string[], required: boolean): number | undefined => {
    expected++;
    const i = header.find(aliases);
    if (i === undefined) (required ? missingRequired : missingExpected).push(describe(aliases));
    else {
      matched++;
      used.add(i);
    }
    return i;
  };

  const identity = {} as Record<IdentityField, ResolvedSource>;
  for (const field of ALL_IDENTITY) {
    const source: FieldSource | undefined = profile.identity[field];
    if (source === undefined) identity[field] = { kind: 'absent' };
    else if ('column' in source) {
      const i = column(source.column, REQUIRED_IDENTITY.includes(field));
      identity[field] = i === undefined ? { kind: 'absent' } : { kind: 'column', index: i, name: header.fields[i] ?? '' };
    } else if ('preamble' in source) identity[field] = { kind: 'preamble', aliases: source.preamble };
    else identity[field] = { kind: 'fileName', group: source.fileName };
  }

  let long: ColumnPlan['long'];
  let wide: WideColumnPlan[] | undefined;
  if (profile.format === 'long') {
    const l = profile.long;
    if (l === undefined) throw new StationProfileError(profile.id, 'format is "long" but the "long" section is missing');
    const parameter = column(l.parameter, true);
    const value = column(l.value, true);
    const opt = (a: readonly string[] | undefined) => (a === undefined ? undefined : column(a, false));
    const unit = opt(l.unit);
    const lowLimit = opt(l.lowLimit);
    const highLimit = opt(l.highLimit);
    const result = opt(l.result);
    long = { parameter: parameter ?? -1, value: value ?? -1, unit, lowLimit, highLimit, result };
  } else {
    const w = profile.wide;
    if (w === undefined) throw new StationProfileError(profile.id, 'format is "wide" but the "wide" section is missing');
    wide = [];
    for (const c of w.columns) {
      let i = header.find(c.header);
      let unit = c.unit;
      if (i === undefined) {
        // The same parameter with its unit spelled another way (`Tx Power [dBm]`, `TX_POWER_DBM`) or in
        // another unit of the same quantity (`Tx Power (mW)`): read in the header's unit.
        const other = used.size < header.fields.length ? findWithUnit(header.fields, c.header, c.unit) : undefined;
        if (other !== undefined && !used.has(other.index)) ({ index: i, unit } = other);
      }
      expected++;
      if (i === undefined) {
        missingExpected.push(describe(c.header));
        continue;
      }
      matched++;
      used.add(i);
      // The station's limit and result columns are evidence: looked up, never required or counted in the fit.
      const evidence = (aliases: readonly string[] | undefined): number | undefined => {
        const j = aliases === undefined ? undefined : header.find(aliases);
        if (j !== undefined) used.add(j);
        return j;
      };
      const lowLimit = evidence(c.lowLimit);
      const highLimit = evidence(c.highLimit);
      const result = evidence(c.result);
      wide.push({
        index: i,
        name: header.fields[i] ?? '',
        parameter: c.parameter,
        unit,
        ...(lowLimit !== undefined ? { lowLimit } : {}),
        ...(highLimit !== undefined ? { highLimit } : {}),
        ...(result !== undefined ? { result } : {}),
      });
    }
    if (wide.length === 0) missingRequired.push(`any parameter column (${w.columns.map((c) => describe(c.header)).join(', ')})`);
  }

  let unitResult: ResolvedSource = { kind: 'absent' };
  const verdictSource = profile.unitResult;
  if (verdictSource !== undefined) {
    if ('column' in verdictSource) {
      const i = header.find(verdictSource.column);
      if (i !== undefined) {
        used.add(i);
        unitResult = { kind: 'column', index: i, name: header.fields[i] ?? '' };
      }
    } else if ('preamble' in verdictSource) unitResult = { kind: 'preamble', aliases: verdictSource.preamble };
    else unitResult = { kind: 'fileName', group: verdictSource.fileName };
  }

  const unusedColumns: number[] = [];
  header.fields.forEach((f, i) => {
    if (!used.has(i) && f.trim() !== '') unusedColumns.push(i);
  });
  const plan: ColumnPlan = { identity, ...(long ? { long } : {}), ...(wide ? { wide } : {}), unitResult, unusedColumns };
  return { plan, missingRequired, missingExpected, matched, expected };
}

/** Alias names of which a header must hold one (folded); `loose`: parameter names without units, for wide columns. */
interface AliasGroup {
  readonly folded: readonly string[];
  readonly loose?: readonly string[];
}

/** Per profile: the alias groups of which a header must hold one each to fit. */
const requiredGroups = new WeakMap<StationProfile, readonly AliasGroup[]>();

function requiredAliasGroups(profile: StationProfile): readonly AliasGroup[] {
  let groups = requiredGroups.get(profile);
  if (groups === undefined) {
    const out: AliasGroup[] = [];
    for (const field of REQUIRED_IDENTITY) {
      const source = profile.identity[field];
      if (source !== undefined && 'column' in source) out.push({ folded: source.column.map(foldName) });
    }
    if (profile.format === 'long' && profile.long !== undefined)
      out.push({ folded: profile.long.parameter.map(foldName) }, { folded: profile.long.value.map(foldName) });
    if (profile.format === 'wide' && profile.wide !== undefined) {
      const headers = profile.wide.columns.flatMap((c) => c.header);
      out.push({ folded: headers.map(foldName), loose: headers.map((h) => splitHeaderUnit(h)?.name ?? foldParameterName(h)) });
    }
    groups = out;
    requiredGroups.set(profile, groups);
  }
  return groups;
}

/**
 * A quick necessary condition for `fitProfile` finding every required column in a header line: each
 * required column's name (some alias) appears in the folded line (`foldName` of the whole line; pass
 * it folded once when several profiles ask about one line); a wide parameter column also by its name
 * alone (`TX_POWER_DBM` holds `txpower`, see header-unit.ts). False means the profile cannot fit this
 * line (a data row taken for a header, another station's header), without splitting it.
 */
export function headerMayFit(profile: StationProfile, lineText: string, folded: string = foldLine(lineText)): boolean {
  let loose: string | null = null;
  for (const group of requiredAliasGroups(profile)) {
    let found = false;
    for (const a of group.folded) if (folded.includes(a)) found = true;
    if (!found && group.loose !== undefined) {
      loose ??= foldParameterName(lineText);
      for (const a of group.loose) if (a !== '' && loose.includes(a)) found = true;
    }
    if (!found) return false;
  }
  return true;
}

/**
 * Columns the plan reads whose header name the header holds more than once (`Value` twice): lotqa would
 * read the first and could not know whether the station meant the other. Each as the name and its
 * 1-based column numbers.
 */
export function ambiguousColumns(plan: ColumnPlan, header: HeaderIndex): { readonly name: string; readonly columns: number[] }[] {
  if (header.duplicates.length === 0) return [];
  const read = new Set<number>();
  for (const src of [...Object.values(plan.identity), plan.unitResult]) if (src.kind === 'column') read.add(src.index);
  if (plan.long !== undefined)
    for (const i of [plan.long.parameter, plan.long.value, plan.long.unit, plan.long.lowLimit, plan.long.highLimit, plan.long.result])
      if (i !== undefined && i >= 0) read.add(i);
  for (const c of plan.wide ?? []) for (const i of [c.index, c.lowLimit, c.highLimit, c.result]) if (i !== undefined) read.add(i);
  const out: { name: string; columns: number[] }[] = [];
  for (const i of [...read].sort((a, b) => a - b)) {
    const key = foldName(header.fields[i] ?? '');
    const columns = header.fields.flatMap((f, j) => (foldName(f) === key ? [j + 1] : []));
    if (columns.length > 1) out.push({ name: header.fields[i]!, columns });
  }
  return out;
}
