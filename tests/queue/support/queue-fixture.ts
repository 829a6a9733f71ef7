/**
 * Shared setup for the queue tests: a configuration with its own queue prefix and PostgreSQL schema and
 * short intervals, a synthetic lot on disk, the embedded reference result, Redis cleanup and waiting.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Job, Queue } from 'bullmq';
import { loadConfig, type LotqaConfig } from '../../../src/config.js';
import { findPolicy } from '../../../src/acceptance/policy-catalog.js';
import { findProduct, findProfile, listShippedProfiles } from '../../../src/domain/catalog.js';
import { collectStationFiles } from '../../../src/pipeline/collect-files.js';
import { ingestFiles } from '../../../src/pipeline/ingest-files.js';
import { signOffLot } from '../../../src/pipeline/sign-off-lot.js';
import { certificateContextOf, openRuntime, type LotqaRuntime } from '../../../src/queue/lotqa-runtime.js';
import { createLogger } from '../../../src/queue/logger.js';
import { generateLot, writeLotFiles, type GenerateLotOptions, type WriteLotResult } from '../../../src/sim/index.js';
import { openStore } from '../../../src/store/index.js';
import { startWorkers } from '../../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../../src/queue/submit-files.js';
import { pgTestUrl, redisTestUrl, uniqueName } from '../../support/services.js';

export const PRODUCT = 'qsfp112-400g-dr4';

export function tempDir(label: string): string {
  return mkdtempSync(join(tmpdir(), `lotqa-${label}-`));
}

/** A test configuration: private prefix and schema, short lock/stall/settle times, no sandbox. */
export function testConfig(
  overrides: { queue?: Partial<LotqaConfig['queue']>; redisUrl?: string } & Partial<Omit<LotqaConfig, 'queue'>> = {},
): Readonly<LotqaConfig> {
  const { queue, ...rest } = overrides;
  return loadConfig({
    env: {},
    configPath: undefined,
    overrides: {
      redisUrl: redisTestUrl(),
      databaseUrl: pgTestUrl(),
      pgSchema: uniqueName('q'),
      queuePrefix: uniqueName('lotqa'),
      reportsDir: tempDir('reports'),
      // A certificate is never issued in the name of lotqa's placeholder company.
      company: { name: 'Queue Test Photonics Ltd.', address: ['1 Test Road'] },
      concurrency: 2,
      // Tests reason about how many files are in flight: by default as many as `concurrency`.
      ingestConcurrency: rest.ingestConcurrency ?? rest.concurrency ?? 2,
      ...rest,
      queue: {
        attempts: 3,
        backoffMs: 100,
        lockDurationMs: 5000,
        stalledIntervalMs: 1000,
        maxStalledCount: 2,
        settleMs: 300,
        shutdownTimeoutMs: 10_000,
        sandboxed: false,
        ...queue,
      },
    },
  });
}

/** Environment for a spawned worker process with the same configuration. */
export function workerEnv(config: Readonly<LotqaConfig>, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  // The company has no environment variable: the worker reads it from a configuration file.
  const configFile = join(tempDir('config'), 'lotqa.config.json');
  writeFileSync(configFile, JSON.stringify({ company: config.company }));
  return {
    ...process.env,
    LOTQA_CONFIG: configFile,
    REDIS_URL: config.redisUrl,
    DATABASE_URL: config.databaseUrl ?? '',
    LOTQA_PG_SCHEMA: config.pgSchema ?? '',
    LOTQA_QUEUE_PREFIX: config.queuePrefix,
    LOTQA_REPORTS_DIR: config.reportsDir,
    LOTQA_CONCURRENCY: String(config.concurrency),
    LOTQA_INGEST_CONCURRENCY: String(config.ingestConcurrency),
    LOTQA_QUEUE_ATTEMPTS: String(config.queue.attempts),
    LOTQA_BACKOFF_MS: String(config.queue.backoffMs),
    LOTQA_LOCK_DURATION_MS: String(config.queue.lockDurationMs),
    LOTQA_STALLED_INTERVAL_MS: String(config.queue.stalledIntervalMs),
    LOTQA_MAX_STALLED_COUNT: String(config.queue.maxStalledCount),
    LOTQA_SETTLE_MS: String(config.queue.settleMs),
    LOTQA_SHUTDOWN_TIMEOUT_MS: String(config.queue.shutdownTimeoutMs),
    LOTQA_SANDBOX: String(config.queue.sandboxed),
    LOTQA_LOG_LEVEL: process.env.LOTQA_TEST_WORKER_LOG ?? 'warn',
    ...extra,
  };
}

/** Writes a synthetic lot (long-generic profile) with its manifest.json into `dir`. */
export function writeLot(
  dir: string,
  options: { lot: string; units: number; seed: number } & Partial<Omit<GenerateLotOptions, 'spec'>>,
): WriteLotResult {
  const lot = generateLot({ spec: findProduct(PRODUCT), ...options });
  return writeLotFiles(lot, findProfile('long-generic'), dir);
}

/** The embedded path on the same files: ingestFiles into a fresh SQLite store, then signOffLot. */
export async function embeddedResult(
  dir: string,
  lot: string,
  config: Readonly<LotqaConfig>,
): Promise<{ resultSha256: string; disposition: string; measurements: number }> {
  const work = tempDir('embedded');
  const store = openStore({ sqlitePath: join(work, 'embedded.sqlite') });
  try {
    await store.migrate();
    const files = await collectStationFiles([dir]);
    await ingestFiles(store, files, { product: findProduct(PRODUCT), profiles: listShippedProfiles().map((e) => e.document) });
    const done = await signOffLot(store, lot, { policy: findPolicy(config.policy), reports: null });
    const summary = await store.lotSummary(lot);
    return {
      resultSha256: done.evaluated.resultSha256,
      disposition: done.signOff.decision.disposition,
      measurements: summary?.measurements ?? -1,
    };
  } finally {
    await store.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * A runtime for one test (its own queue prefix and schema come from `config`); `cleanups` gets the step
 * that closes it and deletes its Redis keys. Log level from LOTQA_TEST_LOG (default silent).
 */
export async function openTestRuntime(config: Readonly<LotqaConfig>, cleanups: (() => Promise<void>)[]): Promise<LotqaRuntime> {
  const rt = await openRuntime(config, { log: createLogger('test', process.env.LOTQA_TEST_LOG ?? 'silent') });
  cleanups.push(async () => {
    await rt.close();
    await deleteQueueKeys(config.redisUrl, config.queuePrefix).catch(() => undefined);
  });
  return rt;
}

/** Deletes every Redis key under the prefix. */
export async function deleteQueueKeys(redisUrl: string, prefix: string): Promise<void> {
  const r = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  try {
    let cursor = '0';
    do {
      const [next, keys] = await r.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) await r.del(...keys);
    } while (cursor !== '0');
  } finally {
    r.disconnect();
  }
}

/** Polls `check` until it returns a non-null value or the time is up. */
export async function waitFor<T>(
  what: string,
  check: () => T | null | undefined | false | Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
  everyMs = 100,
): Promise<T> {
  const until = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < until) {
    try {
      const v = await check();
      if (v !== null && v !== undefined && v !== false) return v;
    } catch (err) {
      last = err;
    }
    await sleep(everyMs);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
}

/**
 * The job once it has failed for good. The state is read first, then the job: a job read before its last
 * attempt failed keeps that moment's attemptsMade and no failedReason, and under load that attempt can fail
 * between the two reads. Failed (retries exhausted or unrecoverable) is final, so a read after it is settled.
 */
export function failedJob(queue: Queue, jobId: string, what: string, timeoutMs = 60_000): Promise<Job> {
  return waitFor(
    what,
    async () => ((await queue.getJobState(jobId)) === 'failed' ? ((await queue.getJob(jobId)) ?? null) : null),
    timeoutMs,
  );
}

export { certificateContextOf };

type StoredEvaluation = NonNullable<Awaited<ReturnType<LotqaRuntime['store']['latestEvaluation']>>>;

/**
 * Submits the folders one after the other to workers of a runtime of its own, one ingest at a time, each
 * folder stored before the next is submitted (so the order of submission is the order of storing); resolves
 * with the runtime and the lot's latest evaluation once it covers all `files` and is decided.
 */
export async function decidedInSubmissionOrder(
  lot: string,
  folders: readonly string[],
  files: number,
  cleanups: (() => Promise<void>)[],
): Promise<{ rt: LotqaRuntime; evaluation: StoredEvaluation }> {
  const rt = await openTestRuntime(testConfig({ ingestConcurrency: 1 }), cleanups);
  const pool = await startWorkers(rt);
  cleanups.push(() => pool.close(5000));
  for (const folder of folders) {
    const submitted = await submitFiles(rt.queues, [folder]);
    await waitFor(
      `${folder} stored`,
      async () => {
        const stored = new Set((await rt.store.listFiles(lot)).map((f) => f.sha256));
        return submitted.every((s) => stored.has(s.sha256));
      },
      60_000,
    );
  }
  const evaluation = await waitFor(
    'the decision on every file',
    async () => {
      const latest = await rt.store.latestEvaluation(lot);
      if (latest?.result.fileHashes.length !== files) return null;
      const decided = (await rt.store.listDecisions(lot)).some((d) => d.revision === latest.revision);
      return decided ? latest : null;
    },
    60_000,
  );
  return { rt, evaluation };
}
