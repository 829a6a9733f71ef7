/**
 * The analysis charts and "show the work" in real Chromium (Debian's package, driven by playwright-core):
 * a viewer opens the held lot's chart, each of the four analysis charts draws (a canvas, no page error),
 * a Cpk "show the work" opens its dialog with the formula, df and reference, and a reason on the lot page
 * opens its own. Takes the README's screenshots of the new charts (docs/images/console-*.png).
 */
import { screenshotFolder } from './support/screenshots.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { createAccount } from '../../src/pipeline/accounts.js';
import { openStore, type Store } from '../../src/store/index.js';
import type { StartedConsole } from '../../src/web/console-app.js';
import { chromiumPath } from './support/chromium.js';
import { buildConsoleFixture } from './support/console-fixture.js';
import { startTestConsole } from './support/console-server.js';

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

beforeAll(async () => {
  const executablePath = chromiumPath();
  dir = mkdtempSync(join(tmpdir(), 'lotqa-charts-browser-'));
  store = openStore({ sqlitePath: join(dir, 'console.sqlite') });
  await store.migrate();
  // Two lots after the baseline before the held one, so the batch-to-batch trend has a few points.
  expect(
    await buildConsoleFixture(store, join(dir, 'data'), 40, [
      { lot: 'N1', units: 40 },
      { lot: 'N2', units: 40, shift: 1 },
      { lot: 'N3', units: 40, shift: 3 },
    ]),
  ).toMatchObject({ CLEAN: 'ACCEPT', SHIFT: 'HOLD', N3: 'HOLD' });
  await createAccount(store, { username: 'vic', fullName: 'Vic Viewer', role: 'viewer', password: 'vic-password', by: 'test' });
  server = await startTestConsole(store);
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  mkdirSync(IMAGES, { recursive: true });
}, 240_000);
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('analysis charts in Chromium', () => {
  it('draws lane means, histogram, stations and trend, and opens the work behind Cpk and a reason', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await logIn(page, 'vic');
    await page.goto(`${server.url}lots/N3/chart?parameter=tx_avg_power&corner=room&lane=2`);
    await page.waitForSelector('body[data-chart-ready=true]', { timeout: 20_000 });
    await page.waitForSelector('body[data-analysis-ready=true]', { timeout: 20_000 });
    for (const kind of ['lanes', 'histogram', 'stations', 'trend']) {
      const host = page.locator(`.analysis-chart[data-kind=${kind}]`);
      await expect(host.getAttribute('data-ready'), kind).resolves.toBe('true');
      expect(await host.locator('canvas').count(), kind).toBeGreaterThan(0);
      await page.locator(`#analysis-${kind}`).screenshot({ path: join(IMAGES, `console-${kind === 'lanes' ? 'lane-means' : kind}.png`) });
    }
    // Four lanes, named as a person names them; the stations table lists each station once.
    await expect(page.locator('#analysis-lanes .analysis-table tr').count()).resolves.toBe(5);
    await expect(page.locator('#analysis-lanes .analysis-table').textContent()).resolves.toMatch(/lane 3/);
    await expect(page.locator('#analysis-histogram .capability').textContent()).resolves.toMatch(/Cpk \d/);
    await expect(page.locator('#analysis-trend .trend-note').textContent()).resolves.toMatch(/\d+ lot\(s\)/);

    await page.locator('#analysis-histogram button.explain').first().click();
    await page.waitForSelector('#explain-dialog[data-ready=true]', { timeout: 10_000 });
    const dialog = page.locator('#explain-dialog');
    const text = (await dialog.textContent())!;
    expect(text).toMatch(/Cpk = \d/);
    expect(text).toMatch(/Degrees of freedom: ν = 0\.62·\(N − 1\)/);
    expect(text).toMatch(/Bissell/);
    await dialog.screenshot({ path: join(IMAGES, 'console-show-the-work.png') });
    await page.locator('#explain-dialog button.close').click();
    await expect(dialog.isVisible()).resolves.toBe(false);

    await page.goto(`${server.url}lots/N3`);
    const button = page.locator('#reasons button.explain').first();
    await button.click();
    await page.waitForSelector('#explain-dialog[data-ready=true]', { timeout: 10_000 });
    await expect(page.locator('#explain-dialog').textContent()).resolves.toMatch(/Verified against/);
    expect(errors).toEqual([]);
    await context.close();
  }, 90_000);
});
