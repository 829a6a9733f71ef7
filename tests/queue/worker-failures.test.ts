/**
 * Real worker processes against real Redis and PostgreSQL: a worker killed with SIGKILL in the middle
 * of an ingest (its job stalls and is picked up again), a worker stopped with SIGTERM during an active
 * job (it finishes the job first), and a private Redis killed and restarted mid-run.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LotqaRuntime } from '../../src/queue/lotqa-runtime.js';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { parseStationFile } from '../../src/ingest/parse-station-file.js';
import { findProduct, listShippedProfiles } from '../../src/domain/catalog.js';
import { embeddedResult, PRODUCT, tempDir, testConfig, waitFor, workerEnv, writeLot, openTestRuntime } from './support/queue-fixture.js';
import { spawnWorker, stopWorker, type SpawnedWorker } from './support/worker-process.js';
import { startPrivateRedis } from './support/private-redis.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function track(w: SpawnedWorker): SpawnedWorker {
  cleanups.push(() => stopWorker(w));
  return w;
}

const runtimeFor = (config: ReturnType<typeof testConfig>): Promise<LotqaRuntime> => openTestRuntime(config, cleanups);

/** These tests wait on real worker processes (start-up, stall detection, reconnects) with named waits of up to
 * 60 s each; the test limit must exceed them so a slow run fails on the wait that names what it was waiting for. */
const WORKER_TEST_TIMEOUT_MS = 180_000;
describe('worker processes', () => {
  it(
    'a worker killed with SIGKILL mid-ingest: the job stalls, is picked up again, and the lot has exactly the right measurements',
    async () => {
      const dir = tempDir('kill');
      const written = writeLot(dir, { lot: 'LQ-KILL', units: 24, seed: 21 });
      const config = testConfig({ concurrency: 1, queue: { lockDurationMs: 2000, stalledIntervalMs: 500 } });
      const reference = await embeddedResult(dir, 'LQ-KILL', config);
      const rt = await runtimeFor(config);
      // Evaluate and report run in this process; ingest only in the spawned ones.
      const lotWorkers = await startWorkers(rt, { queues: ['evaluate', 'report'] });
      cleanups.push(() => lotWorkers.close(2000));

      // Four file jobs in flight in the worker that is killed: they die together, whatever their write had reached.
      const slow = track(
        spawnWorker('ingest-worker', workerEnv(config, { LOTQA_TEST_INGEST_DELAY_MS: '2000', LOTQA_INGEST_CONCURRENCY: '4' })),
      );
      await submitFiles(rt.queues, [dir]);
      // The replacement starts now (process start-up takes a few seconds) and shares the queue until the kill.
      track(spawnWorker('ingest-worker', workerEnv(config, { LOTQA_TEST_INGEST_DELAY_MS: '50' })));
      await waitFor('some files ingested', async () => ((await rt.store.lotSummary('LQ-KILL'))?.files ?? 0) >= 3, 30_000, 50);
      // The slow worker's job: the one active for longer than the replacement's 50 ms.
      const active = await waitFor(
        'an active ingest job',
        async () => (await rt.queues.ingest.getActive()).find((j) => j.processedOn !== undefined && Date.now() - j.processedOn > 300),
        20_000,
        20,
      );
      slow.child.kill('SIGKILL');
      expect(await slow.exited).toBe('SIGKILL');
      const decision = await waitFor('the lot decision', async () => (await rt.store.listDecisions('LQ-KILL'))[0], 60_000);
      const killedJob = await rt.queues.ingest.getJob(active.id!);
      expect(await killedJob?.getState()).toBe('completed');
      // The killed worker's jobs were handed back after the kill (the job picked above may, on a loaded
      // machine, have been the replacement's: count the stalled ones among all of them).
      const handedBack = (await rt.queues.ingest.getCompleted()).filter((j) => j.stalledCounter >= 1);
      expect(handedBack.length).toBeGreaterThanOrEqual(1);
      const summary = await rt.store.lotSummary('LQ-KILL');
      expect(summary?.files).toBe(written.manifest.files.length);
      expect(summary?.measurements).toBe(reference.measurements);
      expect(decision.resultSha256).toBe(reference.resultSha256);
    },
    WORKER_TEST_TIMEOUT_MS,
  );

  it('SIGTERM during an active job: the job completes before the worker exits, and no file is stored in part', async () => {
    const dir = tempDir('term');
    writeLot(dir, { lot: 'LQ-TERM', units: 6, seed: 22 });
    const config = testConfig({ concurrency: 1 });
    const rt = await runtimeFor(config);
    const w = track(spawnWorker('ingest-worker', workerEnv(config, { LOTQA_TEST_INGEST_DELAY_MS: '1500' })));
    const submitted = await submitFiles(rt.queues, [dir]);
    const active = await waitFor('an active ingest job', async () => (await rt.queues.ingest.getActive())[0], 20_000, 20);
    w.child.kill('SIGTERM');
    expect(await w.exited).toBe(0);
    expect(await (await rt.queues.ingest.getJob(active.id!))?.getState()).toBe('completed');
    // The rest are still waiting for the next worker, and what is stored is whole.
    const files = await rt.store.listFiles('LQ-TERM');
    expect(files.length).toBeGreaterThanOrEqual(1);
    expect(files.length).toBeLessThan(submitted.length);
    const profiles = listShippedProfiles().map((e) => e.document);
    for (const f of files) {
      const parsed = await parseStationFile(f.path, { product: findProduct(PRODUCT), profiles });
      expect(parsed.kind === 'parsed' ? parsed.file.measurements.length : -1).toBe(f.measurements);
    }
    expect((await rt.queues.ingest.getJobCounts('waiting')).waiting).toBe(submitted.length - files.length);
  });

  it(
    'Redis killed and restarted mid-run: the workers reconnect, the resubmitted lot finishes once, without duplicates',
    // No retry: this test once hung intermittently because evaluation requests made right after the restart
    // were folded into an evaluation that had already run (see tests/queue/evaluation-requests.test.ts).
    { timeout: WORKER_TEST_TIMEOUT_MS },
    async () => {
      const redis = await startPrivateRedis();
      cleanups.push(() => redis.stop());
      const dir = tempDir('redis-lot');
      const written = writeLot(dir, { lot: 'LQ-REDIS', units: 24, seed: 23 });
      const config = testConfig({ redisUrl: redis.url });
      const reference = await embeddedResult(dir, 'LQ-REDIS', config);
      const rt = await runtimeFor(config);
      const pool = await startWorkers(rt);
      cleanups.push(() => pool.close(2000));
      const ingestWorker = track(spawnWorker('ingest-worker', workerEnv(config, { LOTQA_TEST_INGEST_DELAY_MS: '150' })));

      await submitFiles(rt.queues, [dir]);
      await waitFor('some files ingested', async () => ((await rt.store.lotSummary('LQ-REDIS'))?.files ?? 0) >= 4, 30_000, 50);
      redis.kill(); // no persistence: every queued job is gone with it
      await sleep(1500);
      await redis.restart();

      // The producer (or `lotqa watch` on restart) submits again; files already stored are duplicates.
      await waitFor('resubmission after the restart', async () => (await submitFiles(rt.queues, [dir])).length > 0, 20_000, 500);
      const decision = await waitFor('the lot decision', async () => (await rt.store.listDecisions('LQ-REDIS'))[0], 60_000);
      expect(ingestWorker.child.exitCode).toBeNull(); // the spawned worker stayed up and reconnected
      const summary = await rt.store.lotSummary('LQ-REDIS');
      expect(summary?.files).toBe(written.manifest.files.length);
      expect(summary?.measurements).toBe(reference.measurements);
      expect(decision.resultSha256).toBe(reference.resultSha256);
      await sleep(config.queue.settleMs + 500);
      expect(await rt.store.listDecisions('LQ-REDIS')).toHaveLength(1);
    },
  );
});
