/**
 * @module Opening the database behind a store: better-sqlite3 (WAL) or a pg.Pool, each wrapped in
 * Kysely. The raw handles are kept for the two measured fast paths (bulk measurement insert on
 * SQLite, array-mode batched reads on PostgreSQL); everything else goes through Kysely.
 */
import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import { mkdirSync, realpathSync } from 'node:fs';
import { dirname } from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { StoreDatabase } from './database-schema.js';
import { redactUrl, type ResolvedStoreConfig } from './store-config.js';

export type StoreConnection =
  | {
      readonly backend: 'sqlite';
      readonly db: Kysely<StoreDatabase>;
      readonly sqlite: Database.Database;
      /** Same for every connection to the same file in this process. */
      readonly lockKey: string;
      readonly location: string;
    }
  | {
      readonly backend: 'postgres';
      readonly db: Kysely<StoreDatabase>;
      readonly pool: pg.Pool;
      readonly pgSchema: string;
      readonly location: string;
    };

/** pg object ids of the types that pg returns as strings by default. */
const PG_INT8 = 20;
const PG_NUMERIC = 1700;

/**
 * Type parsers for this pool only (not pg's global registry, which other libraries share): count(*),
 * sum(int) and bigint columns come back as numbers, as they do on SQLite. Every such value the store
 * reads is a count or a file size, far below 2^53.
 */
const pgTypes: pg.CustomTypesConfig = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === PG_INT8 || oid === PG_NUMERIC) return (text: string) => (text === null ? null : Number(text));
    return pg.types.getTypeParser(oid, format ?? 'text');
  }) as pg.CustomTypesConfig['getTypeParser'],
};

export function openConnection(config: ResolvedStoreConfig): StoreConnection {
  if (config.backend === 'postgres') {
    const pool = new pg.Pool({
      connectionString: config.databaseUrl,
      max: config.pgPoolSize,
      // Every unqualified name (tables, trigger functions, the migration tables) resolves in the schema.
      options: `-c search_path=${config.pgSchema}`,
      types: pgTypes,
    });
    const db = new Kysely<StoreDatabase>({ dialect: new PostgresDialect({ pool }) });
    return {
      backend: 'postgres',
      db,
      pool,
      pgSchema: config.pgSchema,
      location: `${redactUrl(config.databaseUrl)} (schema ${config.pgSchema})`,
    };
  }
  const path = config.sqlitePath;
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  // NORMAL in WAL mode never corrupts the database; a power cut may lose the last commits, which
  // re-ingesting recovers (files are idempotent by SHA-256). Measured in bench/store-bench.ts.
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 10000');
  const lockKey = path === ':memory:' ? `memory:${randomUUID()}` : realpathSync(path);
  const db = new Kysely<StoreDatabase>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { backend: 'sqlite', db, sqlite, lockKey, location: path };
}
