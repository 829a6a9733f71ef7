/**
 * A unit tested at the same instant on two stations, through the queues (real Redis and PostgreSQL):
 * whichever file the workers store first, the lot holds with the same LotResult (same SHA-256) as the
 * embedded pipeline gives on the same files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { embeddedResult, tempDir, testConfig, waitFor, writeLot, openTestRuntime } from './support/queue-fixture.js';
import { restationedCopy } from '../pipeline/support/restationed-copy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LOT = 'LQ-TIE-ORDER';

/** Submits the folders one after the other (each stored before the next); the latest evaluation on all files. */
async function throughQueues(folders: readonly string[], files: number) {
  const rt = await openTestRuntime(testConfig({ ingestConcurrency: 1 }), cleanups);
  const pool = await startWorkers(rt);
  cleanups.push(() => pool.close(5000));
  for (const folder of folders) {
    const submitted = await submitFiles(rt.queues, [folder]);
    await waitFor(
      `${folder} stored`,
      async () => {
        const stored = new Set((await rt.store.listFiles(LOT)).map((f) => f.sha256));
        return submitted.every((s) => stored.has(s.sha256));
      },
      60_000,
    );
  }
  return waitFor(
    'the decision on every file',
    async () => {
      const latest = await rt.store.latestEvaluation(LOT);
      if (latest?.result.fileHashes.length !== files) return null;
      const decided = (await rt.store.listDecisions(LOT)).some((d) => d.revision === latest.revision);
      return decided ? latest : null;
    },
    60_000,
  );
}

describe('a unit tested at the same instant on two stations, through the queues', () => {
  it('holds the lot with a byte-identical LotResult in either order, equal to the embedded one', async () => {
    const dir = tempDir('tie-queue');
    const written = writeLot(join(dir, 'lot'), { lot: LOT, units: 10, seed: 43 });
    const first = written.manifest.files[0]!;
    mkdirSync(join(dir, 'twin'));
    restationedCopy(join(dir, 'lot', first.file), join(dir, 'twin', first.file), first.station === 'ATE-03' ? 'ATE-01' : 'ATE-03');
    copyFileSync(join(dir, 'lot', 'manifest.json'), join(dir, 'twin', 'manifest.json'));
    const files = written.manifest.files.length + 1;

    const a = await throughQueues([join(dir, 'lot'), join(dir, 'twin')], files);
    const b = await throughQueues([join(dir, 'twin'), join(dir, 'lot')], files);
    expect(a.result.proposal.disposition).toBe('HOLD');
    expect(a.result.proposal.reasons.find((r) => r.code === 'simultaneous-attempts')).toMatchObject({ serials: [first.serial] });
    expect(b.result).toEqual(a.result);
    expect(b.resultSha256).toBe(a.resultSha256);

    // The embedded pipeline on both folders at once gives the same result.
    const both = tempDir('tie-both');
    for (const f of written.manifest.files) copyFileSync(join(dir, 'lot', f.file), join(both, f.file));
    mkdirSync(join(both, 'twin'));
    copyFileSync(join(dir, 'twin', first.file), join(both, 'twin', first.file));
    copyFileSync(join(dir, 'lot', 'manifest.json'), join(both, 'manifest.json'));
    const embedded = await embeddedResult(both, LOT, testConfig());
    expect(embedded.resultSha256).toBe(a.resultSha256);
  });
});
