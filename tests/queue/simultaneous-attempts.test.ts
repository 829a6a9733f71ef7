/**
 * A unit tested at the same instant on two stations, through the queues (real Redis and PostgreSQL):
 * whichever file the workers store first, the lot holds with the same LotResult (same SHA-256) as the
 * embedded pipeline gives on the same files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { decidedInSubmissionOrder, embeddedResult, tempDir, testConfig, writeLot } from './support/queue-fixture.js';
import { restationedCopy } from '../pipeline/support/restationed-copy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LOT = 'LQ-TIE-ORDER';

describe('a unit tested at the same instant on two stations, through the queues', () => {
  it('holds the lot with a byte-identical LotResult in either order, equal to the embedded one', async () => {
    const dir = tempDir('tie-queue');
    const written = writeLot(join(dir, 'lot'), { lot: LOT, units: 10, seed: 43 });
    const first = written.manifest.files[0]!;
    mkdirSync(join(dir, 'twin'));
    restationedCopy(join(dir, 'lot', first.file), join(dir, 'twin', first.file), first.station === 'ATE-03' ? 'ATE-01' : 'ATE-03');
    copyFileSync(join(dir, 'lot', 'manifest.json'), join(dir, 'twin', 'manifest.json'));
    const files = written.manifest.files.length + 1;

    const a = (await decidedInSubmissionOrder(LOT, [join(dir, 'lot'), join(dir, 'twin')], files, cleanups)).evaluation;
    const b = (await decidedInSubmissionOrder(LOT, [join(dir, 'twin'), join(dir, 'lot')], files, cleanups)).evaluation;
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
