/**
 * Writes `schemas/<kind>.schema.json` for every document kind of the schema registry, from the TypeBox
 * contracts in src/domain (the source of truth). Run: `npm run schemas`.
 * `npm run schemas -- --check` writes nothing and exits 1 when a committed schema file is out of date.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SCHEMA_DOCUMENTS, renderSchemaFile, schemaFileName } from '../src/domain/schema-registry.js';

const checkOnly = process.argv.includes('--check');
let stale = 0;
for (const { kind } of SCHEMA_DOCUMENTS) {
  const target = fileURLToPath(new URL(`../schemas/${schemaFileName(kind)}`, import.meta.url));
  const text = renderSchemaFile(kind);
  let current: string | null = null;
  try {
    current = readFileSync(target, 'utf8');
  } catch {
    current = null;
  }
  if (current === text) {
    console.log(`up to date  ${target}`);
    continue;
  }
  if (checkOnly) {
    stale += 1;
    console.error(`OUT OF DATE ${target} (run npm run schemas)`);
    continue;
  }
  writeFileSync(target, text);
  console.log(`wrote       ${target}`);
}
if (stale > 0) process.exitCode = 1;
