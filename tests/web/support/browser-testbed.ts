/**
 * One browser test's world, set up once: the console fixture in a SQLite store of a temporary folder, the
 * people of the test (password `<name>-password`), a real console on a free loopback port, and Debian's
 * Chromium (fails loudly when there is none: see chromium.ts). `open` gives a fresh, logged-in page that
 * collects every page error and console error, so a test ends with `expect(errors).toEqual([])`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { chromium, type Browser, type BrowserContextOptions, type Page } from 'playwright-core';
import type { AccountRole } from '../../../src/domain/e-signature.js';
import { createAccount } from '../../../src/pipeline/accounts.js';
import { openStore, type Store } from '../../../src/store/index.js';
import type { StartedConsole } from '../../../src/web/console-app.js';
import { chromiumPath } from './chromium.js';
import { buildConsoleFixture } from './console-fixture.js';
import { startTestConsole } from './console-server.js';
import { screenshotFolder } from './screenshots.js';

export interface BrowserTestbedOptions {
  /** Names the temporary folder (lotqa-<name>-…). */
  readonly name: string;
  /** Who uses the console: account name, printed name, role. */
  readonly people: readonly (readonly [username: string, fullName: string, role: AccountRole])[];
  /** Lots added to the fixture (a shift on lane index 2 in σ). */
  readonly extraLots?: { lot: string; units: number; shift?: number }[];
  /** Dispositions the fixture's sign-off must give (at least these). @defaultValue CLEAN ACCEPT, SHIFT HOLD */
  readonly dispositions?: Readonly<Record<string, string>>;
  /** Runs on the filled store before the console starts (proposed baselines, …). */
  readonly prepare?: (store: Store) => Promise<void>;
}

export interface OpenedPage {
  readonly page: Page;
  /** Page errors and console errors seen so far. */
  readonly errors: string[];
}

export interface BrowserTestbed {
  readonly dir: string;
  readonly store: Store;
  readonly server: StartedConsole;
  readonly browser: Browser;
  /** Where screenshots go (tmp/screenshots, or docs/images with LOTQA_UPDATE_SCREENSHOTS=1). */
  readonly images: string;
  /** A page in a fresh browser context, logged in as `username` through the login form. */
  open(username: string, context?: BrowserContextOptions): Promise<OpenedPage>;
  close(): Promise<void>;
}

/** Collects a page's uncaught errors and console errors. */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return errors;
}

export async function openBrowserTestbed(options: BrowserTestbedOptions): Promise<BrowserTestbed> {
  const executablePath = chromiumPath();
  const dir = mkdtempSync(join(tmpdir(), `lotqa-${options.name}-`));
  const store = openStore({ sqlitePath: join(dir, 'console.sqlite') });
  await store.migrate();
  expect(await buildConsoleFixture(store, join(dir, 'data'), 40, options.extraLots ?? [])).toMatchObject(
    options.dispositions ?? { CLEAN: 'ACCEPT', SHIFT: 'HOLD' },
  );
  for (const [username, fullName, role] of options.people)
    await createAccount(store, { username, fullName, role, password: `${username}-password`, by: 'test' });
  await options.prepare?.(store);
  const server = await startTestConsole(store);
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  return {
    dir,
    store,
    server,
    browser,
    images: screenshotFolder(),
    async open(username, context = { viewport: { width: 1280, height: 900 } }) {
      const page = await (await browser.newContext(context)).newPage();
      const errors = watchErrors(page);
      await page.goto(server.url);
      expect(page.url()).toContain('/login');
      await page.fill('input[name=username]', username);
      await page.fill('input[name=password]', `${username}-password`);
      await Promise.all([page.waitForURL(server.url), page.click('button[type=submit]')]);
      return { page, errors };
    },
    async close() {
      await browser.close();
      await server.app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
