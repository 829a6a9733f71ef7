/**
 * A lot through the queues (ingest → evaluate → report) against real Redis and PostgreSQL ends with the
 * same LotResult as the embedded path, one decision and one certificate; a poison file (unreadable, or
 * refused by the store) fails without retries and the rest of the lot proceeds; submitting the same
 * files twice processes them once.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LotqaRuntime } from '../../src/queue/lotqa-runtime.js';
import { startWorkers, type WorkerPool } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { ingestJobId } from '../../src/queue/job-ids.js';
import { embeddedResult, failedJob, tempDir, testConfig, waitFor, writeLot, openTestRuntime } from './support/queue-fixture.js';
import { findProduct, findProfile } from '../../src/domain/catalog.js';
import { generateLot, writeLotFiles } from '../../src/sim/index.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function start(config = testConfig()): Promise<{ rt: LotqaRuntime; pool: WorkerPool }> {
  const rt = await openTestRuntime(config, cleanups);
  const pool = await startWorkers(rt);
  cleanups.push(() => pool.close(5000));
  return { rt, pool };
}

describe('a lot through the queues', () => {
  it('ends with exactly the LotResult of the embedded path, one decision and one certificate', async () => {
    const dir = tempDir('lot');
    const written = writeLot(dir, { lot: 'LQ-DIST-1', units: 24, seed: 12 });
    // Many file jobs in flight, so files are written in shared transactions (group commit).
    const config = testConfig({ ingestConcurrency: 16 });
    const reference = await embeddedResult(dir, 'LQ-DIST-1', config);
    const { rt } = await start(config);

    const submitted = await submitFiles(rt.queues, [dir]);
    expect(submitted).toHaveLength(written.manifest.files.length);
    expect(submitted.every((s) => s.jobId === ingestJobId(s.sha256) && !s.jobId.includes(':'))).toBe(true);

    const decided = await waitFor('the lot decision', async () => (await rt.store.listDecisions('LQ-DIST-1'))[0], 60_000);
    const evaluation = await rt.store.latestEvaluation('LQ-DIST-1');
    expect(evaluation?.revision).toBe(1);
    expect(evaluation?.resultSha256).toBe(reference.resultSha256);
    expect(decided.resultSha256).toBe(reference.resultSha256);
    expect(decided.disposition).toBe(reference.disposition);
    expect((await rt.store.lotSummary('LQ-DIST-1'))?.measurements).toBe(reference.measurements);
    expect(rt.fileWrites.stats.items).toBe(written.manifest.files.length);
    expect(rt.fileWrites.stats.writes).toBeLessThan(written.manifest.files.length); // some files shared a write
    expect(decided.disposition).toBe('ACCEPT'); // this seed's lot is accepted, so it must be certified
    await waitFor('the certificate', async () => (await rt.store.listCertificates('LQ-DIST-1')).length > 0, 30_000);
    await waitFor('report job', async () => (await rt.queues.report.getJobCounts('completed')).completed === 1, 30_000);

    // The same files again: same job ids, nothing new stored, still one decision.
    const again = await submitFiles(rt.queues, [dir]);
    expect(again.map((s) => s.jobId)).toEqual(submitted.map((s) => s.jobId));
    await new Promise((r) => setTimeout(r, 800));
    expect(await rt.store.listDecisions('LQ-DIST-1')).toHaveLength(1);
    expect(await rt.store.listEvaluations('LQ-DIST-1')).toHaveLength(1);
    expect((await rt.store.lotSummary('LQ-DIST-1'))?.files).toBe(written.manifest.files.length);
    expect(await rt.store.listCertificates('LQ-DIST-1')).toHaveLength(1);
  });

  it('fails a poison file once, with its reason, keeps it in the failed set, and the rest of the lot proceeds', async () => {
    const dir = tempDir('poison');
    writeLot(dir, { lot: 'LQ-POISON', units: 20, seed: 12 });
    const poison = join(dir, 'zz-broken.csv');
    writeFileSync(poison, '\u0000\u0001 this is not a station file\n');
    const { rt } = await start();

    const submitted = await submitFiles(rt.queues, [dir]);
    const poisonJobId = submitted.find((s) => s.path === poison)!.jobId;
    await waitFor('the decision of the rest', async () => (await rt.store.listDecisions('LQ-POISON'))[0], 60_000);
    expect((await rt.store.lotSummary('LQ-POISON'))?.units).toBe(20);

    const job = await rt.queues.ingest.getJob(poisonJobId);
    expect(await job?.getState()).toBe('failed');
    expect(job?.attemptsMade).toBe(1); // UnrecoverableError: no retries despite attempts: 3
    expect(job?.failedReason).toMatch(/zz-broken\.csv: rejected \(binary-content/);
    // Recorded once, with the reason the job gave, and nothing of it among the lot's files.
    const rejected = (await rt.store.listRejectedFiles()).filter((r) => r.name === 'zz-broken.csv');
    expect(rejected.map((r) => r.reason)).toEqual(['binary-content']);
    expect((await rt.store.listFiles('LQ-POISON')).map((f) => f.path)).not.toContain(poison);
    expect((await rt.store.lotSummary('LQ-POISON'))?.files).toBe(submitted.length - 1);
  });

  it('fails a file the store refuses (its lot belongs to another product) once, with the reason, and stores nothing of it', async () => {
    const { rt } = await start();
    const first = tempDir('product-a');
    writeLot(first, { lot: 'LQ-CONFLICT', units: 3, seed: 13 });
    await submitFiles(rt.queues, [first]);
    await waitFor('the first product stored', async () => ((await rt.store.lotSummary('LQ-CONFLICT'))?.units ?? 0) === 3, 30_000);

    // The same lot id again, from a station set up for another product.
    const other = tempDir('product-b');
    const spec = findProduct('osfp-800g-dr8');
    writeLotFiles(generateLot({ spec, lot: 'LQ-CONFLICT', units: 1, seed: 14 }), findProfile('long-generic'), other);
    const [wrong] = await submitFiles(rt.queues, [other], { product: 'osfp-800g-dr8' });
    const job = await failedJob(rt.queues.ingest, wrong!.jobId, 'the refused job', 30_000);
    expect(job.attemptsMade).toBe(1); // no retries: the same file would be refused again
    expect(job.failedReason).toMatch(/refused by the store: .*LQ-CONFLICT/);
    expect((await rt.store.lotSummary('LQ-CONFLICT'))?.units).toBe(3);
    expect((await rt.store.listFiles('LQ-CONFLICT')).some((f) => f.sha256 === wrong!.sha256)).toBe(false);
  });
});
