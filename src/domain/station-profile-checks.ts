/**
 * @module Station profile checks — what JSON Schema cannot say about a station profile (the section
 * for its format is present, identity sources are consistent with the preamble, fixed block, footer and
 * file-name pattern, layout patterns compile,
 * header aliases are unambiguous, units are ones ingest can convert), and whether a profile fits a
 * given product (every measured parameter has a column or alias, in a convertible unit).
 * Header and alias matching follows ingest: case- and space-insensitive (`foldName`).
 */
import { CanonicalUnit, type ProductSpec } from './product-spec.js';
import type { FieldSource, LineMatch, StationProfile } from './station-profile.js';
import { SpecFileError, pointerSegment, type SpecProblem } from './spec-file-error.js';
import { measuredParameters } from './spec-limits.js';
import { foldName } from './folded-name.js';
import { canConvert } from './unit-conversion.js';

const CANONICAL_UNITS = CanonicalUnit.anyOf.map((s) => s.const);

/** True when ingest can convert `unit` to at least one canonical unit. */
const knownUnit = (unit: string): boolean => CANONICAL_UNITS.some((c) => canConvert(unit, c));

/** Named groups of a regular expression source, or an error message when it does not compile. */
function namedGroups(pattern: string): Set<string> | string {
  try {
    new RegExp(pattern);
  } catch (err) {
    return `is not a valid regular expression: ${(err as Error).message}`;
  }
  return new Set([...pattern.matchAll(/\(\?<([A-Za-z_$][\w$]*)>/g)].map((m) => m[1]!));
}

export function checkStationProfile(profile: StationProfile): SpecProblem[] {
  const problems: SpecProblem[] = [];
  const add = (pointer: string, message: string): void => {
    problems.push({ pointer, message });
  };

  if (profile.format === 'long' && profile.long === undefined)
    add('/long', 'is required for a long-format profile (test-name, value and unit columns)');
  if (profile.format === 'wide' && profile.wide === undefined)
    add('/wide', 'is required for a wide-format profile (one column per parameter)');
  if (profile.format === 'long' && profile.wide !== undefined)
    add('/wide', 'is not used by a long-format profile; remove it or set format "wide"');
  if (profile.format === 'wide' && profile.long !== undefined)
    add('/long', 'is not used by a wide-format profile; remove it or set format "long"');
  if (profile.delimiter === ',' && profile.decimal === ',')
    add('/decimal', 'a decimal comma needs a delimiter other than a comma (";" or tab)');

  const groups = profile.fileNamePattern === undefined ? null : namedGroups(profile.fileNamePattern);
  if (typeof groups === 'string') add('/fileNamePattern', groups);

  // Identity sources, and every header alias of the profile with where it is used.
  const headerOwners = new Map<string, string>();
  const claimHeaders = (pointer: string, aliases: readonly string[]): void => {
    aliases.forEach((alias, j) => {
      const key = foldName(alias);
      const owner = headerOwners.get(key);
      if (owner !== undefined && owner !== pointer)
        add(`${pointer}/${j}`, `header '${alias}' is also used by ${owner}; a column can mean only one thing`);
      else headerOwners.set(key, pointer);
    });
  };
  const layout = profile.layout;
  const fixedKeys = new Set((layout?.fixedBlock?.fields ?? []).map((f) => foldName(f.key)));
  const sources: [string, FieldSource | undefined][] = [
    ...Object.entries(profile.identity).map(([field, source]) => [`/identity/${field}`, source] as [string, FieldSource | undefined]),
    ['/unitResult', profile.unitResult],
  ];
  for (const [at, source] of sources) {
    if (source === undefined) continue;
    if ('column' in source) claimHeaders(`${at}/column`, source.column);
    else if ('preamble' in source) {
      const inBlock = source.preamble.some((k) => fixedKeys.has(foldName(k)));
      const inFooter = at === '/unitResult' && layout?.tableEnd !== undefined;
      if (!profile.preamble && !inBlock && !inFooter)
        add(
          `${at}/preamble`,
          `reads a preamble line, but the profile has "preamble": false${layout?.fixedBlock !== undefined ? ` and no layout.fixedBlock field named ${source.preamble.map((k) => `'${k}'`).join(' or ')}` : ''}`,
        );
    } else if (groups === null) add(`${at}/fileName`, 'reads a group of fileNamePattern, but the profile has no fileNamePattern');
    else if (typeof groups !== 'string' && !groups.has(source.fileName)) {
      add(`${at}/fileName`, `fileNamePattern has no named group '${source.fileName}' (it has: ${[...groups].join(', ') || 'none'})`);
    }
  }

  if (layout !== undefined) {
    const pattern = (pointer: string, source: string): void => {
      try {
        new RegExp(source);
      } catch (err) {
        add(pointer, `is not a valid regular expression: ${(err as Error).message}`);
      }
    };
    const matches = (pointer: string, m: LineMatch | { blankLine: true } | undefined): void => {
      if (m !== undefined && 'pattern' in m) pattern(`${pointer}/pattern`, m.pattern);
    };
    for (const key of ['comments', 'skip', 'summaryRows'] as const) layout[key]?.forEach((m, i) => matches(`/layout/${key}/${i}`, m));
    matches('/layout/tableStart', layout.tableStart);
    matches('/layout/tableEnd', layout.tableEnd);
    layout.fixedBlock?.fields.forEach((f, i) => {
      const at = `/layout/fixedBlock/fields/${i}`;
      if (f.line > layout.fixedBlock!.lines) add(`${at}/line`, `is line ${f.line}, but the block has ${layout.fixedBlock!.lines} lines`);
      if (f.pattern !== undefined) pattern(`${at}/pattern`, f.pattern);
    });
    if (layout.metadata !== undefined && !profile.preamble && layout.tableEnd === undefined)
      add(
        '/layout/metadata',
        'describes metadata lines the profile never reads: set "preamble": true (metadata before the table) or layout.tableEnd (a footer after it)',
      );
  }

  for (const [label, corner] of Object.entries(profile.cornerAliases)) {
    if (!/^[a-z][a-z0-9_]*$/.test(corner))
      add(`/cornerAliases/${pointerSegment(label)}`, `'${corner}' is not a corner id (lower case, e.g. "room")`);
  }

  if (profile.format === 'long' && profile.long !== undefined) {
    const long = profile.long;
    for (const key of ['parameter', 'value', 'unit', 'lowLimit', 'highLimit', 'result'] as const) {
      const aliases = long[key];
      if (aliases !== undefined) claimHeaders(`/long/${key}`, aliases);
    }
    const names = new Map<string, string>();
    for (const [name, id] of Object.entries(long.parameterAliases)) {
      const at = `/long/parameterAliases/${pointerSegment(name)}`;
      if (!/^[a-z][a-z0-9_]*$/.test(id)) add(at, `'${id}' is not a parameter id (lower case with underscores, e.g. "tx_avg_power")`);
      const prior = names.get(foldName(name));
      if (prior !== undefined && prior !== id)
        add(
          at,
          `test name '${name}' matches the same name as another alias (matching ignores case and spaces) but maps to ${id}, not ${prior}`,
        );
      names.set(foldName(name), id);
    }
    for (const [id, unit] of Object.entries(long.defaultUnits ?? {})) {
      if (!knownUnit(unit)) add(`/long/defaultUnits/${pointerSegment(id)}`, `unit '${unit}' is not one ingest can convert`);
    }
  }

  if (profile.format === 'wide' && profile.wide !== undefined) {
    const byParameter = new Map<string, number>();
    profile.wide.columns.forEach((col, i) => {
      const at = `/wide/columns/${i}`;
      claimHeaders(`${at}/header`, col.header);
      for (const key of ['lowLimit', 'highLimit', 'result'] as const) {
        const aliases = col[key];
        if (aliases !== undefined) claimHeaders(`${at}/${key}`, aliases);
      }
      if (!knownUnit(col.unit)) add(`${at}/unit`, `unit '${col.unit}' is not one ingest can convert`);
      const prior = byParameter.get(col.parameter);
      if (prior !== undefined) add(`${at}/parameter`, `${col.parameter} already has a column (/wide/columns/${prior}); one value per cell`);
      else byParameter.set(col.parameter, i);
    });
  }
  return problems;
}

/** How a profile fits one product: errors make its files unusable for the product; warnings do not. */
export interface ProfileFit {
  readonly errors: readonly SpecProblem[];
  readonly warnings: readonly SpecProblem[];
}

/**
 * Checks a profile against a product: every parameter the product measures has a wide column or a
 * long alias; mapped ids exist (unknown ones are warnings — a generic profile serves several
 * products — and derived ones are errors: they are computed, not read); units convert to the
 * parameter's canonical unit; corner aliases point at the product's corners (warning otherwise).
 */
export function checkProfileAgainstProduct(profile: StationProfile, product: ProductSpec): ProfileFit {
  const errors: SpecProblem[] = [];
  const warnings: SpecProblem[] = [];
  const params = new Map(product.parameters.map((p) => [p.id, p]));
  const covered = new Set<string>();

  const mapTo = (pointer: string, what: string, id: string, unit: string | undefined): void => {
    const p = params.get(id);
    if (p === undefined) {
      warnings.push({
        pointer,
        message: `${what} maps to '${id}', which product ${product.productId} does not define; such values will be quarantined as unknown-parameter`,
      });
      return;
    }
    if (p.derived !== undefined) {
      errors.push({
        pointer,
        message: `${what} maps to '${id}', which product ${product.productId} derives (${p.derived}); derived parameters are computed, not read`,
      });
      return;
    }
    if (unit !== undefined && !canConvert(unit, p.unit)) {
      errors.push({ pointer, message: `${what} is in '${unit}', which cannot be converted to ${p.unit} for ${id}` });
      return;
    }
    covered.add(id);
  };

  if (profile.format === 'wide') {
    profile.wide?.columns.forEach((col, i) => mapTo(`/wide/columns/${i}`, `column '${col.header[0]}'`, col.parameter, col.unit));
  } else if (profile.long !== undefined) {
    const defaults = profile.long.defaultUnits ?? {};
    for (const [name, id] of Object.entries(profile.long.parameterAliases))
      mapTo(`/long/parameterAliases/${pointerSegment(name)}`, `test name '${name}'`, id, defaults[id]);
  }

  for (const p of measuredParameters(product)) {
    if (!covered.has(p.id)) {
      const where = profile.format === 'wide' ? 'no column in /wide/columns' : 'no test-name alias in /long/parameterAliases';
      errors.push({
        pointer: profile.format === 'wide' ? '/wide/columns' : '/long/parameterAliases',
        message: `product ${product.productId} measures ${p.id} but the profile has ${where} for it`,
      });
    }
  }
  const cornerIds = product.corners.map((c) => c.id);
  for (const [label, corner] of Object.entries(profile.cornerAliases)) {
    if (!cornerIds.includes(corner)) {
      warnings.push({
        pointer: `/cornerAliases/${pointerSegment(label)}`,
        message: `maps to corner '${corner}', which product ${product.productId} does not have (${cornerIds.join(', ')})`,
      });
    }
  }
  return { errors, warnings };
}

/**
 * Throws when the profile cannot be used for the product's files.
 * @throws SpecFileError naming the profile and every error of {@link checkProfileAgainstProduct}.
 */
export function assertProfileFitsProduct(
  profile: StationProfile,
  product: ProductSpec,
  sourceName = `station profile '${profile.id}'`,
): void {
  const { errors } = checkProfileAgainstProduct(profile, product);
  if (errors.length > 0) throw new SpecFileError(sourceName, errors);
}
