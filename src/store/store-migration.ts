/**
 * @module Brings a store's schema up to date, under the dialect's migration lock so that processes
 * starting together on a fresh store never race (the first migrates, the others wait and find it
 * current).
 */
import { Migrator } from 'kysely';
import type { StoreDialect } from './dialect/store-dialect.js';
import { storeMigrationProvider } from './migrations.js';
import { StoreMigrationError } from './store-errors.js';

export interface MigrationReport {
  /** Names of the migrations run by this call (empty when the database was already current). */
  readonly applied: readonly string[];
}

export interface MigrateOptions {
  /** Stop after this migration (tests of a migration start from the schema before it). @defaultValue the latest */
  readonly to?: string;
}

export async function migrateStore(dialect: StoreDialect, options: MigrateOptions = {}): Promise<MigrationReport> {
  const applied = await dialect.withMigrationLock(async () => {
    await dialect.prepareSchema();
    const migrator = new Migrator({
      db: dialect.db,
      provider: storeMigrationProvider(dialect.migration),
      ...(dialect.migrationTableSchema !== undefined ? { migrationTableSchema: dialect.migrationTableSchema } : {}),
    });
    const { error, results } = options.to === undefined ? await migrator.migrateToLatest() : await migrator.migrateTo(options.to);
    if (error) {
      const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
      const described = dialect.describeConnectionError(error);
      throw described !== error ? described : new StoreMigrationError(failed, dialect.location, error);
    }
    return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
  });
  await dialect.afterMigrations(applied);
  return { applied };
}
