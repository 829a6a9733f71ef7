/**
 * @module policy-schema-json — the JSON text of schemas/acceptance-policy.schema.json, derived from the
 * TypeBox schema; shared by the writer script and the drift test.
 */
import { AcceptancePolicy } from '../domain/acceptance-policy.js';

export function acceptancePolicySchemaJson(): string {
  return (
    JSON.stringify(
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        ...AcceptancePolicy,
      },
      null,
      2,
    ) + '\n'
  );
}
