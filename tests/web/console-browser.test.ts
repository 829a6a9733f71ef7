/**
 * The console in real Chromium (Debian's package, driven by playwright-core): log in, open the held
 * lot, follow a reason to its chart, hover a point (serial, value, station, time, attempt) and click it
 * to its unit, sign an acceptance with a deviation, see the signature and the audit entry; a viewer
 * cannot sign; a POST without the CSRF token is refused. Takes the README's screenshots
 * (docs/images/console-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openBrowserTestbed, type BrowserTestbed } from './support/browser-testbed.js';

let bed: BrowserTestbed;

beforeAll(async () => {
  bed = await openBrowserTestbed({
    name: 'browser',
    people: [
      ['rita', 'Rita Approver', 'approver'],
      ['vic', 'Vic Viewer', 'viewer'],
    ],
  });
}, 180_000);
afterAll(() => bed?.close());

describe('the console in Chromium', () => {
  it('an approver follows a held lot from its reason to a chart and a unit, then signs an acceptance with a deviation', async () => {
    const { page, errors } = await bed.open('rita', { viewport: { width: 1280, height: 900 } });
    const first = page.locator('#lots tbody tr').first();
    await expect(first.textContent()).resolves.toMatch(/SHIFT[\s\S]*on-hold/);
    await page.screenshot({ path: join(bed.images, 'console-lots.png') });

    await Promise.all([page.waitForURL(/\/lots\/SHIFT$/), page.click('a[href="/lots/SHIFT"]')]);
    await expect(page.locator('h1').textContent()).resolves.toMatch(/Lot SHIFT/);
    await page.screenshot({ path: join(bed.images, 'console-held-lot.png'), fullPage: true });

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
    await page.screenshot({ path: join(bed.images, 'console-chart.png') });
    await Promise.all([page.waitForURL(/\/units\//), page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5)]);
    await expect(page.locator('h1').textContent()).resolves.toBe(`Unit ${serial}`);
    await expect(page.locator('table.readings').first().textContent()).resolves.toMatch(/tx_avg_power[\s\S]*\.csv:\d+/);

    await page.goto(`${bed.server.url}lots/SHIFT`);
    await page.check('input[name=disposition][value=ACCEPT]');
    await page.fill('textarea[name=reason]', 'In-spec launch-power shift on lane 3; process owner informed');
    await page.fill('input[name=deviation]', 'DEV-2026-014 approved by customer quality');
    await page.fill('#sign-form input[name=password]', 'rita-password');
    await Promise.all([page.waitForEvent('load'), page.click('#sign-form button[type=submit]')]);
    await expect(page.locator('.signature').first().textContent()).resolves.toMatch(
      /Signed: Rita Approver \(rita, approver\) — acceptance with deviation/,
    );
    await expect(page.locator('h1 .badge').textContent()).resolves.toBe('accepted');

    await page.goto(`${bed.server.url}lots/SHIFT/audit`);
    const decided = page.locator('#audit tr.event-decided').last();
    await expect(decided.textContent()).resolves.toMatch(/ACCEPT[\s\S]*DEV-2026-014[\s\S]*Signed: Rita Approver/);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 120_000);

  it('a viewer sees no signing form, and a POST without the CSRF token is refused', async () => {
    const { page } = await bed.open('vic');
    await page.goto(`${bed.server.url}lots/CLEAN`);
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
    expect((await bed.store.listDecisions('CLEAN')).map((d) => d.disposition)).toEqual(['ACCEPT']);
    await page.context().close();
  }, 60_000);

  it("an approver's POST without the CSRF token is refused", async () => {
    const { page } = await bed.open('rita');
    const status = await page.evaluate(async () => {
      const r = await fetch('/api/lots/CLEAN/decisions', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ disposition: 'REJECT', reason: 'forged', password: 'rita-password' }),
      });
      return `${r.status} ${((await r.json()) as { message: string }).message}`;
    });
    expect(status).toMatch(/^403 refused: missing or wrong CSRF token/);
    await page.context().close();
  }, 60_000);
});
