/**
 * Conflicts through the queues (real Redis and PostgreSQL): a unit's test reported by two files with
 * different readings holds the lot with the same proposal whichever file the workers store first, and
 * the same bytes submitted again stay one file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { LotqaRuntime } from '../../src/queue/lotqa-runtime.js';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { lotConflicts } from '../../src/pipeline/lot-conflicts.js';
import type { LotResult } from '../../src/domain/lot-result.js';
import { tempDir, testConfig, waitFor, writeLot, openTestRuntime } from './support/queue-fixture.js';
import { conflictingCopy } from '../pipeline/support/conflicting-copy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LOT = 'LQ-CONFLICT-ORDER';

/** Submits the folders one after the other (each stored before the next is submitted); the decided result on all files. */
async function throughQueues(folders: readonly string[], files: number): Promise<{ rt: LotqaRuntime; result: LotResult }> {
  // One file at a time: the order of submission is the order of storing.
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
  const result = await waitFor(
    'the decision on every file',
    async () => {
      const latest = await rt.store.latestEvaluation(LOT);
      if (latest?.result.fileHashes.length !== files) return null;
      const decided = (await rt.store.listDecisions(LOT)).some((d) => d.revision === latest.revision);
      return decided ? latest.result : null;
    },
    60_000,
  );
  return { rt, result };
}

describe('conflicting files through the queues', () => {
  it('hold the lot with the same proposal in either order; the same bytes again stay one file', async () => {
    const dir = tempDir('conflict-queue');
    const written = writeLot(join(dir, 'lot'), { lot: LOT, units: 10, seed: 41 });
    const first = written.manifest.files[0]!.file;
    mkdirSync(join(dir, 'again'));
    conflictingCopy(join(dir, 'lot', first), join(dir, 'again', first));
    copyFileSync(join(dir, 'lot', 'manifest.json'), join(dir, 'again', 'manifest.json'));
    const files = written.manifest.files.length + 1;

    const a = await throughQueues([join(dir, 'lot'), join(dir, 'again')], files);
    const b = await throughQueues([join(dir, 'again'), join(dir, 'lot')], files);
    for (const { result } of [a, b]) {
      expect(result.proposal.disposition).toBe('HOLD');
      expect(result.proposal.reasons[0]).toMatchObject({ code: 'file-conflict', serials: [written.manifest.files[0]!.serial] });
    }
    expect(b.result.proposal).toEqual(a.result.proposal);
    expect(b.result.units).toEqual(a.result.units);
    expect(b.result.contentHash).toBe(a.result.contentHash);
    expect(await lotConflicts(b.rt.store, LOT)).toEqual(await lotConflicts(a.rt.store, LOT));

    // The changed file submitted once more: the same job id, nothing new stored, still one conflict.
    const before = (await a.rt.store.listEvaluations(LOT)).length;
    await submitFiles(a.rt.queues, [join(dir, 'again')]);
    await new Promise((r) => setTimeout(r, 1000));
    expect((await a.rt.store.listFiles(LOT)).length).toBe(files);
    expect(await a.rt.store.listEvaluations(LOT)).toHaveLength(before);
    expect(await lotConflicts(a.rt.store, LOT)).toHaveLength(1);
  });
});
