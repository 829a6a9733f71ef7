/**
 * The console in real Chromium (Debian's package, driven by playwright-core): log in, open the held
 * lot, follow a reason to its chart, hover a point (serial, value, station, time, attempt) and click it
 * to its unit, sign an acceptance with a deviation, see the signature and the audit entry; a viewer
 * cannot sign; a POST without the CSRF token is refused. Takes the README's screenshots
 * (docs/images/console-*.png).
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
  expect(page.url()).toContain('/login');
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', `${username}-password`);
  await Promise.all([page.waitForURL(server.url), page.click('button[type=submit]')]);
}

beforeAll(async () => {
  const executablePath = chromiumPath();
  dir = mkdtempSync(join(tmpdir(), 'lotqa-browser-'));
  store = openStore({ sqlitePath: join(dir, 'console.sqlite') });
  await store.migrate();
  expect(await buildConsoleFixture(store, join(dir, 'data'), 40)).toEqual({ CLEAN: 'ACCEPT', SHIFT: 'HOLD' });
  await createAccount(store, { username: 'rita', fullName: 'Rita Approver', role: 'approver', password: 'rita-password', by: 'test' });
  await createAccount(store, { username: 'vic', fullName: 'Vic Viewer', role: 'viewer', password: 'vic-password', by: 'test' });
  server = await startTestConsole(store);
  browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  mkdirSync(IMAGES, { recursive: true });
}, 180_000);
afterAll(async () => {
  await browser?.close();
  await server?.app.close();
  await store?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the console in Chromium', () => {
  it('an approver follows a held lot from its reason to a chart and a unit, then signs an acceptance with a deviation', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(String(e)));
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text());
    });
    await logIn(page, 'rita');
    const first = page.locator('#lots tbody tr').first();
    await expect(first.textContent()).resolves.toMatch(/SHIFT[\s\S]*on-hold/);
    await page.screenshot({ path: join(IMAGES, 'console-lots.png') });

    await Promise.all([page.waitForURL(/\/lots\/SHIFT$/), page.click('a[href="/lots/SHIFT"]')]);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/Lot SHIFT/);
    await page.screenshot({ path: join(IMAGES, 'console-held-lot.png'), fullPage: true });

    const reasonLink = page.locator('#reasons .chart-link').first();
    await expect(reasonLink.textContent()).resolves.toMatch(/chart: tx_avg_power @ \w+, lane 3/);
    await Promise.all([page.waitForURL(/\/chart\?/), reasonLink.click()]);
    await page.waitForSelector('body[data-chart-ready=true]', { timeout: 15_000 });
    const over = page.locator('#chart .u-over');
    const box = (await over.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height * 0.5);
    const tip = page.locator('#tip');
    await expect(tip.isVisible()).resolves.toBe(true);
    const text = (await tip.textContent())!;
    expect(text).toMatch(/^SNSHIFT\d+\nvalue -?[\d.]+ dBm\nstation \S+\n2026-\d\d-\d\dT[\d:.]+Z\nattempt \d/);
    const serial = text.split('\n')[0]!;
    await page.screenshot({ path: join(IMAGES, 'console-chart.png') });
    await Promise.all([page.waitForURL(/\/units\//), page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5)]);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Unit ${serial}`);
    await expect(page.locator('table.readings').first().textContent()).resolves.toMatch(/tx_avg_power[\s\S]*\.csv:\d+/);

    await page.goto(`${server.url}lots/SHIFT`);
    await page.check('input[name=disposition][value=ACCEPT]');
    await page.fill('textarea[name=reason]', 'In-spec launch-power shift on lane 3; process owner informed');
    await page.fill('input[name=deviation]', 'DEV-2026-014 approved by customer quality');
    await page.fill('#sign-form input[name=password]', 'rita-password');
    await Promise.all([page.waitForEvent('load'), page.click('#sign-form button[type=submit]')]);
    await expect(page.locator('.signature').first().textContent()).resolves.toMatch(
      /Signed: Rita Approver \(rita, approver\) — acceptance with deviation/,
    );
    await expect(page.locator('h1 .badge').textContent()).resolves.toBe('accepted');

    await page.goto(`${server.url}lots/SHIFT/audit`);
    const decided = page.locator('#audit tr.event-decided').last();
    await expect(decided.textContent()).resolves.toMatch(/ACCEPT[\s\S]*DEV-2026-014[\s\S]*Signed: Rita Approver/);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it('a viewer sees no signing form, and a POST without the CSRF token is refused', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'vic');
    await page.goto(`${server.url}lots/CLEAN`);
    expect(await page.locator('#sign-form').count()).toBe(0);
    const answer = await page.evaluate(async () => {
      const r = await fetch('/api/lots/CLEAN/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ disposition: 'REJECT', reason: 'x', password: 'vic-password' }),
      });
      return { status: r.status, body: (await r.json()) as { message: string } };
    });
    expect(answer.status).toBe(403);
    // Even a viewer's CSRF-less POST stops at the role check or the CSRF check, never reaching a decision.
    expect(answer.body.message).toMatch(/approver role|CSRF/);
    expect((await store.listDecisions('CLEAN')).map((d) => d.disposition)).toEqual(['ACCEPT']);
    await context.close();
  }, 60_000);

  it("an approver's POST without the CSRF token is refused", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await logIn(page, 'rita');
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/lots/CLEAN/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ disposition: 'REJECT', reason: 'forged', password: 'rita-password' }),
      });
      return `${r.status} ${((await r.json()) as { message: string }).message}`;
    });
    expect(status).toMatch(/^403 refused: missing or wrong CSRF token/);
    await context.close();
  }, 60_000);
});
