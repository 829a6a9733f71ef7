/**
 * @module Chooses the store's dialect once, when it opens: the only place that asks which database
 * the configuration names.
 */
import type { ResolvedStoreConfig } from '../store-config.js';
import { PostgresStoreDialect } from './postgres-dialect.js';
import { SqliteStoreDialect } from './sqlite-dialect.js';
import type { StoreDialect } from './store-dialect.js';

export function openStoreDialect(config: ResolvedStoreConfig): StoreDialect {
  return config.backend === 'postgres'
    ? new PostgresStoreDialect({ databaseUrl: config.databaseUrl, pgSchema: config.pgSchema, pgPoolSize: config.pgPoolSize })
    : new SqliteStoreDialect(config.sqlitePath);
}
