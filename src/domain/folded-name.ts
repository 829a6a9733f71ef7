/**
 * @module How names are compared where a station profile promises case- and space-insensitive
 * matching ("Tx Power (dBm)" = "tx power(dBm)"): both sides are folded the same way once, and lookups
 * are then exact. The profile checks (here) and ingestion (`src/ingest/header-names.ts`) share it.
 */

/** Folds a header name or alias: lower case, no whitespace, no BOM. */
export function foldName(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .replace(/\s+/g, '')
    .toLowerCase();
}
