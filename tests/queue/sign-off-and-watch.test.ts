/**
 * The scheduled sign-off (catch-up by scanning the store, exactly one decision and one certificate per
 * revision however many runs race), the scheduler upsert, lot completeness from close-lot / manifest,
 * the drop-folder watcher, and producer fail-fast — against real Redis and PostgreSQL.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { existsSync, readdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { LotqaRuntime } from '../../src/queue/lotqa-runtime.js';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { processSignOff } from '../../src/queue/lot-processors.js';
import { closeLot, lotCompleteness } from '../../src/queue/lot-completeness.js';
import { getSignOffSchedule, upsertSignOffSchedule, removeSignOffSchedule, runSignOffNow } from '../../src/queue/sign-off-schedule.js';
import { watchDropFolder, type WatchEvent } from '../../src/queue/drop-folder-watcher.js';
import { connectProducer, redisOptionsFromUrl, RedisUnavailableError } from '../../src/queue/redis-connection.js';
import { tempDir, testConfig, waitFor, workerEnv, writeLot, openTestRuntime } from './support/queue-fixture.js';
import { spawnWorker, stopWorker } from './support/worker-process.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

const runtimeFor = (config: ReturnType<typeof testConfig>): Promise<LotqaRuntime> => openTestRuntime(config, cleanups);

const fakeJob = { attemptsMade: 0, opts: {}, updateProgress: () => Promise.resolve(), data: { kind: 'sign-off' as const } };

describe('scheduled sign-off', () => {
  it('catches up on every complete lot after downtime, skips open ones, and racing runs make one decision and one certificate per revision', async () => {
    const config = testConfig();
    const rt = await runtimeFor(config);
    // Only ingest runs: evaluation is "down", so nothing gets decided on its own.
    const pool = await startWorkers(rt, { queues: ['ingest'] });
    cleanups.push(() => pool.close(2000));
    const a = tempDir('lot-a');
    const b = tempDir('lot-b');
    const c = tempDir('lot-c');
    writeLot(a, { lot: 'LQ-SA', units: 20, seed: 31 });
    writeLot(b, { lot: 'LQ-SB', units: 20, seed: 32 });
    writeLot(c, { lot: 'LQ-SC', units: 20, seed: 33 });
    rmManifest(c); // no expected quantity: open until closed
    await submitFiles(rt.queues, [a, b]);
    await submitFiles(rt.queues, [c], { product: 'qsfp112-400g-dr4' });
    await waitFor('all three lots stored', async () => (await rt.store.listLots()).filter((l) => l.units === 20).length === 3, 30_000);
    await closeLot(rt.store, 'LQ-SB', { actor: 'test' }); // closed now (also has its manifest quantity)

    // Two sign-off runs at once, each with its own store connection pool.
    const rt2 = await runtimeFor({ ...config });
    const [r1, r2] = await Promise.all([processSignOff(rt, fakeJob), processSignOff(rt2, fakeJob)]);
    expect(r1.scanned).toBe(3);
    expect(r1.waiting.map((w) => w.lot)).toEqual(['LQ-SC']);
    const created = [...r1.signedOff, ...r2.signedOff]
      .filter((s) => s.created)
      .map((s) => s.lot)
      .sort();
    expect(created).toEqual(['LQ-SA', 'LQ-SB']); // each decided by exactly one of the two runs
    for (const lot of ['LQ-SA', 'LQ-SB']) {
      expect(await rt.store.listDecisions(lot)).toHaveLength(1);
      expect(await rt.store.listEvaluations(lot)).toHaveLength(1);
      const decision = (await rt.store.listDecisions(lot))[0]!;
      expect(await rt.store.listCertificates(lot)).toHaveLength(decision.disposition === 'ACCEPT' ? 1 : 0);
    }
    expect(await rt.store.listDecisions('LQ-SC')).toHaveLength(0);

    // A later run has nothing to do; closing LQ-SC lets the next run decide it.
    const again = await processSignOff(rt, fakeJob);
    expect(again.signedOff).toHaveLength(0);
    expect(again.upToDate).toBe(2);
    await closeLot(rt.store, 'LQ-SC', { actor: 'test' });
    const third = await processSignOff(rt, fakeJob);
    expect(third.signedOff.map((s) => s.lot)).toEqual(['LQ-SC']);
  });

  it('upserting the scheduler twice keeps one; a per-second schedule run by two worker processes decides each lot once', async () => {
    const config = testConfig({ queue: { sandboxed: true } });
    const rt = await runtimeFor(config);
    await upsertSignOffSchedule(rt.queues.signOff, { pattern: '0 30 6 * * *', tz: 'UTC' });
    await upsertSignOffSchedule(rt.queues.signOff, { pattern: '*/1 * * * * *', tz: 'Europe/Berlin' });
    expect(await rt.queues.signOff.getJobSchedulers()).toHaveLength(1);
    expect((await getSignOffSchedule(rt.queues.signOff))?.pattern).toBe('*/1 * * * * *');

    const dir = tempDir('sched');
    writeLot(dir, { lot: 'LQ-SCHED', units: 20, seed: 34 });
    // Ingest in this process; evaluation off so the lot is left to the schedule.
    const pool = await startWorkers(rt, { queues: ['ingest'] });
    cleanups.push(() => pool.close(2000));
    await submitFiles(rt.queues, [dir]);
    await waitFor('lot stored', async () => (await rt.store.lotSummary('LQ-SCHED'))?.units === 20, 30_000);

    const env = workerEnv(config);
    const w1 = spawnWorker('sign-off-worker', env);
    const w2 = spawnWorker('sign-off-worker', env);
    cleanups.push(
      () => stopWorker(w1),
      () => stopWorker(w2),
    );
    await runSignOffNow(rt.queues.signOff);
    await runSignOffNow(rt.queues.signOff);
    await waitFor('the scheduled decision', async () => (await rt.store.listDecisions('LQ-SCHED'))[0], 60_000);
    await waitFor('several sign-off runs', async () => ((await rt.queues.signOff.getJobCounts('completed')).completed ?? 0) >= 4, 30_000);
    expect(await rt.store.listDecisions('LQ-SCHED')).toHaveLength(1);
    const decision = (await rt.store.listDecisions('LQ-SCHED'))[0]!;
    expect(await rt.store.listCertificates('LQ-SCHED')).toHaveLength(decision.disposition === 'ACCEPT' ? 1 : 0);
    expect(await rt.queues.signOff.getJobSchedulers()).toHaveLength(1); // the workers did not add a second
    expect(await removeSignOffSchedule(rt.queues.signOff)).toBe(true);
    expect(await getSignOffSchedule(rt.queues.signOff)).toBeNull();
  });
});

describe('lot completeness', () => {
  it('is complete when closed, or when the stored units reach the expected quantity', async () => {
    const config = testConfig();
    const rt = await runtimeFor(config);
    const pool = await startWorkers(rt, { queues: ['ingest'] });
    cleanups.push(() => pool.close(2000));
    const dir = tempDir('complete');
    writeLot(dir, { lot: 'LQ-COMP', units: 20, seed: 35 });
    rmManifest(dir);
    await submitFiles(rt.queues, [dir], { product: 'qsfp112-400g-dr4' });
    await waitFor('stored', async () => (await rt.store.lotSummary('LQ-COMP'))?.units === 20, 30_000);
    expect((await lotCompleteness(rt.store, 'LQ-COMP')).complete).toBe(false);
    expect((await closeLot(rt.store, 'LQ-COMP', { actor: 'test', expectedUnits: 25 })).complete).toBe(false);
    const closed = await closeLot(rt.store, 'LQ-COMP', { actor: 'test', expectedUnits: 20 });
    expect(closed).toMatchObject({ complete: true, units: 20, expectedUnits: 20 });
    const trail = await rt.store.auditTrail('LQ-COMP');
    expect(trail.filter((e) => e.kind === 'lot-closed').map((e) => e.payload)).toEqual([{ expectedUnits: 25 }, { expectedUnits: 20 }]);
    await expect(closeLot(rt.store, 'LQ-NOTHING', { actor: 'test' })).rejects.toThrow(/no stored units yet/);
  });
});

describe('drop folder', () => {
  it('submits files once complete, archives ingested ones and quarantines a rejected one with its reason', async () => {
    const config = testConfig();
    const rt = await runtimeFor(config);
    const pool = await startWorkers(rt, { queues: ['ingest'] });
    cleanups.push(() => pool.close(2000));
    const source = tempDir('src');
    const written = writeLot(source, { lot: 'LQ-WATCH', units: 20, seed: 36 });
    const drop = tempDir('drop');
    const events: WatchEvent[] = [];
    const watch = watchDropFolder(drop, rt.queues, { pollMs: 100, product: 'qsfp112-400g-dr4', onEvent: (e) => events.push(e) });
    cleanups.push(() => watch.stop());
    // A station writes `.part` and renames into place; one file is garbage.
    const names = written.manifest.files.map((f) => f.file);
    for (const n of names) {
      writeFileSync(join(drop, `${n}.part`), readFileSync(join(source, n)));
    }
    writeFileSync(join(drop, 'garbage.csv'), '\u0000\u0001\u0002 not a station file\n');
    await sleep(400);
    expect(events.filter((e) => e.kind === 'submitted').map((e) => e.path)).toEqual([join(drop, 'garbage.csv')]); // .part files are not station files
    for (const n of names) renameSync(join(drop, `${n}.part`), join(drop, n));

    await waitFor(
      'every file archived or quarantined',
      () => events.filter((e) => e.kind === 'archived' || e.kind === 'quarantined').length === names.length + 1,
      30_000,
    );
    expect(readdirSync(join(drop, 'archive')).sort()).toEqual([...names].sort());
    expect(readdirSync(join(drop, 'quarantine')).sort()).toEqual(['garbage.csv', 'garbage.csv.reason.txt']);
    expect(readFileSync(join(drop, 'quarantine', 'garbage.csv.reason.txt'), 'utf8')).toMatch(/garbage\.csv: rejected \(/);
    expect(readdirSync(drop).sort()).toEqual(['archive', 'quarantine']);
    expect((await rt.store.lotSummary('LQ-WATCH'))?.files).toBe(names.length);
  });
});

describe('drop folder without a product', () => {
  it('keeps files whose product is not known yet, reports each once, and submits them when manifest.json arrives last', async () => {
    const config = testConfig();
    const rt = await runtimeFor(config);
    const pool = await startWorkers(rt, { queues: ['ingest'] });
    cleanups.push(() => pool.close(2000));
    const source = tempDir('src-late');
    const written = writeLot(source, { lot: 'LQ-LATE', units: 3, seed: 37 });
    const drop = tempDir('drop-late');
    const events: WatchEvent[] = [];
    const watch = watchDropFolder(drop, rt.queues, { pollMs: 100, onEvent: (e) => events.push(e) });
    cleanups.push(() => watch.stop());
    const names = written.manifest.files.map((f) => f.file);
    for (const n of names) writeFileSync(join(drop, n), readFileSync(join(source, n)));
    await sleep(1000); // ten polls
    const errors = events.filter((e) => e.kind === 'error');
    expect(errors.map((e) => e.path).sort()).toEqual(names.map((n) => join(drop, n)).sort()); // once per file, not per poll
    expect(errors[0]?.kind === 'error' && errors[0].message).toMatch(/which product is it\? Pass --product <id> or put a manifest\.json/);
    expect(readdirSync(drop).sort()).toEqual([...names].sort()); // nothing moved, nothing lost

    // The station writes its manifest last.
    writeFileSync(join(drop, 'manifest.json'), readFileSync(join(source, 'manifest.json')));
    await waitFor('every file archived', () => events.filter((e) => e.kind === 'archived').length === names.length, 30_000);
    expect((await rt.store.lotSummary('LQ-LATE'))?.files).toBe(names.length);
  });
});

describe('connections', () => {
  it('a producer fails fast with a clear error when Redis is down', async () => {
    const t0 = Date.now();
    await expect(connectProducer('redis://127.0.0.1:1', 1000)).rejects.toThrow(RedisUnavailableError);
    await expect(connectProducer('redis://:secret@127.0.0.1:1', 1000)).rejects.toThrow(/cannot reach Redis at redis:\/\/127\.0\.0\.1:1 /);
    expect(Date.now() - t0).toBeLessThan(5000);
  });

  it('reads passwords, databases and TLS from REDIS_URL', () => {
    expect(redisOptionsFromUrl('rediss://:p%40ss@cache.example:6380/2')).toEqual({
      host: 'cache.example',
      port: 6380,
      password: 'p@ss',
      db: 2,
      tls: { servername: 'cache.example' },
    });
    expect(redisOptionsFromUrl('redis://user:pw@10.0.0.5')).toEqual({ host: '10.0.0.5', port: 6379, username: 'user', password: 'pw' });
    expect(() => redisOptionsFromUrl('http://x')).toThrow(/redis:\/\/ or rediss:\/\//);
  });
});

function rmManifest(dir: string): void {
  const p = join(dir, 'manifest.json');
  if (existsSync(p)) renameSync(p, join(dir, 'manifest.json.off'));
}
