/**
 * @module A wide header's parameter name and unit, however the station spells them: `Tx Power (dBm)`,
 * `Tx Power [dBm]`, `TxPower(dBm)`, `TX_POWER_DBM`, `Tx Power dBm`. A profile column is written once
 * (`"header": ["Tx Power (dBm)"], "unit": "dBm"`); a header that names the same parameter with its unit
 * in another spelling — or in another unit of the same quantity (`Tx Power (mW)`) — is that column, read
 * in the header's unit. Names are compared without case, spaces, `_`, `-` and `.`; the unit must be one
 * lotqa converts, of the same quantity as the profile's, or the header is not matched.
 */
import { isKnownUnit, sharedCanonical } from '../domain/unit-conversion.js';

export interface NamedUnit {
  /** The name, folded for comparison (`txpower`). */
  readonly name: string;
  readonly unit: string;
}

const BRACKETED = /^(.*?)\s*[([{]\s*([^()[\]{}]+?)\s*[)\]}]\s*$/;
const LAST_TOKEN = /^(.*?)[\s_]+([^\s_]+)\s*$/;

/** Folds a parameter name: lower case, no spaces, `_`, `-` or `.` (`TX_POWER` = `Tx Power` = `TxPower`). */
export function foldParameterName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .replace(/[\s_.-]+/g, '')
    .toLowerCase();
}

/** Name and unit of a header written with its unit in brackets or as a last word/token; null otherwise. */
export function splitHeaderUnit(header: string): NamedUnit | null {
  const bracketed = BRACKETED.exec(header);
  if (bracketed !== null && bracketed[1] !== '' && isKnownUnit(bracketed[2]!))
    return { name: foldParameterName(bracketed[1]!), unit: bracketed[2]! };
  const token = LAST_TOKEN.exec(header);
  if (token !== null && token[1] !== '' && isKnownUnit(token[2]!)) return { name: foldParameterName(token[1]!), unit: token[2]! };
  return null;
}

/** Per header (one per file layout, shared by every profile tried on it): each field split once. */
const splitCache = new WeakMap<readonly string[], readonly (NamedUnit | null)[]>();

/**
 * Index and unit of the first header field naming one of `aliases` with a unit of the same quantity as
 * `profileUnit` (the profile column's), or undefined.
 */
export function findWithUnit(
  fields: readonly string[],
  aliases: readonly string[],
  profileUnit: string,
): { readonly index: number; readonly unit: string } | undefined {
  const names = new Set<string>();
  for (const alias of aliases) names.add(splitHeaderUnit(alias)?.name ?? foldParameterName(alias));
  let splits = splitCache.get(fields);
  if (splits === undefined) splitCache.set(fields, (splits = fields.map(splitHeaderUnit)));
  for (let i = 0; i < splits.length; i++) {
    const split = splits[i]!;
    if (split !== null && names.has(split.name) && sharedCanonical(split.unit, profileUnit) !== null) return { index: i, unit: split.unit };
  }
  return undefined;
}
