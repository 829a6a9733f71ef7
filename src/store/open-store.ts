/**
 * @module `openStore`: the one way to get a Store.
 */
import { KyselyStore } from './kysely-store.js';
import type { Store } from './store.js';
import { resolveStoreConfig, type StoreConfig } from './store-config.js';
import { openConnection } from './store-connection.js';

/**
 * Opens the store: PostgreSQL when `databaseUrl` (or, with no `sqlitePath`, `DATABASE_URL`) is a
 * `postgres://` URL, otherwise SQLite at `sqlitePath` (default `./lotqa.sqlite`, `:memory:` allowed).
 * Call `migrate()` before first use and `close()` when done.
 *
 * @example
 * ```ts
 * const store = openStore({ databaseUrl: 'postgres://postgres@127.0.0.1:5432/lotqa', pgSchema: 'factory_a' });
 * await store.migrate();
 * ```
 */
export function openStore(config: StoreConfig = {}): Store {
  const resolved = resolveStoreConfig(config);
  const connection = openConnection(resolved);
  try {
    return new KyselyStore(connection);
  } catch (err) {
    void connection.db.destroy();
    throw err;
  }
}
