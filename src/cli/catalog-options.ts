/**
 * @module The documents a command works with — product spec, station profile, acceptance policy —
 * resolved from the configured catalogs (shipped, `catalogDirs`, files named by path) and checked
 * before anything is stored or evaluated: a command that would fail on its product fails first.
 */
import { existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import type { LotqaConfig } from '../config.js';
import type { AcceptancePolicy } from '../domain/acceptance-policy.js';
import { catalogOf, looksLikePath, type Catalog, type CatalogEntry } from '../domain/catalog.js';
import type { ProductSpec } from '../domain/product-spec.js';
import type { StationProfile } from '../domain/station-profile.js';
import { assertProfileFitsProduct } from '../domain/station-profile-checks.js';
import { LotqaError } from '../errors/lotqa-error.js';
import { readLotManifestIn } from '../ingest/lot-manifest.js';

/** The configured catalogs of this command. */
export function catalogFor(config: Readonly<LotqaConfig>): Catalog {
  return catalogOf(config);
}

/** A finder of specs by product id for the pipeline stages (the lot's product, as stored). */
export const specFinder =
  (catalog: Catalog, named?: ProductSpec) =>
  (productId: string): ProductSpec =>
    named !== undefined && named.productId === productId ? named : catalog.product(productId).document;

/**
 * The product named on the command line, or the one in a lot manifest (manifest.json) beside the files;
 * a manifest's product may be a catalog id or a path relative to the manifest.
 */
export function resolveProduct(catalog: Catalog, paths: readonly string[], named: string | undefined): CatalogEntry<ProductSpec> {
  if (named) return catalog.product(named);
  for (const p of paths) {
    const dir = existsSync(p) && statSync(p).isDirectory() ? p : dirname(p);
    // Read once per run: the ingest records the same manifest's contract from this reading.
    const m = readLotManifestIn(dir);
    if (m === null) continue;
    const id = m.productId ?? m.product;
    if (id) return catalog.product(looksLikePath(id) ? resolve(dir, id) : id);
  }
  throw new LotqaError(
    'which product are these units? Name it with --product <id|file>, or put a manifest.json with "product" beside the files',
    {
      hint: `Products in the catalogs: ${catalog
        .products()
        .map((e) => e.id)
        .join(', ')}.`,
    },
  );
}

/** What ingesting files needs: the product, the named profile (if any), every profile to detect from, every product to suggest. */
export interface IngestDocuments {
  readonly product: ProductSpec;
  readonly profile: StationProfile | undefined;
  readonly profiles: readonly StationProfile[];
  readonly products: readonly ProductSpec[];
}

/**
 * Resolves and checks the documents of an ingest before anything is stored: the product, a named
 * profile (which must be able to deliver the product's parameters), and the catalogs' profiles.
 */
export function resolveIngestDocuments(
  catalog: Catalog,
  paths: readonly string[],
  flags: { readonly product?: string | undefined; readonly profile?: string | undefined },
): IngestDocuments {
  const product = resolveProduct(catalog, paths, flags.product).document;
  const profile = flags.profile ? catalog.profile(flags.profile).document : undefined;
  if (profile !== undefined) assertProfileFitsProduct(profile, product);
  return {
    product,
    profile,
    profiles: catalog.profiles().map((e) => e.document),
    products: catalog.products().map((e) => e.document),
  };
}

/** The acceptance policy named on the command line, else the configured one. */
export function resolvePolicy(catalog: Catalog, config: Readonly<LotqaConfig>, named: string | undefined): AcceptancePolicy {
  return catalog.policy(named ?? config.policy).document;
}
