/**
 * @module What a queue process works with: configuration, the migrated store, the queues, the acceptance
 * policy, the certificate context and a logger — opened once per process, closed once on shutdown.
 */
import type { Redis } from 'ioredis';
import type { LotqaConfig } from '../config.js';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import type { CertificateContext } from '../domain/decision.js';
import type { StationProfile } from '../domain/station-profile.js';
import { catalogOf, type Catalog } from '../domain/catalog.js';
import type { ProductSpec } from '../domain/product-spec.js';
import { openStore } from '../store/index.js';
import type { RecordFileResult, Store } from '../store/store.js';
import type { ParsedFile } from '../domain/measurement.js';
import { GroupCommit } from '../pipeline/group-commit.js';
import { openQueues, requestEvaluation, type LotqaQueues } from './lotqa-queues.js';
import { bullConnection, createWorkerConnection } from './redis-connection.js';
import { createLogger, type Logger } from './logger.js';
import { measurementCount } from '../domain/measurement-columns.js';

export interface LotqaRuntime {
  readonly config: Readonly<LotqaConfig>;
  readonly store: Store;
  readonly queues: LotqaQueues;
  readonly connection: Redis;
  readonly policy: AcceptancePolicy;
  readonly context: CertificateContext;
  readonly profiles: readonly StationProfile[];
  /** The configured catalogs (shipped + catalogDirs): jobs name documents by id, found here. */
  readonly catalog: Catalog;
  /** Every product of the catalogs (to name the one a file fits when it does not fit its own). */
  readonly products: readonly ProductSpec[];
  readonly log: Logger;
  /**
   * Lots whose manifest quantity this process has recorded or is recording (saves an audit read per file):
   * the file jobs of one lot that start together wait for one recording instead of each reading the
   * manifest (with its serial list) and recording it.
   */
  readonly expectedRecorded: Map<string, Promise<void>>;
  /**
   * The parsed files of this process's concurrent file jobs, written together: files parsed while a
   * write is in flight share the next transaction (one statement per table on PostgreSQL).
   */
  readonly fileWrites: GroupCommit<ParsedFile, RecordFileResult>;
  /** Evaluation requests of this process's file jobs, sent together: one per lot per batch. */
  readonly evaluationRequests: GroupCommit<string, void>;
  close(): Promise<void>;
}

/** Opens the configured store (PostgreSQL when DATABASE_URL is set, else SQLite). */
export function openConfiguredStore(config: Readonly<LotqaConfig>): Store {
  return config.databaseUrl
    ? openStore({ databaseUrl: config.databaseUrl, ...(config.pgSchema ? { pgSchema: config.pgSchema } : {}) })
    : openStore({ sqlitePath: config.sqlitePath });
}

export function certificateContextOf(config: Readonly<LotqaConfig>): CertificateContext {
  return {
    company: { name: config.company.name, address: config.company.address, logoPath: config.company.logoPath ?? null },
    customer: null,
    purchaseOrder: null,
    showStations: config.showStationsOnCertificate,
    signing: config.signing ?? null,
  };
}

/**
 * Opens everything a worker needs. `connection` defaults to a new worker connection (waits for Redis
 * across restarts); pass `store` to share one the caller owns (then `close()` leaves it open).
 */
export async function openRuntime(
  config: Readonly<LotqaConfig>,
  options: { component?: string; store?: Store; connection?: Redis; log?: Logger } = {},
): Promise<LotqaRuntime> {
  const log = options.log ?? createLogger(options.component ?? 'worker');
  // Every document is read and checked before the first job: a bad catalog stops the worker at once.
  const catalog = catalogOf(config);
  catalog.policy(config.policy);
  const ownsStore = options.store === undefined;
  const store = options.store ?? openConfiguredStore(config);
  if (ownsStore) {
    try {
      await store.migrate();
    } catch (err) {
      // A worker waiting for its database tries again with a new store: release this one's pool.
      await store.close().catch(() => undefined);
      throw err;
    }
  }
  const ownsConnection = options.connection === undefined;
  const connection = options.connection ?? createWorkerConnection(config.redisUrl);
  connection.on('error', (err: Error) => log.warn({ err: err.message }, 'redis connection error (retrying)'));
  const queues = openQueues(config, bullConnection(connection));
  const fileWrites = fileWritesTo(store);
  const evaluationRequests = evaluationRequestsOn(queues);
  let closing: Promise<void> | null = null;
  for (const q of queues.all.values()) q.on('error', (err) => log.error({ queue: q.name, err: err.message }, 'queue error'));
  return {
    config,
    store,
    queues,
    connection,
    policy: catalog.policy(config.policy).document,
    context: certificateContextOf(config),
    profiles: catalog.profiles().map((e) => e.document),
    catalog,
    products: catalog.products().map((e) => e.document),
    log,
    expectedRecorded: new Map(),
    fileWrites,
    evaluationRequests,
    // Once, however often it is called (the worker pool closes it on shutdown, and so may its owner).
    close() {
      closing ??= (async () => {
        if (fileWrites.stats.writes > 0) {
          const mean = (s: { writes: number; items: number }): number => Math.round((s.items / Math.max(1, s.writes)) * 10) / 10;
          log.info(
            {
              files: fileWrites.stats.items,
              writes: fileWrites.stats.writes,
              filesPerWrite: mean(fileWrites.stats),
              lotRequestsPerSend: mean(evaluationRequests.stats),
            },
            'group commit',
          );
        }
        await queues.close();
        if (ownsConnection) connection.disconnect();
        if (ownsStore) await store.close();
      })();
      return closing;
    },
  };
}

/** Most measurements in one group-committed write (bounds the statement and the transaction). */
const MAX_MEASUREMENTS_PER_WRITE = 200_000;

function fileWritesTo(store: Store): GroupCommit<ParsedFile, RecordFileResult> {
  return new GroupCommit(
    async (files) => (await store.recordParsedFileBatch(files)).map((o) => (o.ok ? { ok: true as const, value: o.result } : o)),
    // measurementCount: the parser's columns, without building a measurement object per reading.
    { maxItems: 64, weight: (f) => measurementCount(f), maxWeight: MAX_MEASUREMENTS_PER_WRITE },
  );
}

function evaluationRequestsOn(queues: LotqaQueues): GroupCommit<string, void> {
  return new GroupCommit(async (lots) => {
    const unique = [...new Set(lots)];
    const sent = await Promise.allSettled(unique.map((lot) => requestEvaluation(queues, lot, 'ingest')));
    const byLot = new Map(unique.map((lot, i) => [lot, sent[i]!]));
    return lots.map((lot) => {
      const s = byLot.get(lot)!;
      return s.status === 'fulfilled' ? { ok: true as const, value: undefined } : { ok: false as const, error: s.reason as Error };
    });
  });
}
