/**
 * The product of a run without --product comes from the manifest beside its files (`productId`, else
 * `product`), read through the same reader the ingest records the manifest's contract from.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveProduct } from '../../src/cli/catalog-options.js';
import { Catalog } from '../../src/domain/catalog.js';
import { LotManifestError } from '../../src/ingest/lot-manifest.js';

const root = mkdtempSync(join(tmpdir(), 'lotqa-manifest-product-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const catalog = new Catalog();

function lotFolder(name: string, manifest: string): string {
  const dir = join(root, name);
  mkdirSync(dir);
  writeFileSync(join(dir, 'manifest.json'), manifest);
  return dir;
}

describe('the product named by the manifest', () => {
  it('takes productId first, else product; a product named on the command line wins', () => {
    const both = lotFolder('both', JSON.stringify({ lot: 'L', productId: 'osfp-800g-dr8', product: 'qsfp112-400g-dr4' }));
    expect(resolveProduct(catalog, [both], undefined).id).toBe('osfp-800g-dr8');
    const product = lotFolder('product', JSON.stringify({ lot: 'L', product: 'qsfp112-400g-dr4', quantity: 3 }));
    expect(resolveProduct(catalog, [product], undefined).id).toBe('qsfp112-400g-dr4');
    expect(resolveProduct(catalog, [product], 'osfp-800g-2xfr4').id).toBe('osfp-800g-2xfr4');
  });

  it('a manifest that is not valid JSON, or has a bad quantity, is an error naming it before anything is stored', () => {
    const broken = lotFolder('broken', '{ "lot": "L", ');
    expect(() => resolveProduct(catalog, [broken], undefined)).toThrow(LotManifestError);
    expect(() => resolveProduct(catalog, [broken], undefined)).toThrow(/broken[\\/]manifest\.json is not valid JSON/);
    const badQuantity = lotFolder('quantity', JSON.stringify({ lot: 'L', product: 'osfp-800g-dr8', quantity: 0 }));
    expect(() => resolveProduct(catalog, [badQuantity], undefined)).toThrow(/"quantity" must be a whole number ≥ 1, got 0/);
  });
});
