/**
 * A PostgreSQL store looks only at its own schema when it inspects the catalog (migrations ask which
 * tables exist), so other schemas in the same database — another factory's store, another
 * application, or a schema being dropped at that moment — neither fail its migration nor look like its
 * tables.
 *
 * The race this guards against (seen as 3F000 "schema … does not exist" when two test workers shared a
 * database): Kysely's stock introspector reads the columns of every schema in its snapshot and then
 * looks each schema up again by name (has_schema_privilege, pg_get_serial_sequence), which fails for a
 * schema another session dropped in between. A repeatable-read transaction pins the snapshot before
 * the drop, so the interleaving happens every time instead of once in a while.
 */
import { PostgresIntrospector, sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { resolveStoreConfig } from '../../src/store/index.js';
import { openStoreDialect } from '../../src/store/dialect/open-store-dialect.js';
import type { StoreDb, StoreDialect } from '../../src/store/dialect/store-dialect.js';
import { migrateStore } from '../../src/store/store-migration.js';
import { pgTestUrl, uniqueName } from '../support/services.js';
import { postgresBackend, type TestBackend } from './support/store-backends.js';

async function adminQuery(statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: pgTestUrl() });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** Another schema in the same database with a table of its own, named like one of the store's old tables. */
async function createOtherSchema(): Promise<string> {
  const other = uniqueName('other');
  await adminQuery(`create schema ${other}; create table ${other}.measurements (id serial primary key, value double precision)`);
  return other;
}

/**
 * Runs `inspect` in a repeatable-read transaction whose snapshot was taken before `other` was dropped
 * (and committed) by another session: the catalog rows of `other` are still in the snapshot, the schema
 * itself is gone.
 */
async function inspectAfterDrop<T>(dialect: StoreDialect, other: string, inspect: (trx: StoreDb) => Promise<T>): Promise<T> {
  return dialect.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const seen = await sql<{ n: number }>`select count(*) as n from pg_catalog.pg_namespace where nspname = ${other}`.execute(trx);
      expect(seen.rows[0]?.n).toBe(1);
      await adminQuery(`drop schema ${other} cascade`);
      return inspect(trx);
    });
}

describe('a PostgreSQL store beside other schemas in its database', () => {
  const cleanups: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  // One migrated store for the three tests that only read its catalog (a migration of a fresh schema is
  // most of each test's time); the migration test below makes its own.
  let migrated: Promise<{ backend: TestBackend; dialect: StoreDialect }> | undefined;
  afterAll(async () => {
    if (!migrated) return;
    const { backend, dialect } = await migrated;
    await dialect.close();
    await backend.cleanup();
  });
  const openMigrated = (): Promise<{ backend: TestBackend; dialect: StoreDialect }> =>
    (migrated ??= (async () => {
      const backend = postgresBackend();
      const dialect = openStoreDialect(resolveStoreConfig(backend.config));
      await migrateStore(dialect);
      return { backend, dialect };
    })());

  it('lists its own tables, and only those, while another schema is dropped under its snapshot', async () => {
    const { backend, dialect } = await openMigrated();
    const other = await createOtherSchema();
    const tables = await inspectAfterDrop(dialect, other, (trx) => trx.introspection.getTables({ withInternalKyselyTables: true }));
    const schema = backend.config.pgSchema;
    expect(new Set(tables.map((t) => t.schema))).toEqual(new Set([schema]));
    const names = tables.map((t) => t.name);
    expect(names).toEqual(
      expect.arrayContaining(['files', 'runs', 'run_readings', 'lot_evaluations', 'kysely_migration', 'kysely_migration_lock']),
    );
    expect(names).not.toContain('measurements');
    // The columns are read as Kysely's own introspector reads them (identity column, nullability, default).
    const files = tables.find((t) => t.name === 'files')!;
    expect(files.columns.find((c) => c.name === 'id')).toMatchObject({ dataType: 'int4', isAutoIncrementing: true, isNullable: false });
    expect(files.columns.find((c) => c.name === 'sha256')).toMatchObject({
      dataType: 'text',
      isAutoIncrementing: false,
      isNullable: false,
    });
    expect(await dialect.db.introspection.getSchemas()).toEqual([{ name: schema }]);
  });

  it('the same interleaving fails Kysely stock introspector with 3F000 (the fault the scoped one removes)', async () => {
    const { dialect } = await openMigrated();
    const other = await createOtherSchema();
    const stock = inspectAfterDrop(dialect, other, (trx) => new PostgresIntrospector(trx).getTables({ withInternalKyselyTables: true }));
    await expect(stock).rejects.toMatchObject({ code: '3F000', message: `schema "${other}" does not exist` });
  });

  it('matches the stock introspector on its own schema (same tables, columns, types and flags)', async () => {
    const { backend, dialect } = await openMigrated();
    const own = await dialect.db.introspection.getTables({ withInternalKyselyTables: true });
    const stock = (await new PostgresIntrospector(dialect.db).getTables({ withInternalKyselyTables: true })).filter(
      (t) => t.schema === backend.config.pgSchema,
    );
    expect(own).toEqual(stock);
    const withoutKysely = await dialect.db.introspection.getTables();
    expect(withoutKysely.map((t) => t.name)).toEqual(stock.map((t) => t.name).filter((n) => !n.startsWith('kysely_')));
  });

  it('migrates a fresh schema while other stores are created and dropped in the same database', async () => {
    const backend = postgresBackend();
    const dialect = openStoreDialect(resolveStoreConfig(backend.config));
    cleanups.push(async () => {
      await dialect.close();
      await backend.cleanup();
    });
    // Several schemas with tables, dropped one by one while the migration inspects the catalog.
    const others = await Promise.all(Array.from({ length: 12 }, () => createOtherSchema()));
    let dropping = true;
    const dropper = (async () => {
      for (const other of others) {
        await adminQuery(`drop schema ${other} cascade`);
        if (!dropping) break;
      }
    })();
    try {
      expect((await migrateStore(dialect)).applied).toContain('0001-measurement-store');
      expect((await migrateStore(dialect)).applied).toEqual([]);
    } finally {
      dropping = false;
      await dropper;
      for (const other of others) await adminQuery(`drop schema if exists ${other} cascade`);
    }
  });
});
