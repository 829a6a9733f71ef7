/**
 * Shipped catalog documents the build validated are not validated again at every start: the build
 * records the SHA-256 of each shipped file's bytes (dist/src/domain/shipped-catalog-validated.json), and
 * a file with exactly those bytes is taken as it is. Anything else — a file edited after the build, one
 * the record does not name, the sources (no record) — is validated as before.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import {
  BUILD_VALIDATION_FILE,
  SHIPPED_PRODUCTS_DIR,
  documentSha256,
  listShippedPolicies,
  listShippedProducts,
  listShippedProfiles,
  shippedEntriesIn,
  type BuildValidation,
} from '../../src/domain/catalog.js';
import type { ProductSpec } from '../../src/domain/product-spec.js';
import { SpecFileError } from '../../src/domain/spec-file-error.js';

const ROOT = resolve(import.meta.dirname, '../..');
const root = mkdtempSync(join(tmpdir(), 'lotqa-shipped-validated-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sha256 = (bytes: Buffer | string): string => createHash('sha256').update(bytes).digest('hex');
const shippedText = readFileSync(join(SHIPPED_PRODUCTS_DIR, 'osfp-800g-dr8.json'), 'utf8');
/** The shipped product with a field the schema refuses: what an edit after the build could leave. */
const invalidText = shippedText.replace('"laneCount": 8', '"laneCount": "eight"');

/** A folder holding one product file with `text`, as the shipped folder would. */
function productsFolder(name: string, text: string): string {
  const dir = join(root, name, 'products');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'osfp-800g-dr8.json'), text);
  return dir;
}
const record = (text: string, document = 'recorded-document-hash'): BuildValidation =>
  new Map([['products/osfp-800g-dr8.json', { bytes: sha256(text), document }]]);

describe('shipped documents the build validated', () => {
  it('the edited product really is invalid (the cases below rest on it)', () => {
    expect(invalidText).not.toBe(shippedText);
    const dir = productsFolder('no-record', invalidText);
    expect(() => shippedEntriesIn('product', dir, new Map(), join(dir, '..'))).toThrow(SpecFileError);
  });

  it('a file with the very bytes the build validated is taken as it is, frozen, with the recorded document hash', () => {
    const dir = productsFolder('same-bytes', shippedText);
    const [trusted] = shippedEntriesIn('product', dir, record(shippedText, documentSha256(JSON.parse(shippedText))), join(dir, '..'));
    const [validated] = shippedEntriesIn('product', dir, new Map(), join(dir, '..'));
    expect(trusted!.document).toEqual(validated!.document);
    expect(trusted!.sha256).toBe(validated!.sha256);
    expect(Object.isFrozen(trusted!.document)).toBe(true);
    expect(Object.isFrozen((trusted!.document as ProductSpec).parameters[0])).toBe(true);
    // Not validated: a record naming these bytes is believed, even for bytes no build would pass.
    const trustedInvalid = productsFolder('recorded-invalid', invalidText);
    expect(shippedEntriesIn('product', trustedInvalid, record(invalidText), join(trustedInvalid, '..'))[0]!.sha256).toBe(
      'recorded-document-hash',
    );
  });

  it('fails closed: a file edited after the build (other bytes) is validated as before', () => {
    const dir = productsFolder('edited', invalidText);
    expect(() => shippedEntriesIn('product', dir, record(shippedText), join(dir, '..'))).toThrow(SpecFileError);
    expect(() => shippedEntriesIn('product', dir, record(shippedText), join(dir, '..'))).toThrow(/laneCount/);
  });

  it('fails closed: a file the record does not name (added or moved after the build) is validated', () => {
    const dir = productsFolder('unnamed', invalidText);
    const elsewhere: BuildValidation = new Map([['profiles/osfp-800g-dr8.json', { bytes: sha256(invalidText), document: 'x' }]]);
    expect(() => shippedEntriesIn('product', dir, elsewhere, join(dir, '..'))).toThrow(SpecFileError);
  });

  it('the build recorded every shipped document, and the compiled catalog loads the same documents from it', () => {
    const recorded = JSON.parse(readFileSync(join(ROOT, 'dist/src/domain', BUILD_VALIDATION_FILE), 'utf8')) as {
      files: Record<string, { bytes: string; document: string }>;
    };
    const shipped = [...listShippedProducts(), ...listShippedProfiles(), ...listShippedPolicies()];
    const shippedDir = resolve(SHIPPED_PRODUCTS_DIR, '..');
    const expected = Object.fromEntries(
      shipped.map((e) => [
        e.path
          .slice(shippedDir.length + 1)
          .split('\\')
          .join('/'),
        { bytes: sha256(readFileSync(e.path)), document: e.sha256 },
      ]),
    );
    expect(Object.keys(expected).length).toBe(
      ['products', 'profiles', 'policies'].flatMap((d) => readdirSync(join(shippedDir, d)).filter((f) => f.endsWith('.json'))).length,
    );
    expect(recorded.files, 'a shipped document changed since the build: run node scripts/build.mjs').toEqual(expected);
    // The compiled catalog (which reads the record) gives the ids and document hashes the sources validated.
    const url = JSON.stringify(pathToFileURL(join(ROOT, 'dist/src/domain/catalog.js')).href);
    const script = `const c = await import(${url});
      console.log(JSON.stringify([...c.listShippedProducts(), ...c.listShippedProfiles(), ...c.listShippedPolicies()].map((e) => [e.id, e.sha256])));`;
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8', cwd: ROOT });
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual(shipped.map((e) => [e.id, e.sha256]));
  });
});
