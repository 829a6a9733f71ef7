/**
 * Fail closed through the queues (real Redis and PostgreSQL): a lot whose every run is held out by
 * unresolved file conflicts is HELD by the workers with the same proposal whichever files arrive first,
 * its engineering report is written, and the scheduled sign-off holds it too (once, then up to date).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWorkers } from '../../src/queue/lotqa-workers.js';
import { submitFiles } from '../../src/queue/submit-files.js';
import { processSignOff } from '../../src/queue/lot-processors.js';
import { decidedInSubmissionOrder, openTestRuntime, tempDir, testConfig, waitFor, writeLot } from './support/queue-fixture.js';
import { conflictingCopy } from '../pipeline/support/conflicting-copy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c().catch(() => undefined);
});

/** A 2-unit lot in `dir/lot`, and in `dir/again` each unit's file with one reading changed (plus the manifest). */
function everyUnitInConflict(label: string, lot: string): { dir: string; serials: string[]; files: number } {
  const dir = tempDir(label);
  const written = writeLot(join(dir, 'lot'), { lot, units: 2, seed: 43 });
  mkdirSync(join(dir, 'again'));
  for (const f of written.manifest.files) conflictingCopy(join(dir, 'lot', f.file), join(dir, 'again', f.file));
  copyFileSync(join(dir, 'lot', 'manifest.json'), join(dir, 'again', 'manifest.json'));
  return { dir, serials: written.manifest.files.map((f) => f.serial).sort(), files: 2 * written.manifest.files.length };
}

describe('a lot whose every run is in conflict, through the queues', () => {
  it('is held by the workers with the same proposal in either order, and its engineering report is written', async () => {
    const LOT = 'LQ-ALL-CONFLICT';
    const { dir, serials, files } = everyUnitInConflict('all-conflict-queue', LOT);
    const inOrder = async (folders: string[]) => {
      const { rt, evaluation } = await decidedInSubmissionOrder(LOT, folders, files, cleanups);
      return { rt, evaluation };
    };
    const a = await inOrder([join(dir, 'lot'), join(dir, 'again')]);
    const b = await inOrder([join(dir, 'again'), join(dir, 'lot')]);
    for (const { rt, evaluation } of [a, b]) {
      const result = evaluation.result;
      expect(result.proposal.disposition).toBe('HOLD');
      expect(result.proposal.reasons.map((r) => r.code)).toEqual(['file-conflict', 'file-conflict', 'no-units-evaluated']);
      expect(result.proposal.reasons.map((r) => r.serials)).toEqual([[serials[0]], [serials[1]], serials]);
      expect(result.units).toEqual([]);
      const decisions = (await rt.store.listDecisions(LOT)).filter((d) => d.revision === evaluation.revision);
      expect(decisions.map((d) => d.disposition)).toEqual(['HOLD']);
      // The report job renders it (no certificate for a HOLD).
      const pdf = join(rt.config.reportsDir, LOT, `engineering-${LOT}-r${evaluation.revision}.pdf`);
      await waitFor('the engineering report', () => Promise.resolve(existsSync(pdf)), 60_000);
      expect(await rt.store.listCertificates(LOT).then((cs) => cs.filter((c) => c.revision === evaluation.revision))).toEqual([]);
    }
    expect(b.evaluation.result.proposal).toEqual(a.evaluation.result.proposal);
    expect(b.evaluation.result.contentHash).toBe(a.evaluation.result.contentHash);
  });

  it('the scheduled sign-off holds it once, then finds it up to date', async () => {
    const LOT = 'LQ-ALL-CONFLICT-S';
    const { dir, files } = everyUnitInConflict('all-conflict-signoff', LOT);
    const rt = await openTestRuntime(testConfig(), cleanups);
    // Only ingest runs: evaluation is "down", the scheduled sign-off decides.
    const pool = await startWorkers(rt, { queues: ['ingest'] });
    cleanups.push(() => pool.close(2000));
    await submitFiles(rt.queues, [join(dir, 'lot')]);
    await submitFiles(rt.queues, [join(dir, 'again')]);
    await waitFor('every file stored', async () => (await rt.store.listFiles(LOT)).length === files, 60_000);
    const job = { attemptsMade: 0, opts: {}, updateProgress: () => Promise.resolve(), data: { kind: 'sign-off' as const } };
    const run = await processSignOff(rt, job);
    expect(run.signedOff).toEqual([{ lot: LOT, revision: 1, disposition: 'HOLD', created: true }]);
    const stored = await rt.store.latestEvaluation(LOT);
    expect(stored?.result.proposal.reasons.some((r) => r.code === 'no-units-evaluated')).toBe(true);
    const again = await processSignOff(rt, job);
    expect(again).toMatchObject({ signedOff: [], upToDate: 1 });
  });
});
