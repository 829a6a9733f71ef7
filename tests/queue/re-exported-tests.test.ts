/**
 * A station's second export of a test (same serial, station, time and readings; other bytes), through
 * the queues (real Redis and PostgreSQL): one attempt whichever file the workers store first, with a
 * byte-identical LotResult in either order, equal to the embedded pipeline's on the same files.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { decidedInSubmissionOrder, embeddedResult, tempDir, testConfig, writeLot } from './support/queue-fixture.js';
import { reExportedCopy } from '../pipeline/support/re-exported-copy.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

const LOT = 'LQ-REEXPORT-ORDER';

describe('a test exported twice by its station, through the queues', () => {
  it('is one attempt with a byte-identical LotResult in either order, equal to the embedded one', async () => {
    const dir = tempDir('re-export-queue');
    const written = writeLot(join(dir, 'lot'), { lot: LOT, units: 10, seed: 47 });
    const first = written.manifest.files[0]!;
    mkdirSync(join(dir, 'again'));
    reExportedCopy(join(dir, 'lot', first.file), join(dir, 'again', `export2-${first.file}`));
    copyFileSync(join(dir, 'lot', 'manifest.json'), join(dir, 'again', 'manifest.json'));
    const files = written.manifest.files.length + 1;

    const a = (await decidedInSubmissionOrder(LOT, [join(dir, 'lot'), join(dir, 'again')], files, cleanups)).evaluation;
    const b = (await decidedInSubmissionOrder(LOT, [join(dir, 'again'), join(dir, 'lot')], files, cleanups)).evaluation;
    expect(a.result.units.find((u) => u.serial === first.serial)).toMatchObject({ attempts: 1 });
    expect(a.result.proposal.reasons.find((r) => r.code === 're-exported-test')).toMatchObject({ serials: [first.serial] });
    expect(a.result.proposal.reasons.map((r) => r.code)).not.toContain('simultaneous-attempts');
    expect(b.result).toEqual(a.result);
    expect(b.resultSha256).toBe(a.resultSha256);

    // The embedded pipeline on both folders at once gives the same result.
    const both = tempDir('re-export-both');
    for (const f of written.manifest.files) copyFileSync(join(dir, 'lot', f.file), join(both, f.file));
    mkdirSync(join(both, 'again'));
    copyFileSync(join(dir, 'again', `export2-${first.file}`), join(both, 'again', `export2-${first.file}`));
    copyFileSync(join(dir, 'lot', 'manifest.json'), join(both, 'manifest.json'));
    const embedded = await embeddedResult(both, LOT, testConfig());
    expect(embedded.resultSha256).toBe(a.resultSha256);
  });
});
