/**
 * @module lotqa's measurement store: `openStore()` and the `Store` interface, its records and errors.
 */
export { openStore } from './open-store.js';
export type * from './store.js';
export { resolveStoreConfig, DEFAULT_SQLITE_PATH, type StoreConfig, type StoreBackend, type ResolvedStoreConfig } from './store-config.js';
export { deriveAttempts, type RunOrderKey, type DerivedAttempts } from './attempts.js';
export {
  StoreConfigError,
  StoreInputError,
  LotNotFoundError,
  LotProductConflictError,
  DecisionConflictError,
  RecordConflictError,
  RecordNotFoundError,
  FileStoreError,
  StoreMigrationError,
  StoredDocumentError,
} from './store-errors.js';
