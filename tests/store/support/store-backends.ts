/**
 * The two backends every store test runs against (Kysely's own test habit): a SQLite temp file and a
 * PostgreSQL schema unique to this test file. `open()` may be called again for a second connection
 * to the same database (concurrency tests); `rawExecute` runs SQL around the store (immutability tests).
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { openStore, type Store, type StoreConfig } from '../../../src/store/index.js';
import { pgTestUrl, uniqueName } from '../../support/services.js';

export interface TestBackend {
  readonly name: 'sqlite' | 'postgres';
  /** What `open()` opens (for tests that reach below the store, such as migrations). */
  readonly config: StoreConfig;
  open(): Store;
  /** Runs one SQL statement outside the store (with its own connection). */
  rawExecute(statement: string): Promise<void>;
  cleanup(): Promise<void>;
}

export function sqliteBackend(): TestBackend {
  const dir = mkdtempSync(join(tmpdir(), 'lotqa-store-'));
  const path = join(dir, 'store.sqlite');
  return {
    name: 'sqlite',
    config: { sqlitePath: path },
    open: () => openStore({ sqlitePath: path }),
    // The executor turns a throw into a rejection, as the PostgreSQL backend's does.
    rawExecute: (statement) =>
      new Promise<void>((resolve) => {
        const db = new Database(path);
        try {
          db.prepare(statement).run();
        } finally {
          db.close();
        }
        resolve();
      }),
    cleanup: () =>
      new Promise<void>((resolve) => {
        rmSync(dir, { recursive: true, force: true });
        resolve();
      }),
  };
}

export function postgresBackend(): TestBackend {
  const schema = uniqueName('store');
  const url = pgTestUrl();
  return {
    name: 'postgres',
    config: { databaseUrl: url, pgSchema: schema, pgPoolSize: 4 },
    open: () => openStore({ databaseUrl: url, pgSchema: schema, pgPoolSize: 4 }),
    async rawExecute(statement) {
      const client = new pg.Client({ connectionString: url, options: `-c search_path=${schema}` });
      await client.connect();
      try {
        await client.query(statement);
      } finally {
        await client.end();
      }
    },
    async cleanup() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`drop schema if exists ${schema} cascade`);
      await client.end();
    },
  };
}

export const BACKENDS: ReadonlyArray<() => TestBackend> = [sqliteBackend, postgresBackend];

/**
 * `count` migrated stores of one backend for the enclosing describe: opened and filled by `fill` before its
 * tests, closed and dropped after them (arrival-order tests compare stores fed the same files in other orders).
 */
export function migratedStores(
  make: () => TestBackend,
  count: number,
  fill: (stores: readonly Store[]) => Promise<void>,
): readonly Store[] {
  const backends: TestBackend[] = [];
  const stores: Store[] = [];
  beforeAll(async () => {
    for (let i = 0; i < count; i++) {
      const backend = make();
      backends.push(backend);
      stores.push(backend.open());
      await stores[i]!.migrate();
    }
    await fill(stores);
  });
  afterAll(async () => {
    for (const s of stores) await s.close();
    for (const b of backends) await b.cleanup();
  });
  return stores;
}
