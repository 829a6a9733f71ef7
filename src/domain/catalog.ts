/**
 * @module Catalog — the product specs, station profiles and acceptance policies lotqa can use, and the
 * one way to name them on the command line, in the configuration or in a queue job:
 * - the shipped ones in `schemas/products/`, `schemas/profiles/`, `schemas/policies/`;
 * - the user's own, in catalog folders named in the configuration (`catalogDirs`, environment
 *   `LOTQA_CATALOG_DIRS`): every `*.json` file of a folder (and of its `products/`, `profiles/`,
 *   `policies/` subfolders) whose `kind` is a lotqa document kind is part of the catalog;
 * - any file given by path (`./my-product.json`), which the process then also knows by its id.
 * An id picks the document from the catalogs; anything that looks like a path loads that file. Every
 * document is validated (schema + semantic checks), frozen, and known by the SHA-256 of its bytes, so
 * another process (a queue worker) can check it uses the very same document. One id names one
 * document: two different documents under one id are refused (lots are stored by product id).
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AcceptancePolicy } from './acceptance-policy.js';
import type { ProductSpec } from './product-spec.js';
import type { StationProfile } from './station-profile.js';
import { frozenDocument, parseJsonDocument, validateDocument } from './schema-registry.js';
import { SpecFileError } from './spec-file-error.js';
import { LotqaError } from '../errors/lotqa-error.js';
import { validatePolicy } from './policy-validation.js';

/** Folder of the shipped catalogs (products/, profiles/, policies/). */
const SHIPPED_DIR = fileURLToPath(new URL('../../schemas/', import.meta.url));
/** Folder of the shipped product specs. */
export const SHIPPED_PRODUCTS_DIR = fileURLToPath(new URL('../../schemas/products/', import.meta.url));
/** Folder of the shipped station profiles. */
export const SHIPPED_PROFILES_DIR = fileURLToPath(new URL('../../schemas/profiles/', import.meta.url));
/** Folder of the shipped acceptance policies. */
export const SHIPPED_POLICIES_DIR = fileURLToPath(new URL('../../schemas/policies/', import.meta.url));

export type CatalogKind = 'product' | 'station profile' | 'acceptance policy';

interface KindInfo<T> {
  readonly kind: CatalogKind;
  /** The document's `kind` field. */
  readonly documentKind: string;
  readonly shippedDir: string;
  readonly subfolder: string;
  readonly example: string;
  readonly load: (data: unknown, source: string) => T;
  /** The document as `load` returns it (frozen alike), for bytes the build already validated. */
  readonly trusted: (data: unknown) => T;
  readonly idOf: (doc: T) => string;
}

const PRODUCTS: KindInfo<ProductSpec> = {
  kind: 'product',
  documentKind: 'lotqa/product-spec',
  shippedDir: SHIPPED_PRODUCTS_DIR,
  subfolder: 'products',
  example: './my-product.json',
  load: (data, source) => validateDocument('product-spec', data, source),
  trusted: (data) => frozenDocument('product-spec', data),
  idOf: (d) => d.productId,
};
const PROFILES: KindInfo<StationProfile> = {
  kind: 'station profile',
  documentKind: 'lotqa/station-profile',
  shippedDir: SHIPPED_PROFILES_DIR,
  subfolder: 'profiles',
  example: './my-profile.json',
  load: (data, source) => validateDocument('station-profile', data, source),
  trusted: (data) => frozenDocument('station-profile', data),
  idOf: (d) => d.id,
};
const POLICIES: KindInfo<AcceptancePolicy> = {
  kind: 'acceptance policy',
  documentKind: 'lotqa/acceptance-policy',
  shippedDir: SHIPPED_POLICIES_DIR,
  subfolder: 'policies',
  example: './my-policy.json',
  load: (data, source) => Object.freeze(validatePolicy(data, source)),
  trusted: (data) => Object.freeze(data as AcceptancePolicy),
  idOf: (d) => d.id,
};
const KINDS = [PRODUCTS, PROFILES, POLICIES] as unknown as readonly KindInfo<unknown>[];

/** A name that is neither a catalog id nor a path; the message lists what is available. */
export class UnknownCatalogEntryError extends LotqaError {
  override readonly name = 'UnknownCatalogEntryError';
  constructor(
    readonly what: CatalogKind,
    readonly requested: string,
    readonly available: readonly string[],
    readonly userAvailable: readonly string[] = [],
  ) {
    super(
      `unknown ${what} '${requested}'. Shipped ${what === 'acceptance policy' ? 'acceptance policies' : `${what}s`}: ${available.join(', ')}.${userAvailable.length > 0 ? ` In your catalog folders: ${userAvailable.join(', ')}.` : ''} To use your own, pass the path of its JSON file (e.g. ${KINDS.find((k) => k.kind === what)?.example}) or put it in a catalog folder.`,
      {
        hint: `Name the folders of your own ${what} files in "catalogDirs" of lotqa.config.json or in LOTQA_CATALOG_DIRS (separated by '${process.platform === 'win32' ? ';' : ':'}').`,
      },
    );
  }
}

/** Two different documents under one id: lotqa could not know which one a lot was decided by. */
export class CatalogConflictError extends LotqaError {
  override readonly name = 'CatalogConflictError';
  constructor(
    readonly what: CatalogKind,
    readonly id: string,
    readonly paths: readonly [string, string],
  ) {
    super(`${what} '${id}' is defined twice, differently: ${paths[0]} and ${paths[1]}. One id must name one document.`, {
      hint: `Give your own ${what} its own ${what === 'product' ? 'productId' : 'id'} (lots and baselines are stored by it), or remove one of the two files.`,
    });
  }
}

export interface CatalogEntry<T> {
  /** productId of a spec, id of a profile or policy. */
  readonly id: string;
  readonly path: string;
  readonly document: T;
  /**
   * SHA-256 of the document's canonical JSON (keys sorted, no white space, `$schema` left out): the
   * exact document whatever its file's formatting, so a re-indented copy is the same document.
   */
  readonly sha256: string;
  /** 'shipped', the catalog folder it was found in, or 'path' for a file named directly. */
  readonly source: string;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.toLowerCase().endsWith('.json'))
    .sort()
    .map((f) => resolve(dir, f));
}

/** What the build validated of one shipped file: the SHA-256 of its bytes and of its document. */
export interface ValidatedAtBuild {
  readonly bytes: string;
  readonly document: string;
}
/** Shipped files the build validated, by path relative to the shipped catalogs folder (`products/x.json`). */
export type BuildValidation = ReadonlyMap<string, ValidatedAtBuild>;

/** File the build writes beside the compiled catalog module (scripts/build.mjs); absent in the sources. */
export const BUILD_VALIDATION_FILE = 'shipped-catalog-validated.json';

const NOTHING_VALIDATED: BuildValidation = new Map();
let buildValidation: BuildValidation | null = null;

/**
 * The shipped files the build validated (none when running the sources, or when the record is missing
 * or unreadable: then every file is validated, as before the build recorded anything).
 */
function validatedByBuild(): BuildValidation {
  if (buildValidation === null) {
    try {
      const record = JSON.parse(readFileSync(new URL(`./${BUILD_VALIDATION_FILE}`, import.meta.url), 'utf8')) as {
        files?: Record<string, ValidatedAtBuild>;
      };
      buildValidation = new Map(Object.entries(record.files ?? {}));
    } catch {
      buildValidation = NOTHING_VALIDATED;
    }
  }
  return buildValidation;
}

const bytesSha256 = (bytes: Buffer): string => createHash('sha256').update(bytes).digest('hex');

function readDocumentFile(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'file not found' : code === 'EISDIR' ? 'is a folder, not a file' : `cannot be read (${code ?? String(err)})`;
    throw new SpecFileError(path, [{ pointer: null, message: why }]);
  }
}

/** Reads, hashes, parses and validates one document file of a known kind. */
function loadEntry<T>(info: KindInfo<T>, path: string, source: string): CatalogEntry<T> {
  return entryOf(info, path, source, parseJsonDocument(readDocumentFile(path).toString('utf8'), path));
}

/** Validates one document already parsed from `path` as a catalog entry of its kind. */
function entryOf<T>(info: KindInfo<T>, path: string, source: string, data: unknown): CatalogEntry<T> {
  const document = info.load(data, path);
  return Object.freeze({ id: info.idOf(document), path, document, sha256: documentSha256(document), source });
}

/**
 * One shipped file: validated at every start costs ~0.13 s for the twelve shipped documents, so a file
 * whose bytes are exactly those the build validated is taken as it is. Fails closed: a file edited,
 * added or renamed after the build (no record, or other bytes) is validated like any other.
 * @param recorded bytes-hash of the file per {@link validatedByBuild}; `validatedNow` collects what this process validated, for the build's record.
 */
function loadShippedEntry<T>(
  info: KindInfo<T>,
  path: string,
  recorded: ValidatedAtBuild | undefined,
  validatedNow?: Map<string, ValidatedAtBuild>,
): CatalogEntry<T> {
  const bytes = readDocumentFile(path);
  const hash = bytesSha256(bytes);
  if (recorded !== undefined && recorded.bytes === hash) {
    const document = info.trusted(parseJsonDocument(bytes.toString('utf8'), path));
    return Object.freeze({ id: info.idOf(document), path, document, sha256: recorded.document, source: 'shipped' });
  }
  const document = info.load(parseJsonDocument(bytes.toString('utf8'), path), path);
  const entry = Object.freeze({ id: info.idOf(document), path, document, sha256: documentSha256(document), source: 'shipped' });
  validatedNow?.set(path, { bytes: hash, document: entry.sha256 });
  return entry;
}

/** JSON with object keys sorted at every level: one text per document content. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`);
    return `{${entries.join(',')}}`;
  }
  return JSON.stringify(value);
}

/** The content hash of a catalog document (its `$schema` editor hint left out). */
export function documentSha256(document: unknown): string {
  const { $schema: _hint, ...content } = document as Record<string, unknown>;
  return createHash('sha256').update(canonical(content), 'utf8').digest('hex');
}

/** Shipped file names must equal their ids, so `product('osfp-800g-dr8')` is obvious to a reader. */
function checkNamedById(path: string, id: string, what: string): void {
  if (basename(path, '.json') !== id) throw new Error(`shipped ${what} ${path} has id '${id}'; its file must be named ${id}.json`);
}

const shippedCache = new Map<CatalogKind, readonly CatalogEntry<unknown>[]>();
/** Shipped files validated in this process (not taken from the build's record), by absolute path. */
const validatedHere = new Map<string, ValidatedAtBuild>();

/**
 * The shipped documents of one kind in `dir`, sorted by id, each validated unless `validated` records
 * its very bytes (exported for the tests, which give their own folder and record).
 */
export function shippedEntriesIn(kind: CatalogKind, dir: string, validated: BuildValidation, root = dir): readonly CatalogEntry<unknown>[] {
  const info = KINDS.find((k) => k.kind === kind)!;
  return Object.freeze(
    jsonFiles(dir)
      .map((path) => {
        const key = relative(root, path).split('\\').join('/');
        const entry = loadShippedEntry(info, path, validated.get(key), validatedHere);
        checkNamedById(path, entry.id, info.kind);
        return entry;
      })
      .sort(byId),
  );
}

function shipped<T>(info: KindInfo<T>): readonly CatalogEntry<T>[] {
  let list = shippedCache.get(info.kind);
  if (list === undefined) {
    list = shippedEntriesIn(info.kind, info.shippedDir, validatedByBuild(), SHIPPED_DIR);
    shippedCache.set(info.kind, list);
  }
  return list as readonly CatalogEntry<T>[];
}

/**
 * The record the build writes ({@link BUILD_VALIDATION_FILE}): every shipped document, validated by
 * this process (the build runs it without a record, so nothing is taken on trust), by its path relative
 * to the shipped catalogs folder. @throws SpecFileError when a shipped document is invalid.
 */
export function shippedValidationRecord(): Record<string, ValidatedAtBuild> {
  const out: Record<string, ValidatedAtBuild> = {};
  for (const info of KINDS)
    for (const e of shippedEntriesIn(info.kind, info.shippedDir, NOTHING_VALIDATED, SHIPPED_DIR)) {
      const done = validatedHere.get(e.path);
      if (done === undefined) throw new Error(`${e.path} was not validated`);
      out[relative(SHIPPED_DIR, e.path).split('\\').join('/')] = done;
    }
  return out;
}

/** Every shipped product spec, validated, sorted by id. */
export function listShippedProducts(): readonly CatalogEntry<ProductSpec>[] {
  return shipped(PRODUCTS);
}

/** Every shipped station profile, validated, sorted by id. */
export function listShippedProfiles(): readonly CatalogEntry<StationProfile>[] {
  return shipped(PROFILES);
}

/** Every shipped acceptance policy, validated, sorted by id. */
export function listShippedPolicies(): readonly CatalogEntry<AcceptancePolicy>[] {
  return shipped(POLICIES);
}

/** A path (has a slash or backslash, or ends in .json) rather than a catalog id. */
export const looksLikePath = (name: string): boolean => /[\\/]/.test(name) || name.toLowerCase().endsWith('.json');

/** The document kind a parsed JSON file declares, when it is one of lotqa's catalog kinds. */
function kindOf(data: unknown, path: string): KindInfo<unknown> | null {
  const declared = data !== null && typeof data === 'object' ? (data as { kind?: unknown }).kind : undefined;
  if (typeof declared !== 'string' || !declared.startsWith('lotqa/')) return null;
  const info = KINDS.find((k) => k.documentKind === declared);
  if (info === undefined && declared !== 'lotqa/lot-result')
    throw new SpecFileError(path, [
      { pointer: '/kind', message: `'${declared}' is not a catalog document kind (${KINDS.map((k) => k.documentKind).join(', ')})` },
    ]);
  return info ?? null;
}

/**
 * The catalogs of one process: shipped documents, the user's catalog folders, and files named by path.
 *
 * @example
 * const catalog = new Catalog(config.catalogDirs);
 * const spec = catalog.product('./specs/acme-400g.json').document; // now also known as 'acme-400g'
 * const profiles = catalog.profiles().map((e) => e.document);      // auto-detection tries them all
 */
export class Catalog {
  readonly dirs: readonly string[];
  #user: Map<CatalogKind, CatalogEntry<unknown>[]> | null = null;
  /** Files named by path in this process, by kind and id. */
  readonly #named = new Map<CatalogKind, Map<string, CatalogEntry<unknown>>>();

  /** @param dirs the user's catalog folders (absolute, or relative to the working folder). */
  constructor(dirs: readonly string[] = []) {
    this.dirs = Object.freeze(dirs.map((d) => resolve(d)));
  }

  /** Every product spec of the catalogs (shipped, then the user's), sorted by id. */
  products(): readonly CatalogEntry<ProductSpec>[] {
    return this.#all(PRODUCTS);
  }

  /** Every station profile of the catalogs; auto-detection tries each. */
  profiles(): readonly CatalogEntry<StationProfile>[] {
    return this.#all(PROFILES);
  }

  policies(): readonly CatalogEntry<AcceptancePolicy>[] {
    return this.#all(POLICIES);
  }

  /**
   * A product spec by id (catalogs, or a file named earlier in this process) or by path.
   * @throws UnknownCatalogEntryError, SpecFileError, CatalogConflictError
   */
  product(idOrPath: string): CatalogEntry<ProductSpec> {
    return this.#find(PRODUCTS, idOrPath);
  }

  profile(idOrPath: string): CatalogEntry<StationProfile> {
    return this.#find(PROFILES, idOrPath);
  }

  policy(idOrPath: string): CatalogEntry<AcceptancePolicy> {
    return this.#find(POLICIES, idOrPath);
  }

  /**
   * The entry another process finds under this id in the same catalogs (shipped and folders, not files
   * named by path here), or null: what a queue job may name by id.
   */
  shared(kind: CatalogKind, id: string): CatalogEntry<unknown> | null {
    const info = KINDS.find((k) => k.kind === kind)!;
    return this.#catalogued(info).find((e) => e.id === id) ?? null;
  }

  #catalogued<T>(info: KindInfo<T>): readonly CatalogEntry<T>[] {
    const user = (this.#userEntries().get(info.kind) ?? []) as CatalogEntry<T>[];
    const all: CatalogEntry<T>[] = [...shipped(info)];
    for (const e of user) {
      const prior = all.find((a) => a.id === e.id);
      if (prior === undefined) all.push(e);
      else if (prior.sha256 !== e.sha256) throw new CatalogConflictError(info.kind, e.id, [prior.path, e.path]);
    }
    return all.sort(byId);
  }

  #all<T>(info: KindInfo<T>): readonly CatalogEntry<T>[] {
    const all = [...this.#catalogued(info)];
    for (const e of (this.#named.get(info.kind)?.values() ?? []) as Iterable<CatalogEntry<T>>)
      if (!all.some((a) => a.id === e.id)) all.push(e);
    return all.sort(byId);
  }

  #find<T>(info: KindInfo<T>, idOrPath: string): CatalogEntry<T> {
    if (looksLikePath(idOrPath)) {
      const entry = loadEntry(info, resolve(idOrPath), 'path');
      const same = this.#catalogued(info).find((e) => e.id === entry.id);
      if (same !== undefined) {
        if (same.sha256 !== entry.sha256) throw new CatalogConflictError(info.kind, entry.id, [same.path, entry.path]);
        return same;
      }
      let named = this.#named.get(info.kind);
      if (named === undefined) this.#named.set(info.kind, (named = new Map<string, CatalogEntry<unknown>>()));
      const prior = named.get(entry.id);
      if (prior !== undefined && prior.sha256 !== entry.sha256)
        throw new CatalogConflictError(info.kind, entry.id, [prior.path, entry.path]);
      named.set(entry.id, entry);
      return entry;
    }
    const hit = this.#all(info).find((e) => e.id === idOrPath);
    if (hit !== undefined) return hit;
    throw new UnknownCatalogEntryError(
      info.kind,
      idOrPath,
      shipped(info).map((e) => e.id),
      ((this.#userEntries().get(info.kind) ?? []) as CatalogEntry<T>[]).map((e) => e.id),
    );
  }

  /** Reads the catalog folders once: every lotqa document, validated, by kind. */
  #userEntries(): Map<CatalogKind, CatalogEntry<unknown>[]> {
    if (this.#user !== null) return this.#user;
    const out = new Map<CatalogKind, CatalogEntry<unknown>[]>();
    for (const dir of this.dirs) {
      if (!existsSync(dir) || !statSync(dir).isDirectory())
        throw new LotqaError(`catalog folder ${dir} does not exist or is not a folder`, {
          hint: 'Check "catalogDirs" in lotqa.config.json and LOTQA_CATALOG_DIRS.',
          exitCode: 2,
        });
      const files = [...jsonFiles(dir)];
      for (const sub of KINDS.map((k) => k.subfolder)) {
        const d = resolve(dir, sub);
        if (existsSync(d) && statSync(d).isDirectory()) files.push(...jsonFiles(d));
      }
      for (const path of files) {
        const bytes = readFileSync(path);
        const data = parseJsonDocument(bytes.toString('utf8'), path);
        const info = kindOf(data, path);
        if (info === null) continue;
        // Parsed once: the kind is read from the same document that is validated.
        const entry = entryOf(info, path, dir, data);
        const list = out.get(info.kind) ?? [];
        const prior = list.find((e) => e.id === entry.id);
        if (prior !== undefined && prior.sha256 !== entry.sha256)
          throw new CatalogConflictError(info.kind, entry.id, [prior.path, entry.path]);
        if (prior === undefined) list.push(entry);
        out.set(info.kind, list);
      }
    }
    this.#user = out;
    return out;
  }
}

/** The shipped documents only (no catalog folders): what `findProduct` and `findProfile` search. */
const shippedOnly = new Catalog();

/**
 * A product spec by shipped id (`osfp-800g-dr8`) or by path to a user's file.
 * @throws UnknownCatalogEntryError listing the shipped ids; SpecFileError for an invalid file.
 */
export function findProduct(idOrPath: string): ProductSpec {
  return looksLikePath(idOrPath) ? loadEntry(PRODUCTS, resolve(idOrPath), 'path').document : shippedOnly.product(idOrPath).document;
}

/**
 * A station profile by shipped id (`wide-v2`) or by path to a user's file.
 * @throws UnknownCatalogEntryError listing the shipped ids; SpecFileError for an invalid file.
 */
export function findProfile(idOrPath: string): StationProfile {
  return looksLikePath(idOrPath) ? loadEntry(PROFILES, resolve(idOrPath), 'path').document : shippedOnly.profile(idOrPath).document;
}

const catalogs = new Map<string, Catalog>();

/** The catalog of the configured folders, one per process and folder list. */
export function catalogOf(config: { readonly catalogDirs?: readonly string[] | undefined }): Catalog {
  const dirs = (config.catalogDirs ?? []).map((d) => resolve(d));
  const key = dirs.join('\u0000');
  let c = catalogs.get(key);
  if (c === undefined) catalogs.set(key, (c = new Catalog(dirs)));
  return c;
}

/**
 * Forgets the catalogs of this process (folders read, files named by path), as a new process starts
 * without them: for running several `lotqa` commands in one process (tests/support/lotqa-in-process.ts).
 */
export function forgetCatalogs(): void {
  catalogs.clear();
}
