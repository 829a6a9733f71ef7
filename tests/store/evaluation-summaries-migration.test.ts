/**
 * Migration 0004 gives every stored evaluation its summary columns (proposal, units, files, yields),
 * filled from the stored result document, so a lot's status never needs the document. Runs on SQLite
 * and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { lotHistory, listLotOverviews } from '../../src/queries/index.js';
import { resolveStoreConfig } from '../../src/store/index.js';
import { openStoreDialect } from '../../src/store/dialect/open-store-dialect.js';
import { migrateStore } from '../../src/store/store-migration.js';
import { canonicalJson } from '../../src/report/result-hash.js';
import { makeParsedFile } from './support/parsed-file-fixtures.js';
import { BACKENDS } from './support/store-backends.js';
import { lotResultFixture } from './support/stored-document-fixtures.js';
import { migrationsFrom } from '../../src/store/migrations.js';

describe.each(BACKENDS.map((b) => [b().name, b] as const))('migration to evaluation summaries on %s', (_name, makeBackend) => {
  it('fills the summary columns of evaluations stored before it from their result documents', async () => {
    const backend = makeBackend();
    const file = makeParsedFile({ lot: 'LOT-OLD-EVAL', serials: ['SN1', 'SN2', 'SN3'] });
    const result = lotResultFixture('LOT-OLD-EVAL', {
      fileHashes: [file.sha256],
      quantity: { units: 3, runs: 3, files: 1, quarantinedRows: 0, firstTestTime: null, lastTestTime: null, stations: [] },
      yields: { firstPass: 2 / 3, final: 1, firstPassPassed: 2, finalPassed: 3, indeterminate: 0 },
      proposal: { disposition: 'HOLD', reasons: [] },
    });
    const old = openStoreDialect(resolveStoreConfig(backend.config));
    try {
      expect((await migrateStore(old, { to: '0003-packed-run-readings' })).applied).toHaveLength(3);
      // What an evaluation row was before 0004: the result document and nothing beside it.
      await old.db
        .insertInto('lot_evaluations')
        .values({
          lot: 'LOT-OLD-EVAL',
          revision: 1,
          content_hash: 'c'.repeat(64),
          result_sha256: 'r'.repeat(64),
          result: canonicalJson(result),
          evaluated_at: '2024-05-02T05:00:00.000Z',
        })
        .execute();
    } finally {
      await old.close();
    }

    const store = backend.open();
    try {
      expect((await store.migrate()).applied).toEqual(migrationsFrom('0004-evaluation-summaries'));
      await store.recordParsedFile(file);
      const [revision] = (await lotHistory(store, 'LOT-OLD-EVAL')).revisions;
      expect(revision).toMatchObject({ revision: 1, proposal: 'HOLD', units: 3, files: 1, firstPassYield: 2 / 3, finalYield: 1 });
      const [overview] = await listLotOverviews(store);
      expect(overview).toMatchObject({ lot: 'LOT-OLD-EVAL', state: 'evaluated', changedSinceEvaluation: false });
      // The document itself is untouched (its hash is what decisions and certificates name).
      expect((await store.getEvaluation('LOT-OLD-EVAL', 1))?.result).toEqual(result);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
