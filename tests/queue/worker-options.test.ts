import { afterEach, describe, expect, it } from 'vitest';
import type { LotqaRuntime } from '../../src/queue/lotqa-runtime.js';
import { startWorkers, type WorkerPool } from '../../src/queue/lotqa-workers.js';
import { testConfig, openTestRuntime } from './support/queue-fixture.js';
import { loadConfig } from '../../src/config.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** One runtime (one migrated schema, one queue prefix) for the pools of a test: what differs is the pool's options. */
let runtime: Promise<LotqaRuntime> | null = null;
afterEach(() => {
  runtime = null;
});

async function poolWith(options: Parameters<typeof startWorkers>[1]): Promise<WorkerPool> {
  runtime ??= openTestRuntime(testConfig({ concurrency: 3, ingestConcurrency: 32 }), cleanups);
  const pool = await startWorkers(await runtime, options);
  cleanups.push(() => pool.close(2000));
  return pool;
}

const concurrencyOf = (pool: WorkerPool): Record<string, number> => Object.fromEntries(pool.workers.map((w) => [w.name, w.concurrency]));

describe('worker concurrency', () => {
  it('file jobs follow ingestConcurrency (default 32), evaluate and report follow concurrency; sign-off stays one at a time', async () => {
    expect(concurrencyOf(await poolWith({}))).toEqual({ ingest: 32, evaluate: 3, report: 3, 'sign-off': 1 });
    expect(concurrencyOf(await poolWith({ ingestConcurrency: 8 }))).toEqual({ ingest: 8, evaluate: 3, report: 3, 'sign-off': 1 });
    expect(concurrencyOf(await poolWith({ concurrency: 2 }))).toEqual({ ingest: 32, evaluate: 2, report: 2, 'sign-off': 1 });
  });

  it('reads the ingest concurrency from the environment and refuses a bad value with its name', () => {
    expect(loadConfig({ env: { LOTQA_INGEST_CONCURRENCY: '12' }, configPath: undefined }).ingestConcurrency).toBe(12);
    expect(loadConfig({ env: {}, configPath: undefined }).ingestConcurrency).toBe(32);
    expect(() => loadConfig({ env: { LOTQA_INGEST_CONCURRENCY: 'lots' }, configPath: undefined })).toThrow(/ingestConcurrency/);
    expect(() => loadConfig({ env: { LOTQA_INGEST_CONCURRENCY: '0' }, configPath: undefined })).toThrow(/ingestConcurrency/);
  });
});
