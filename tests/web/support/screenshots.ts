/**
 * @module Where the browser tests put their screenshots. Every run takes them (so a page that stops
 * rendering still fails the test that looks at it), into `tmp/screenshots/`; with
 * `LOTQA_UPDATE_SCREENSHOTS=1` they replace the README's images in `docs/images/` instead, so an ordinary
 * test run never changes the checkout.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..', '..');

export function screenshotFolder(): string {
  const folder = process.env.LOTQA_UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'images') : join(ROOT, 'tmp', 'screenshots');
  mkdirSync(folder, { recursive: true });
  return folder;
}
