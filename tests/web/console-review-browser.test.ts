/**
 * The review additions in real Chromium (Debian's package, driven by playwright-core, as in
 * console-browser.test.ts): an engineer attaches a file to the held lot and sees it listed with its
 * hash, downloads it back as a file; a unit's readings name their column; an approver approves a
 * proposed baseline with the re-entered password and sees it active with the signature. Takes the
 * README's screenshot of the Baselines page (docs/images/console-baselines.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { findProduct } from '../../src/domain/catalog.js';
import { createBaseline } from '../../src/pipeline/lot-stages.js';
import { FIXTURE_PRODUCT } from './support/console-fixture.js';
import { openBrowserTestbed, type BrowserTestbed } from './support/browser-testbed.js';

let bed: BrowserTestbed;

beforeAll(async () => {
  const spec = findProduct(FIXTURE_PRODUCT);
  bed = await openBrowserTestbed({
    name: 'review-browser',
    people: [
      ['eve', 'Eve Engineer', 'engineer'],
      ['rita', 'Rita Approver', 'approver'],
    ],
    prepare: async (store) => {
      for (const lots of [
        ['B1', 'B2', 'B3', 'B4', 'B5', 'CLEAN'],
        ['B2', 'B3', 'B4', 'B5', 'CLEAN'],
      ])
        await createBaseline(store, { productId: spec.productId, lots, createdBy: 'qe', spec, propose: true });
    },
  });
}, 180_000);
afterAll(() => bed?.close());

describe('review in Chromium', () => {
  it('an engineer attaches an 8D report to the held lot and downloads it back; a unit names its columns', async () => {
    const { page, errors } = await bed.open('eve', { viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    await page.goto(`${bed.server.url}lots/SHIFT`);
    const file = join(bed.dir, '8D-118 lane 3 drift.pdf');
    writeFileSync(file, '%PDF-1.4\n% 8D-118: D4 root cause — lane 3 laser bias drift\n');
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    await page.setInputFiles('#attach-form input[type=file]', file);
    await Promise.all([page.waitForEvent('load'), page.click('#attach-form button')]);
    const row = page.locator('#attachments table tr', { hasText: '8D-118 lane 3 drift.pdf' });
    await expect(row.textContent()).resolves.toMatch(new RegExp(`eve[\\s\\S]*B[\\s\\S]*${sha.slice(0, 16)}`));
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a').click()]);
    expect(download.suggestedFilename()).toBe('8D-118 lane 3 drift.pdf');
    const saved = join(bed.dir, 'downloaded.pdf');
    await download.saveAs(saved);
    expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(sha);

    const serial = (await bed.store.loadLot('SHIFT')).runs[0]!.serial;
    await page.goto(`${bed.server.url}lots/SHIFT/units/${serial}`);
    await expect(
      page
        .locator('table.readings td')
        .filter({ hasText: /\.csv:\d+, column [A-Z]+ \(/ })
        .count(),
    ).resolves.toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await page.context().close();
  });

  it('an approver approves a proposed baseline with the re-entered password', async () => {
    const { page, errors } = await bed.open('rita', { viewport: { width: 1280, height: 900 } });
    await Promise.all([page.waitForURL(/\/baselines$/), page.click('nav a[href="/baselines"]')]);
    const v2 = page.locator(`[id="baseline-${FIXTURE_PRODUCT}@v2"]`);
    await expect(v2.locator('.badge').textContent()).resolves.toBe('proposed');
    await v2.locator('textarea[name=reason]').fill('Phase I reviewed: 6 lots, components and homogeneity checked');
    await v2.locator('input[name=password]').fill('wrong-password');
    await v2.locator('button[value=approve]').click();
    await v2.locator('.error').waitFor({ state: 'visible' });
    await expect(v2.locator('.error').textContent()).resolves.toMatch(/signature refused: wrong password/);
    await v2.locator('input[name=password]').fill('rita-password');
    await Promise.all([page.waitForEvent('load'), v2.locator('button[value=approve]').click()]);
    const approved = page.locator(`[id="baseline-${FIXTURE_PRODUCT}@v2"]`);
    await expect(approved.locator('.badge').textContent()).resolves.toBe('active');
    await expect(approved.locator('.signature').textContent()).resolves.toMatch(
      /Approved: Rita Approver \(rita, approver\) — baseline approval/,
    );
    await expect(page.locator(`[id="baseline-${FIXTURE_PRODUCT}@v1"] .badge`).textContent()).resolves.toBe('superseded');
    // The homogeneity line says what was checked, and the list below it says it is about single readings, not lots.
    const spread = await approved.locator('.homogeneity, .warnings > p').first().textContent();
    expect(spread).toMatch(/Spread of the baseline lots, checked per chart \(Bartlett and Brown–Forsythe, Holm at α = 0\.01\)/);
    expect(spread).not.toMatch(/homogeneity warning/);
    if ((await approved.locator('.notes li').count()) > 0)
      await expect(approved.locator('.notes-title').textContent()).resolves.toMatch(/not about the spread between lots/);
    expect((await bed.store.activeBaseline(FIXTURE_PRODUCT))?.version).toBe(2);
    await page.screenshot({ path: join(bed.images, 'console-baselines.png'), fullPage: true });
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
    await page.context().close();
  });
});
