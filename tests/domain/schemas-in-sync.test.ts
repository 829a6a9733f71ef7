import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { JSON_SCHEMA_DIALECT, SCHEMA_DOCUMENTS, renderSchemaFile, schemaFileName } from '../../src/domain/schema-registry.js';

describe('schemas/*.schema.json are generated from the TypeBox contracts', () => {
  it.each(SCHEMA_DOCUMENTS.map((d) => d.kind))('schemas/%s.schema.json equals what `npm run schemas` writes', (kind) => {
    const path = fileURLToPath(new URL(`../../schemas/${schemaFileName(kind)}`, import.meta.url));
    const committed = readFileSync(path, 'utf8');
    // On failure: run `npm run schemas` and commit the result together with the contract change.
    expect(committed).toBe(renderSchemaFile(kind));
  });

  it('every generated schema declares the same JSON Schema dialect and a lotqa $id', () => {
    for (const { kind } of SCHEMA_DOCUMENTS) {
      const json = JSON.parse(renderSchemaFile(kind)) as { $schema: string; $id: string };
      expect(json.$schema).toBe(JSON_SCHEMA_DIALECT);
      expect(json.$id).toBe(`https://lotqa.dev/schemas/${schemaFileName(kind)}`);
    }
  });

  it('renders deterministically, with $schema first', () => {
    const kind = SCHEMA_DOCUMENTS[0].kind;
    expect(renderSchemaFile(kind)).toBe(renderSchemaFile(kind));
    expect(renderSchemaFile(kind).startsWith(`{\n  "$schema": "${JSON_SCHEMA_DIALECT}",\n  "$id"`)).toBe(true);
  });
});
