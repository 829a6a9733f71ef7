/**
 * The review additions in real Chromium (Debian's package, driven by playwright-core, as in
 * console-browser.test.ts): an engineer attaches a file to the held lot and sees it listed with its
 * hash, downloads it back as a file; a unit's readings name their column; an approver approves a
 * proposed baseline with the re-entered password and sees it active with the signature. Takes the
 * README's screenshot of the Baselines page (docs/images/console-baselines.png).
 */
import { screenshotFolder } from './support/screenshots.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { findProduct } from '../../src/domain/catalog.js';
import { createAccount } from '../../src/pipeline/accounts.js';
import { createBaseline } from '../../src/pipeline/lot-stages.js';
import { openStore, type Store } from '../../src/store/index.js';
import { startConsole, type StartedConsole } from '../../src/web/console-app.js';
import { chromiumPath } from './support/chromium.js';
import { buildConsoleFixture, FIXTURE_PRODUCT } from './support/console-fixture.js';
import { freePort } from './support/console-server.js';

const IMAGES = screenshotFolder();
let dir: string;
let store: Store;
let server: StartedConsole;
let browser: Browser;

async function logIn(page: Page, username: string): Promise<void> {
  await page.goto(server.url);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', `${username}-password`);
  await Promise.all([page.waitForURL(server.url), page.click('button[type=submit]')]);
}

function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

beforeAll(async () => {
  const executablePath = chromiumPath();
  dir = mkdtempSync(join(tmpdir(), 'lotqa-review-browser-'));
  store = openStore({ sqlitePath: join(dir, 'console.sqlite') });
  await store.migrate();
  expect(await buildConsoleFixture(store, join(dir, 'data'), 40)).toEqual({ CLEAN: 'ACCEPT', SHIFT: 'HOLD' });
  const spec = findProduct(FIXTURE_PRODUCT);
  for (const lots of [
    ['B1', 'B2', 'B3', 'B4', 'B5', 'CLEAN'],
    ['B2', 'B3', 'B4', 'B5', 'CLEAN'],
  ])
    await createBaseline(store, { productId: spec.productId, lots, createdBy: 'qe', spec, propose: true });
  await createAccount(store, { username: 'eve', fullName: 'Eve Engineer', role: 'engineer', password: 'eve-password', by: 'test' });
  await createAccount(store, { username: 'rita', fullName: 'Rita Approver', role: 'approver', password: 'rita-password', by: 'test' });
  server = await startConsole(store, { host: '127.0.0.1', port: await freePort() }, { reports: null });
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  mkdirSync(IMAGES, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('review in Chromium', () => {
  it('an engineer attaches an 8D report to the held lot and downloads it back; a unit names its columns', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await logIn(page, 'eve');
    await page.goto(`${server.url}lots/SHIFT`);
    const file = join(dir, '8D-118 lane 3 drift.pdf');
    writeFileSync(file, '%PDF-1.4\n% 8D-118: D4 root cause — lane 3 laser bias drift\n');
    const sha = createHash('sha256').update(readFileSync(file)).digest('hex');
    await page.setInputFiles('#attach-form input[type=file]', file);
    await Promise.all([page.waitForEvent('load'), page.click('#attach-form button')]);
    const row = page.locator('#attachments table tr', { hasText: '8D-118 lane 3 drift.pdf' });
    await expect(row.textContent()).resolves.toMatch(new RegExp(`eve[\\s\\S]*B[\\s\\S]*${sha.slice(0, 16)}`));
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('a').click()]);
    expect(download.suggestedFilename()).toBe('8D-118 lane 3 drift.pdf');
    const saved = join(dir, 'downloaded.pdf');
    await download.saveAs(saved);
    expect(createHash('sha256').update(readFileSync(saved)).digest('hex')).toBe(sha);

    const serial = (await store.loadLot('SHIFT')).runs[0]!.serial;
    await page.goto(`${server.url}lots/SHIFT/units/${serial}`);
    await expect(
      page
        .locator('table.readings td')
        .filter({ hasText: /\.csv:\d+, column [A-Z]+ \(/ })
        .count(),
    ).resolves.toBeGreaterThan(5);
    expect(errors).toEqual([]);
    await context.close();
  });

  it('an approver approves a proposed baseline with the re-entered password', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    await logIn(page, 'rita');
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
    expect((await store.activeBaseline(FIXTURE_PRODUCT))?.version).toBe(2);
    await page.screenshot({ path: join(IMAGES, 'console-baselines.png'), fullPage: true });
    expect(errors.filter((e) => !/status of 403/.test(e))).toEqual([]);
    await context.close();
  });
});
