/**
 * @module How to open a store: which backend, where, and in which PostgreSQL schema.
 */
import { resolve } from 'node:path';
import { StoreConfigError } from './store-errors.js';

export type StoreBackend = 'sqlite' | 'postgres';

export interface StoreConfig {
  /**
   * `postgres://…` / `postgresql://…` for PostgreSQL, or `sqlite:<path>` / `file:<path>` for SQLite.
   * @defaultValue `process.env.DATABASE_URL` when `sqlitePath` is not given either.
   */
  readonly databaseUrl?: string;
  /**
   * SQLite database file (`:memory:` allowed), relative to the working folder.
   * @defaultValue `./lotqa.sqlite`
   */
  readonly sqlitePath?: string;
  /**
   * PostgreSQL schema that holds every table (created by `migrate()` if missing). Letters, digits and
   * underscores only.
   * @defaultValue `public`
   */
  readonly pgSchema?: string;
  /** Connections in the PostgreSQL pool. @defaultValue 10 */
  readonly pgPoolSize?: number;
}

export type ResolvedStoreConfig =
  | { readonly backend: 'sqlite'; readonly sqlitePath: string }
  | { readonly backend: 'postgres'; readonly databaseUrl: string; readonly pgSchema: string; readonly pgPoolSize: number };

export const DEFAULT_SQLITE_PATH = './lotqa.sqlite';

const SCHEMA_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/**
 * Picks the backend. Precedence: `config.databaseUrl`, then `config.sqlitePath`, then the
 * `DATABASE_URL` environment variable, then `./lotqa.sqlite` — so a caller that names a SQLite file
 * explicitly is never redirected by the environment.
 */
export function resolveStoreConfig(config: StoreConfig = {}, env: NodeJS.ProcessEnv = process.env): ResolvedStoreConfig {
  const url = config.databaseUrl ?? (config.sqlitePath === undefined ? env.DATABASE_URL : undefined);
  if (url !== undefined && url !== '') {
    if (/^postgres(ql)?:\/\//i.test(url)) {
      const pgSchema = config.pgSchema ?? 'public';
      if (!SCHEMA_NAME.test(pgSchema)) {
        throw new StoreConfigError(
          `PostgreSQL schema name "${pgSchema}" is not allowed: use letters, digits and underscores (max 63), starting with a letter or underscore.`,
        );
      }
      const pgPoolSize = config.pgPoolSize ?? 10;
      return { backend: 'postgres', databaseUrl: url, pgSchema, pgPoolSize };
    }
    const sqliteMatch = /^(?:sqlite|file):(.+)$/i.exec(url);
    if (sqliteMatch?.[1]) return { backend: 'sqlite', sqlitePath: normaliseSqlitePath(sqliteMatch[1]) };
    throw new StoreConfigError(
      `Database URL "${redactUrl(url)}" is not supported: use postgres://user@host:5432/db for PostgreSQL, or sqlite:<file> (or leave DATABASE_URL unset) for SQLite.`,
    );
  }
  return { backend: 'sqlite', sqlitePath: normaliseSqlitePath(config.sqlitePath ?? DEFAULT_SQLITE_PATH) };
}

function normaliseSqlitePath(path: string): string {
  return path === ':memory:' ? path : resolve(path);
}

/** The URL without its password, for messages and `store.location`. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/:[^:@/]*@/, ':***@');
  }
}
