/**
 * @module Matching the header names a station writes against a profile's aliases. Profiles promise
 * case- and space-insensitive matching ("Tx Power (dBm)" = "tx power(dBm)"), so both sides are folded
 * the same way once, and lookups are then exact.
 */
import { foldName as foldNameOnce } from '../domain/folded-name.js';

/** Folded names by name: every file of a station repeats the same header, aliases and corner labels. */
const folded = new Map<string, string>();

/** {@link foldNameOnce} (lower case, no whitespace, no BOM), remembered for names up to 200 characters. */
export function foldName(name: string): string {
  let f = folded.get(name);
  if (f === undefined) {
    f = foldNameOnce(name);
    if (name.length <= 200) {
      if (folded.size >= 10_000) folded.clear();
      folded.set(name, f);
    }
  }
  return f;
}

/** Position of every header column by folded name (the first column wins when a name repeats). */
export class HeaderIndex {
  readonly #byName = new Map<string, number>();
  readonly duplicates: readonly string[];

  constructor(readonly fields: readonly string[]) {
    const duplicates: string[] = [];
    fields.forEach((field, i) => {
      const key = foldName(field);
      if (key === '') return;
      if (this.#byName.has(key)) duplicates.push(field);
      else this.#byName.set(key, i);
    });
    this.duplicates = duplicates;
  }

  /** Index of the first alias found in the header, or undefined. */
  find(aliases: readonly string[]): number | undefined {
    for (const alias of aliases) {
      const i = this.#byName.get(foldName(alias));
      if (i !== undefined) return i;
    }
    return undefined;
  }
}
