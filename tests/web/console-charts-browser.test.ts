/**
 * The analysis charts and "show the work" in real Chromium (Debian's package, driven by playwright-core):
 * a viewer opens the held lot's chart, each of the four analysis charts draws (a canvas, no page error),
 * a Cpk "show the work" opens its dialog with the formula, df and reference, and a reason on the lot page
 * opens its own. Takes the README's screenshots of the new charts (docs/images/console-*.png).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { openBrowserTestbed, type BrowserTestbed } from './support/browser-testbed.js';

let bed: BrowserTestbed;

beforeAll(async () => {
  bed = await openBrowserTestbed({
    name: 'charts-browser',
    people: [['vic', 'Vic Viewer', 'viewer']],
    // Two lots after the baseline before the held one, so the batch-to-batch trend has a few points.
    extraLots: [
      { lot: 'N1', units: 40 },
      { lot: 'N2', units: 40, shift: 1 },
      { lot: 'N3', units: 40, shift: 3 },
    ],
    dispositions: { CLEAN: 'ACCEPT', SHIFT: 'HOLD', N3: 'HOLD' },
  });
}, 240_000);
afterAll(() => bed?.close());

describe('analysis charts in Chromium', () => {
  it('draws lane means, histogram, stations and trend, and opens the work behind Cpk and a reason', async () => {
    const { page, errors } = await bed.open('vic', { viewport: { width: 1280, height: 900 } });
    await page.goto(`${bed.server.url}lots/N3/chart?parameter=tx_avg_power&corner=room&lane=2`);
    await page.waitForSelector('body[data-chart-ready=true]', { timeout: 20_000 });
    await page.waitForSelector('body[data-analysis-ready=true]', { timeout: 20_000 });
    for (const kind of ['lanes', 'histogram', 'stations', 'trend']) {
      const host = page.locator(`.analysis-chart[data-kind=${kind}]`);
      await expect(host.getAttribute('data-ready'), kind).resolves.toBe('true');
      expect(await host.locator('canvas').count(), kind).toBeGreaterThan(0);
      await page
        .locator(`#analysis-${kind}`)
        .screenshot({ path: join(bed.images, `console-${kind === 'lanes' ? 'lane-means' : kind}.png`) });
    }
    // Four lanes, named as a person names them; the stations table lists each station once.
    await expect(page.locator('#analysis-lanes .analysis-table tr').count()).resolves.toBe(5);
    await expect(page.locator('#analysis-lanes .analysis-table').textContent()).resolves.toMatch(/lane 3/);
    await expect(page.locator('#analysis-histogram .capability').textContent()).resolves.toMatch(/Cpk \d/);
    // Counts in words, from the console's copy of counted() (assets/counted.js), never "lot(s)".
    const trendNote = (await page.locator('#analysis-trend .trend-note').textContent())!;
    expect(trendNote).toMatch(/^\d+ lots · action /);
    expect(trendNote).not.toMatch(/\w\(s\)/);
    const chartMeta = (await page.locator('#chart-meta').textContent())!;
    expect(chartMeta).toMatch(/ · 40 units \(final attempts, test order\) · /);
    expect(chartMeta).toMatch(/ · (1 signal|\d+ signals) · /);

    await page.locator('#analysis-histogram button.explain').first().click();
    await page.waitForSelector('#explain-dialog[data-ready=true]', { timeout: 10_000 });
    const dialog = page.locator('#explain-dialog');
    const text = (await dialog.textContent())!;
    expect(text).toMatch(/Cpk = \d/);
    expect(text).toMatch(/Degrees of freedom: ν = 0\.62·\(N − 1\)/);
    expect(text).toMatch(/Bissell/);
    await dialog.screenshot({ path: join(bed.images, 'console-show-the-work.png') });
    await page.locator('#explain-dialog button.close').click();
    await expect(dialog.isVisible()).resolves.toBe(false);

    await page.goto(`${bed.server.url}lots/N3`);
    const button = page.locator('#reasons button.explain').first();
    await button.click();
    await page.waitForSelector('#explain-dialog[data-ready=true]', { timeout: 10_000 });
    await expect(page.locator('#explain-dialog').textContent()).resolves.toMatch(/Verified against/);
    expect(errors).toEqual([]);
    await page.context().close();
  }, 90_000);
});
