/**
 * Several files per ingest job (submit's filesPerJob): the lot comes out as with a job per file (the
 * embedded path's LotResult), a refused file still ends as its own failed file job with its reason, a
 * batch delivered twice (a retry after a crash) stores nothing twice, and a worker killed mid-batch loses
 * nothing: its batch is handed back and the files it had committed are duplicates the second time.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ingestJobId, type IngestBatchJobData } from '../../src/queue/job-ids.js';
import { processIngestBatch } from '../../src/queue/lot-processors.js';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { embeddedResult, failedJob, openTestRuntime, tempDir, testConfig, waitFor, workerEnv, writeLot } from './support/queue-fixture.js';
import { spawnWorker, stopWorker } from './support/worker-process.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

describe('ingest batch jobs', () => {
  it('a lot in batches of 5 files: one job per batch, the same LotResult as embedded, a poison file failed as its own file job', async () => {
    const dir = tempDir('batches');
    const written = writeLot(dir, { lot: 'LQ-BATCH', units: 18, seed: 31 });
    const poison = join(dir, 'zz-broken.csv');
    writeFileSync(poison, '\u0000\u0001 this is not a station file\n');
    const config = testConfig({ ingestConcurrency: 2 });
    const reference = await embeddedResult(dir, 'LQ-BATCH', config);
    const rt = await openTestRuntime(config, cleanups);

    const submitted = await submitFiles(rt.queues, [dir], { filesPerJob: 5 });
    const jobIds = new Set(submitted.map((s) => s.jobId));
    expect(jobIds.size).toBe(Math.ceil(submitted.length / 5));
    expect([...jobIds].every((id) => id.startsWith('ingest-batch-') && !id.includes(':'))).toBe(true);
    // The same folder again makes the same batches: BullMQ keeps one job each.
    expect((await submitFiles(rt.queues, [dir], { filesPerJob: 5 })).map((s) => s.jobId)).toEqual(submitted.map((s) => s.jobId));
    expect((await rt.queues.ingest.getJobCounts('waiting')).waiting).toBe(jobIds.size);

    const pool = await startWorkers(rt);
    cleanups.push(() => pool.close(5000));
    const decision = await waitFor('the lot decision', async () => (await rt.store.listDecisions('LQ-BATCH'))[0], 60_000);
    expect(decision.resultSha256).toBe(reference.resultSha256);
    const summary = await rt.store.lotSummary('LQ-BATCH');
    expect(summary?.files).toBe(written.manifest.files.length);
    expect(summary?.measurements).toBe(reference.measurements);

    // The poison file: handed to its own file job, which fails once with the reason, as when submitted alone.
    const poisonSha = submitted.find((s) => s.path === poison)!.sha256;
    const own = await failedJob(rt.queues.ingest, ingestJobId(poisonSha), 'the poison file job failed', 30_000);
    expect(own.attemptsMade).toBe(1);
    expect(own.failedReason).toMatch(/zz-broken\.csv: rejected \(binary-content/);
    expect((await rt.store.listRejectedFiles()).filter((r) => r.name === 'zz-broken.csv').map((r) => r.reason)).toEqual(['binary-content']);
    // Its batch completed, naming the file it handed off.
    const batch = await rt.queues.ingest.getJob(submitted.find((s) => s.path === poison)!.jobId);
    expect(await batch?.getState()).toBe('completed');
    expect((batch?.returnvalue as { handedOff: string[] }).handedOff).toEqual([poison]);
  });

  it('a batch delivered twice (a retry after a crash that had committed it) stores every file once', async () => {
    const dir = tempDir('batch-twice');
    const written = writeLot(dir, { lot: 'LQ-TWICE', units: 6, seed: 32 });
    const config = testConfig();
    const rt = await openTestRuntime(config, cleanups);
    // Built by submit (paused queue, so no worker takes it), then run by hand twice.
    await rt.queues.ingest.pause();
    const submitted = await submitFiles(rt.queues, [dir], { filesPerJob: 100 });
    const job = (await rt.queues.ingest.getJob(submitted[0]!.jobId))!;
    const data = job.data as IngestBatchJobData;
    expect(data.files).toHaveLength(written.manifest.files.length);
    const delivery = { id: job.id, data, attemptsMade: 0, opts: { attempts: 3 }, updateProgress: () => Promise.resolve() };
    const first = await processIngestBatch(rt, delivery);
    const after = await rt.store.lotSummary('LQ-TWICE');
    const second = await processIngestBatch(rt, { ...delivery, attemptsMade: 1 });
    expect(first).toMatchObject({ files: data.files.length, stored: data.files.length, duplicate: 0, handedOff: [] });
    expect(second).toMatchObject({ files: data.files.length, stored: 0, duplicate: data.files.length, handedOff: [] });
    expect(await rt.store.lotSummary('LQ-TWICE')).toEqual(after);
    expect(after?.files).toBe(written.manifest.files.length);
  });

  it('a worker killed with SIGKILL mid-batch: the batch is handed back and the lot has exactly the right measurements', async () => {
    const dir = tempDir('batch-kill');
    const written = writeLot(dir, { lot: 'LQ-BKILL', units: 24, seed: 33 });
    const config = testConfig({ concurrency: 1, queue: { lockDurationMs: 2000, stalledIntervalMs: 500 } });
    const reference = await embeddedResult(dir, 'LQ-BKILL', config);
    const rt = await openTestRuntime(config, cleanups);
    const lotWorkers = await startWorkers(rt, { queues: ['evaluate', 'report'] });
    cleanups.push(() => lotWorkers.close(2000));

    const slow = spawnWorker('ingest-worker', workerEnv(config, { LOTQA_TEST_INGEST_DELAY_MS: '3000', LOTQA_INGEST_CONCURRENCY: '1' }));
    cleanups.push(() => stopWorker(slow));
    await submitFiles(rt.queues, [dir], { filesPerJob: 6 });
    const active = await waitFor('a batch taken by the slow worker', async () => (await rt.queues.ingest.getActive())[0], 30_000, 20);
    slow.child.kill('SIGKILL');
    expect(await slow.exited).toBe('SIGKILL');
    const replacement = spawnWorker('ingest-worker', workerEnv(config, { LOTQA_TEST_INGEST_DELAY_MS: '20' }));
    cleanups.push(() => stopWorker(replacement));

    const decision = await waitFor('the lot decision', async () => (await rt.store.listDecisions('LQ-BKILL'))[0], 90_000);
    const killed = (await rt.queues.ingest.getJob(active.id!))!;
    expect(await killed.getState()).toBe('completed');
    expect(killed.stalledCounter).toBeGreaterThanOrEqual(1);
    const summary = await rt.store.lotSummary('LQ-BKILL');
    expect(summary?.files).toBe(written.manifest.files.length);
    expect(summary?.measurements).toBe(reference.measurements);
    expect(decision.resultSha256).toBe(reference.resultSha256);
  }, 180_000);
});
