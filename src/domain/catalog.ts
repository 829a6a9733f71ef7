/**
 * @module Catalog — the product specs and station profiles shipped in `schemas/products/` and
 * `schemas/profiles/`, and the one way to name a spec or profile on the command line or in config:
 * an id picks a shipped file, anything that looks like a path loads the user's own file. Every file is
 * validated (schema + semantic checks) and frozen; shipped files are read once per process.
 */
import { LotqaError } from '../errors/lotqa-error.js';
import { readdirSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ProductSpec } from './product-spec.js';
import type { StationProfile } from './station-profile.js';
import { loadProductSpec, loadStationProfile } from './schema-registry.js';

/** Folder of the shipped product specs. */
export const SHIPPED_PRODUCTS_DIR = fileURLToPath(new URL('../../schemas/products/', import.meta.url));
/** Folder of the shipped station profiles. */
export const SHIPPED_PROFILES_DIR = fileURLToPath(new URL('../../schemas/profiles/', import.meta.url));

/** A name that is neither a shipped id nor a path; the message lists what is available. */
export class UnknownCatalogEntryError extends LotqaError {
  override readonly name = 'UnknownCatalogEntryError';
  constructor(
    readonly what: 'product' | 'station profile',
    readonly requested: string,
    readonly available: readonly string[],
  ) {
    super(
      `unknown ${what} '${requested}'. Shipped ${what}s: ${available.join(', ')}. To use your own, pass the path of its JSON file (e.g. ./my-${what === 'product' ? 'product' : 'profile'}.json).`,
    );
  }
}

export interface CatalogEntry<T> {
  /** productId of a spec, id of a profile. */
  readonly id: string;
  readonly path: string;
  readonly document: T;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => resolve(dir, f));
}

/** Shipped file names must equal their ids, so `findProduct('osfp-800g-dr8')` is obvious to a reader. */
function checkNamedById(path: string, id: string, what: string): void {
  if (basename(path, '.json') !== id) throw new Error(`shipped ${what} ${path} has id '${id}'; its file must be named ${id}.json`);
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

let shippedProducts: readonly CatalogEntry<ProductSpec>[] | null = null;
let shippedProfiles: readonly CatalogEntry<StationProfile>[] | null = null;

/** Every shipped product spec, validated, sorted by id. */
export function listShippedProducts(): readonly CatalogEntry<ProductSpec>[] {
  shippedProducts ??= Object.freeze(
    jsonFiles(SHIPPED_PRODUCTS_DIR)
      .map((path) => {
        const document = loadProductSpec(path);
        checkNamedById(path, document.productId, 'product spec');
        return Object.freeze({ id: document.productId, path, document });
      })
      .sort(byId),
  );
  return shippedProducts;
}

/** Every shipped station profile, validated, sorted by id. */
export function listShippedProfiles(): readonly CatalogEntry<StationProfile>[] {
  shippedProfiles ??= Object.freeze(
    jsonFiles(SHIPPED_PROFILES_DIR)
      .map((path) => {
        const document = loadStationProfile(path);
        checkNamedById(path, document.id, 'station profile');
        return Object.freeze({ id: document.id, path, document });
      })
      .sort(byId),
  );
  return shippedProfiles;
}

/** A path (has a slash or backslash, or ends in .json) rather than a shipped id. */
export const looksLikePath = (name: string): boolean => /[\\/]/.test(name) || name.toLowerCase().endsWith('.json');

/**
 * A product spec by shipped id (`osfp-800g-dr8`) or by path to a user's file.
 * @throws UnknownCatalogEntryError listing the shipped ids; SpecFileError for an invalid file.
 */
export function findProduct(idOrPath: string): ProductSpec {
  if (looksLikePath(idOrPath)) return loadProductSpec(idOrPath);
  const all = listShippedProducts();
  const hit = all.find((e) => e.id === idOrPath);
  if (hit === undefined)
    throw new UnknownCatalogEntryError(
      'product',
      idOrPath,
      all.map((e) => e.id),
    );
  return hit.document;
}

/**
 * A station profile by shipped id (`wide-v2`) or by path to a user's file.
 * @throws UnknownCatalogEntryError listing the shipped ids; SpecFileError for an invalid file.
 */
export function findProfile(idOrPath: string): StationProfile {
  if (looksLikePath(idOrPath)) return loadStationProfile(idOrPath);
  const all = listShippedProfiles();
  const hit = all.find((e) => e.id === idOrPath);
  if (hit === undefined)
    throw new UnknownCatalogEntryError(
      'station profile',
      idOrPath,
      all.map((e) => e.id),
    );
  return hit.document;
}
