/**
 * Writes schemas/acceptance-policy.schema.json from the TypeBox AcceptancePolicy (the source of truth).
 * Run: `npx tsx scripts/write-policy-schema.ts`. To be merged into scripts/write-schemas.ts.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { acceptancePolicySchemaJson } from '../src/acceptance/policy-schema-json.js';

const target = fileURLToPath(new URL('../schemas/acceptance-policy.schema.json', import.meta.url));
writeFileSync(target, acceptancePolicySchemaJson());
console.log(`wrote ${target}`);
