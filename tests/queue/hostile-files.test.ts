/**
 * Hostile files in the ingest queue, against real Redis and PostgreSQL: a header line of a million
 * columns, a UTF-16 file without its byte-order mark, an empty file and a file deleted between submit and
 * ingest each fail their own job — once, or after the retries a file on a slow shared volume gets — with
 * the reason in the job and in the store's rejected files. The worker keeps working: every unit of the
 * lot submitted with them is stored, and a file submitted after them is ingested by the same workers.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { failedJob, openTestRuntime, tempDir, testConfig, waitFor, writeLot } from './support/queue-fixture.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('hostile files in the ingest queue', () => {
  it('fail their own jobs with the reason recorded; the lot around them and later files are ingested', async () => {
    const config = testConfig();
    const rt = await openTestRuntime(config, cleanups);
    const pool = await startWorkers(rt);
    cleanups.push(() => pool.close(5000));

    const dir = tempDir('hostile');
    writeLot(dir, { lot: 'LQ-HOSTILE', units: 6, seed: 21 });
    const wideHeader = `Serial,Lot,Station,TestTime,Corner,Lane,Test,Value,${Array.from({ length: 1_000_000 }, (_, i) => `X${i}`).join(',')}`;
    const hostile = {
      'zz-million-columns.csv': `${wideHeader}\nSN1,LQ-HOSTILE,ATE-01,2025-03-02T08:00:00Z,25,0,TxPower,1\n`,
      'zz-utf16-no-bom.csv': Buffer.from('Serial,Lot\nSN1,LQ-HOSTILE\n', 'utf16le'),
      'zz-empty.csv': '',
      'zz-deleted.csv': 'Serial,Lot,Station\n',
    };
    for (const [name, content] of Object.entries(hostile)) writeFileSync(join(dir, name), content);

    const submitted = await submitFiles(rt.queues, [dir]);
    rmSync(join(dir, 'zz-deleted.csv')); // gone before any worker reads it
    const jobOf = (name: string) => submitted.find((s) => s.path === join(dir, name))!.jobId;

    const failed = (name: string) => failedJob(rt.queues.ingest, jobOf(name), `the failed job of ${name}`);
    const columns = await failed('zz-million-columns.csv');
    expect(columns.attemptsMade).toBe(1);
    expect(columns.failedReason).toMatch(
      /zz-million-columns\.csv: rejected \(no-matching-profile, line 1\): .*line 1 runs past 1048576 characters/,
    );
    expect((await failed('zz-utf16-no-bom.csv')).failedReason).toMatch(/rejected \(binary-content\).*UTF-16 without a byte-order mark/);
    expect((await failed('zz-empty.csv')).failedReason).toMatch(/rejected \(empty-file\).*is empty \(0 bytes\)/);
    const deleted = await failed('zz-deleted.csv');
    expect(deleted.attemptsMade).toBe(config.queue.attempts); // retried: a shared volume may be late
    expect(deleted.failedReason).toMatch(/zz-deleted\.csv/);

    const rejected = new Map((await rt.store.listRejectedFiles()).map((r) => [r.name, r.reason]));
    expect(Object.fromEntries(Object.keys(hostile).map((name) => [name, rejected.get(name)]))).toEqual({
      'zz-million-columns.csv': 'no-matching-profile',
      'zz-utf16-no-bom.csv': 'binary-content',
      'zz-empty.csv': 'empty-file',
      'zz-deleted.csv': 'unreadable',
    });
    await waitFor('every unit of the lot', async () => (await rt.store.lotSummary('LQ-HOSTILE'))?.units === 6, 60_000);

    // The same workers are still alive and take the next file.
    const later = tempDir('later');
    writeLot(later, { lot: 'LQ-AFTER', units: 1, seed: 22 });
    await submitFiles(rt.queues, [later]);
    await waitFor('the file submitted afterwards', async () => (await rt.store.lotSummary('LQ-AFTER'))?.units === 1, 30_000);
  });
});
