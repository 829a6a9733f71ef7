/**
 * Migration 0005 on a store that already holds records: the evaluations, decisions, certificates and
 * audit events stored before it are linked into their hash chains (so an upgraded store is protected from
 * its first row), certificates get their number and revision 1, and the append-only triggers stand again
 * afterwards — now on certificates too. Runs on SQLite and PostgreSQL.
 */
import { describe, expect, it } from 'vitest';
import { resolveStoreConfig } from '../../src/store/index.js';
import { openStoreDialect } from '../../src/store/dialect/open-store-dialect.js';
import { migrateStore } from '../../src/store/store-migration.js';
import { canonicalJson } from '../../src/report/result-hash.js';
import { BACKENDS } from './support/store-backends.js';
import { lotResultFixture } from './support/stored-document-fixtures.js';
import { migrationsFrom } from '../../src/store/migrations.js';

describe.each(BACKENDS.map((b) => [b().name, b] as const))('migration to the evidence records on %s', (_name, makeBackend) => {
  it('links the records stored before it into their hash chains and keeps them immutable', async () => {
    const backend = makeBackend();
    const old = openStoreDialect(resolveStoreConfig(backend.config));
    try {
      expect((await migrateStore(old, { to: '0004-evaluation-summaries' })).applied).toHaveLength(4);
      await old.db
        .insertInto('lot_evaluations')
        .values({
          lot: 'OLD-1',
          revision: 1,
          content_hash: 'c'.repeat(64),
          result_sha256: 'r'.repeat(64),
          result: canonicalJson(lotResultFixture('OLD-1')),
          evaluated_at: '2024-05-02T05:00:00.000Z',
        })
        .execute();
      await old.db
        .insertInto('decisions')
        .values({
          lot: 'OLD-1',
          revision: 1,
          stage: 'final',
          disposition: 'ACCEPT',
          decided_by: 'policy:default',
          decided_kind: 'policy',
          decided_at: '2024-05-02T05:01:00.000Z',
          reason: 'every policy check passed',
          result_sha256: 'r'.repeat(64),
          spec_version: '1',
          policy_version: '1',
          baseline_version: null,
          supersedes: null,
        } as never)
        .execute();
      await old.db
        .insertInto('certificates')
        .values({
          lot: 'OLD-1',
          revision: 1,
          document_id: 'LQ-OLD',
          pdf_sha256: 'f'.repeat(64),
          path: '/reports/OLD-1/coc-OLD-1-r1.pdf',
          issued_at: '2024-05-02T05:02:00.000Z',
          payload: JSON.stringify({ certificateNumber: 'CoC-OLD-1-r1-rrrrrrrr', resultSha256: 'r'.repeat(64), signer: 'policy:default' }),
        } as never)
        .execute();
      for (const kind of ['evaluated', 'decided'])
        await old.db
          .insertInto('audit_events')
          .values({
            at: '2024-05-02T05:03:00.000Z',
            lot: 'OLD-1',
            kind,
            actor: 'lotqa',
            payload: JSON.stringify(
              kind === 'evaluated'
                ? { revision: 1, resultSha256: 'r'.repeat(64), proposal: 'ACCEPT' }
                : { revision: 1, disposition: 'ACCEPT', reason: 'ok' },
            ),
          })
          .execute();
    } finally {
      await old.close();
    }

    const store = backend.open();
    try {
      expect((await store.migrate()).applied).toEqual(migrationsFrom('0005-evidence'));
      const chains = await store.verifyHashChains();
      expect(chains.map((c) => [c.chain, c.linked, c.beforeChain, c.problems.length])).toEqual([
        ['lot_evaluations', 1, 0, 0],
        ['decisions', 1, 0, 0],
        ['certificates', 1, 0, 0],
        ['audit_events', 2, 0, 0],
      ]);
      // New rows continue the chains the migration started.
      await store.appendAudit({ lot: 'OLD-1', kind: 'lot-closed', actor: 'test', payload: { expectedUnits: null } });
      expect((await store.verifyHashChains()).flatMap((c) => c.problems)).toEqual([]);
      const [cert] = await store.certificateRevisions('CoC-OLD-1-r1-rrrrrrrr');
      expect(cert).toMatchObject({ documentId: 'LQ-OLD', certificateRevision: 1, supersededBy: null });
      await expect(backend.rawExecute(`update decisions set reason = 'x'`)).rejects.toThrow(/immutable/);
      await expect(backend.rawExecute(`delete from audit_events`)).rejects.toThrow(/immutable/);
      await expect(backend.rawExecute(`update certificates set path = 'x'`)).rejects.toThrow(/immutable/);
    } finally {
      await store.close();
      await backend.cleanup();
    }
  });
});
