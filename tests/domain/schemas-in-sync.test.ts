import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  JSON_SCHEMA_DIALECT,
  SCHEMA_DOCUMENTS,
  renderSchemaFile,
  schemaFileName,
  schemaProblems,
  validateDocument,
} from '../../src/domain/schema-registry.js';
import { loadConfig } from '../../src/config.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

describe('the configuration file schema', () => {
  it('accepts a file with a single setting (every default may be left out) and names a bad field', () => {
    expect(validateDocument('lotqa-config', { redisUrl: 'redis://queue-host:6379' }, 'lotqa.config.json')).toEqual({
      redisUrl: 'redis://queue-host:6379',
    });
    expect(
      validateDocument('lotqa-config', { queue: { settleMs: 2000 }, schedule: { tz: 'Europe/Berlin' } }, 'lotqa.config.json'),
    ).toBeTruthy();
    expect(() => validateDocument('lotqa-config', { ingestConcurrency: 0 }, 'lotqa.config.json')).toThrow(
      /lotqa\.config\.json: \/ingestConcurrency/,
    );
    expect(() => validateDocument('lotqa-config', { redisURL: 'x' }, 'lotqa.config.json')).toThrow(/redisURL/);
  });

  it('agrees with the loader: what the schema accepts, loadConfig accepts, with the same defaults', () => {
    const file = { concurrency: 3, queue: { attempts: 2 } };
    expect(schemaProblems('lotqa-config', file)).toEqual([]);
    const path = join(mkdtempSync(join(tmpdir(), 'lotqa-config-')), 'lotqa.config.json');
    writeFileSync(path, JSON.stringify(file));
    const loaded = loadConfig({ env: {}, configPath: path });
    expect(loaded).toMatchObject({ concurrency: 3, ingestConcurrency: 32, queue: { attempts: 2, settleMs: 5000 } });
  });
});
