/**
 * Fault tests against real services that the test starts and breaks itself: PostgreSQL cut in the middle
 * of an ingest (through a TCP proxy the test controls), a worker killed with SIGKILL in the middle of a
 * long sandboxed evaluation (its child must not survive it), and Redis refusing the login. Each lot ends
 * with exact counts, one decision and one certificate. (Redis killed and restarted mid-ingest and a
 * worker killed mid-ingest: worker-failures.test.ts; concurrent first use of a fresh store:
 * tests/store/concurrent-migration.test.ts.)
 */
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExitCode } from '../../src/errors/lotqa-error.js';
import type { LotqaRuntime } from '../../src/queue/lotqa-runtime.js';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { bullConnection, connectProducer, RedisUnavailableError } from '../../src/queue/redis-connection.js';
import { openQueues } from '../../src/queue/lotqa-queues.js';
import { RedisLoginError } from '../../src/queue/service-faults.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { pgTestUrl } from '../support/services.js';
import { startPrivateRedis } from './support/private-redis.js';
import { embeddedResult, openTestRuntime, tempDir, testConfig, waitFor, workerEnv, writeLot } from './support/queue-fixture.js';
import { startTcpProxy, throughProxy } from './support/tcp-proxy.js';
import { spawnWorker, stopWorker, type SpawnedWorker } from './support/worker-process.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

function track(w: SpawnedWorker): SpawnedWorker {
  cleanups.push(() => stopWorker(w));
  return w;
}

const runtimeFor = (config: ReturnType<typeof testConfig>): Promise<LotqaRuntime> => openTestRuntime(config, cleanups);

/** The lot ends whole: every file once, the embedded path's readings and result, one decision, one certificate. */
async function expectWholeLot(
  rt: LotqaRuntime,
  lot: string,
  files: number,
  reference: { resultSha256: string; measurements: number; disposition: string },
): Promise<void> {
  expect(reference.disposition).toBe('ACCEPT'); // so that the lot gets a certificate
  const decision = await waitFor('the lot decision', async () => (await rt.store.listDecisions(lot))[0], 60_000);
  await waitFor('the certificate', async () => (await rt.store.listCertificates(lot)).length > 0, 30_000);
  const summary = await rt.store.lotSummary(lot);
  expect(summary?.files).toBe(files);
  expect(summary?.measurements).toBe(reference.measurements);
  expect(decision.resultSha256).toBe(reference.resultSha256);
  expect(decision.disposition).toBe('ACCEPT');
  await sleep(rt.config.queue.settleMs + 300); // a late duplicate evaluation or report would show by now
  expect(await rt.store.listEvaluations(lot)).toHaveLength(1);
  expect(await rt.store.listDecisions(lot)).toHaveLength(1);
  expect(await rt.store.listCertificates(lot)).toHaveLength(1);
}

/** The processes whose parent is `pid`. */
function childrenOf(pid: number): number[] {
  try {
    return execFileSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .split('\n')
      .map((s) => Number(s.trim()))
      .filter((n) => n > 0);
  } catch {
    return []; // ps exits 1 when there are none
  }
}

/** True while the process runs (a zombie waiting for PID 1 to reap it counts as gone). */
function running(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
}

describe('service faults', () => {
  it('PostgreSQL down at start-up and cut in the middle of an ingest: the worker waits, stays up, retries the failed writes, and the lot ends whole', async () => {
    const dir = tempDir('pg-cut');
    const written = writeLot(dir, { lot: 'LQ-PGCUT', units: 24, seed: 24 });
    // Enough retries with backoff (0.3, 0.6, 1.2, 2.4, 4.8 s) to outlast the 1.5 s outage below.
    const config = testConfig({ queue: { attempts: 6, backoffMs: 300 } });
    const reference = await embeddedResult(dir, 'LQ-PGCUT', config);
    const rt = await runtimeFor(config);
    const pool = await startWorkers(rt, { queues: ['evaluate', 'report'] });
    cleanups.push(() => pool.close(2000));
    const pg = new URL(pgTestUrl());
    const proxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
    cleanups.push(() => proxy.close());
    await proxy.cut(); // the worker starts while its database is unreachable: it must wait, not die
    const worker = track(
      spawnWorker(
        'ingest-worker',
        workerEnv(config, {
          DATABASE_URL: throughProxy(pgTestUrl(), proxy),
          LOTQA_INGEST_CONCURRENCY: '4',
          LOTQA_TEST_INGEST_DELAY_MS: '100',
        }),
      ),
    );

    await submitFiles(rt.queues, [dir]);
    await waitFor('the worker waiting for PostgreSQL', () => /a service is unreachable; waiting for it/.test(worker.output()), 20_000, 50);
    expect(worker.child.exitCode).toBeNull();
    await proxy.restore();
    await waitFor('some files ingested', async () => ((await rt.store.lotSummary('LQ-PGCUT'))?.files ?? 0) >= 3, 30_000, 50);
    const before = proxy.connections();
    await proxy.cut(); // open connections die mid-query; new ones are refused
    await sleep(1500);
    await proxy.restore();

    await expectWholeLot(rt, 'LQ-PGCUT', written.manifest.files.length, reference);
    expect(worker.child.exitCode).toBeNull(); // it rode out the cut
    expect(worker.output()).not.toMatch(/uncaught/i);
    expect(proxy.connections()).toBeGreaterThan(before); // it reconnected
    // The cut hit file jobs in flight; they failed, were retried with backoff and completed; none gave up.
    const retried = (await rt.queues.ingest.getCompleted()).filter((j) => j.attemptsMade > 1);
    expect(retried.length).toBeGreaterThan(0);
    expect((await rt.queues.ingest.getJobCounts('failed')).failed).toBe(0);
  });

  it('a worker killed with SIGKILL during a long sandboxed evaluation: its child dies too, another worker decides the lot once', async () => {
    const dir = tempDir('kill-eval');
    const written = writeLot(dir, { lot: 'LQ-KILLEVAL', units: 24, seed: 25 });
    const config = testConfig({ queue: { lockDurationMs: 2000, stalledIntervalMs: 500, sandboxed: true } });
    const reference = await embeddedResult(dir, 'LQ-KILLEVAL', config);
    const rt = await runtimeFor(config);
    const pool = await startWorkers(rt, { queues: ['ingest', 'report'], sandboxed: false });
    cleanups.push(() => pool.close(2000));
    // The evaluation's thread spins for a minute without yielding, as a long evaluation does. From the
    // sources: their sandboxed child must load TypeScript (the compiled worker's: tests/queue/cli-worker).
    const doomed = track(spawnWorker('evaluate-worker', workerEnv(config, { LOTQA_TEST_EVALUATE_BUSY_MS: '60000' }), { from: 'sources' }));

    await submitFiles(rt.queues, [dir]);
    await waitFor('an active evaluation', async () => (await rt.queues.evaluate.getActive()).length > 0, 60_000, 50);
    const [child] = await waitFor('the sandboxed child', () => {
      const pids = childrenOf(doomed.child.pid!);
      return pids.length > 0 ? pids : null;
    });
    expect(running(child!)).toBe(true);
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toBe('SIGKILL');
    await waitFor('the orphaned child to exit', () => !running(child!), 5000, 50);

    // A healthy evaluate worker takes the stalled job over.
    const replacement = await startWorkers(rt, { queues: ['evaluate'], sandboxed: false });
    cleanups.push(() => replacement.close(2000));
    await expectWholeLot(rt, 'LQ-KILLEVAL', written.manifest.files.length, reference);
  });

  it('Redis refuses the login, or the database does not exist: the producer and the worker say so and stop with exit code 2 instead of retrying', async () => {
    const redis = await startPrivateRedis();
    redis.cli('config', 'set', 'requirepass', 'right-password');
    cleanups.push(() => {
      redis.cli('-a', 'right-password', '--no-auth-warning', 'shutdown', 'nosave');
      return Promise.resolve();
    });
    const wrongUrl = `redis://:wrong-password@127.0.0.1:${redis.port}`;

    const refused = await connectProducer(wrongUrl).then(
      () => null,
      (err: unknown) => err,
    );
    expect(refused).toBeInstanceOf(RedisLoginError);
    expect((refused as RedisLoginError).message).toMatch(/refused the login/);
    expect((refused as RedisLoginError).message).not.toContain('wrong-password'); // the address is redacted
    expect((refused as RedisLoginError).exitCode).toBe(ExitCode.configOrService);

    const config = testConfig({ redisUrl: wrongUrl });
    const worker = track(spawnWorker('ingest-worker', workerEnv(config)));
    expect(await worker.exited).toBe(ExitCode.configOrService);
    expect(worker.output()).toMatch(/lotqa ingest-worker: Redis at redis:\/\/127\.0\.0\.1:\d+ refused the login/);
    expect(worker.output()).toMatch(/hint: put the right user and password in REDIS_URL/);

    // The same for PostgreSQL: a database that does not exist is not waited for either.
    const noDatabase = new URL(pgTestUrl());
    noDatabase.pathname = '/lotqa_no_such_database';
    const pgWorker = track(spawnWorker('ingest-worker', workerEnv(testConfig(), { DATABASE_URL: noDatabase.toString() })));
    expect(await pgWorker.exited).toBe(ExitCode.configOrService);
    expect(pgWorker.output()).toMatch(/lotqa ingest-worker: cannot open the store at .*lotqa_no_such_database.*create the database first/);
    expect(pgWorker.output()).not.toMatch(/waiting for it/);
  });

  it('submit cut off by Redis says what happened, how far it got and that submitting again is safe', async () => {
    const redis = await startPrivateRedis();
    cleanups.push(() => redis.stop());
    const config = testConfig({ redisUrl: redis.url });
    const dir = tempDir('submit-cut');
    writeLot(dir, { lot: 'LQ-SUBMITCUT', units: 3, seed: 26 });
    const conn = await connectProducer(redis.url);
    const queues = openQueues(config, bullConnection(conn));
    for (const q of queues.all.values()) q.on('error', () => undefined); // as withProducerQueues does
    cleanups.push(async () => {
      await queues.close().catch(() => undefined);
      conn.disconnect();
    });
    redis.kill();
    await waitFor('the producer to see Redis gone', () => conn.status !== 'ready', 5000, 20);
    const err = await submitFiles(queues, [dir]).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(RedisUnavailableError);
    expect((err as RedisUnavailableError).message).toMatch(
      /the connection to Redis was lost while files were being queued \(.+\): 0 of 3 files were queued before it/,
    );
    expect((err as RedisUnavailableError).hint).toMatch(/run the same `lotqa submit` again/);
    expect((err as RedisUnavailableError).exitCode).toBe(ExitCode.configOrService);
  });
});
