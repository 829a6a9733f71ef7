/**
 * Conflicts through the queues (real Redis and PostgreSQL): a unit's test reported by two files with
 * different readings holds the lot with the same proposal whichever file the workers store first, and
 * the same bytes submitted again stay one file.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { submitFiles } from '../../src/queue/submit-files.js';
import { lotConflicts } from '../../src/pipeline/lot-conflicts.js';
import { decidedInSubmissionOrder, tempDir, writeLot } from './support/queue-fixture.js';
import { conflictingCopy } from '../pipeline/support/conflicting-copy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LOT = 'LQ-CONFLICT-ORDER';

describe('conflicting files through the queues', () => {
  it('hold the lot with the same proposal in either order; the same bytes again stay one file', async () => {
    const dir = tempDir('conflict-queue');
    const written = writeLot(join(dir, 'lot'), { lot: LOT, units: 10, seed: 41 });
    const first = written.manifest.files[0]!.file;
    mkdirSync(join(dir, 'again'));
    conflictingCopy(join(dir, 'lot', first), join(dir, 'again', first));
    copyFileSync(join(dir, 'lot', 'manifest.json'), join(dir, 'again', 'manifest.json'));
    const files = written.manifest.files.length + 1;

    const inOrder = async (folders: string[]) => {
      const { rt, evaluation } = await decidedInSubmissionOrder(LOT, folders, files, cleanups);
      return { rt, result: evaluation.result };
    };
    const a = await inOrder([join(dir, 'lot'), join(dir, 'again')]);
    const b = await inOrder([join(dir, 'again'), join(dir, 'lot')]);
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
