/**
 * @module A lot's manifest (`manifest.json` beside its station files, written by the ATE cell or
 * `lotqa generate`): the lot, its product, the quantity ordered and, when it lists them, the serials
 * (`serials: [...]`, or `files: [{ serial }]` as lotqa's generator writes it). The quantity and the
 * serial list are a contract the lot is held to (evaluate/lot-data-holds.ts).
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { LotqaError } from '../errors/lotqa-error.js';

export class LotManifestError extends LotqaError {
  override name = 'LotManifestError';
}

export interface LotManifest {
  readonly path: string;
  readonly lot: string | null;
  readonly product: string | null;
  /** `productId`, which some cells write instead of `product` (the command line takes it first). */
  readonly productId: string | null;
  /** Units ordered, or null when the manifest does not say. */
  readonly quantity: number | null;
  /** The serials the lot is made of, sorted and distinct, or null when the manifest does not list them. */
  readonly serials: readonly string[] | null;
}

/**
 * Manifests read in this process, by path, with the file's identity when read. A run reads its manifest
 * for the product before the ingest and for the contract after it: parsing a 10,000-unit lot's 3.7 MB
 * manifest costs ~0.02–0.05 s each time. Only the small LotManifest is kept (not the parsed file, which
 * the ingest would otherwise carry in memory), and a manifest changed since (other size, times or
 * inode) is read again. A few at most, for the long-lived workers that see lot after lot.
 */
const readManifests = new Map<string, { readonly identity: string; readonly manifest: LotManifest }>();
const MANIFESTS_KEPT = 4;
/**
 * File times advance in coarse steps (a few ms): a manifest rewritten, same size, within one step of
 * its last write keeps its identity. So only a manifest left unchanged this long is kept (as git does
 * for its index); one just written is read every time.
 */
const SETTLED_NS = 2_000_000_000n;

/** Reads `manifest.json` in `dir`, or null when there is none; a manifest that is not what it should be is an error naming it. */
export function readLotManifestIn(dir: string): LotManifest | null {
  const path = join(dir, 'manifest.json');
  const stat = statSync(path, { throwIfNoEntry: false, bigint: true });
  if (stat === undefined || !stat.isFile()) {
    readManifests.delete(path);
    return null;
  }
  const identity = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}:${stat.ctimeNs}`;
  const known = readManifests.get(path);
  if (known?.identity === identity) return known.manifest;
  readManifests.delete(path);
  const manifest = parseLotManifest(path);
  if (BigInt(Date.now()) * 1_000_000n - stat.mtimeNs > SETTLED_NS) {
    readManifests.set(path, { identity, manifest });
    if (readManifests.size > MANIFESTS_KEPT) readManifests.delete(readManifests.keys().next().value!);
  }
  return manifest;
}

function parseLotManifest(path: string): LotManifest {
  let m: unknown;
  try {
    m = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new LotManifestError(`${path} is not valid JSON (${(err as Error).message})`, { hint: 'fix the manifest or remove it' });
  }
  if (typeof m !== 'object' || m === null || Array.isArray(m)) throw new LotManifestError(`${path}: a manifest is a JSON object`);
  const o = m as Record<string, unknown>;
  const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() ? v : null);
  const q = o.quantity;
  if (q !== undefined && (typeof q !== 'number' || !Number.isInteger(q) || q < 1))
    throw new LotManifestError(`${path}: "quantity" must be a whole number ≥ 1, got ${JSON.stringify(q)}`);
  let serials: string[] | null = null;
  if (o.serials !== undefined) {
    if (!Array.isArray(o.serials) || o.serials.some((s) => typeof s !== 'string' || !s.trim()))
      throw new LotManifestError(`${path}: "serials" must be a list of serial numbers (strings)`);
    serials = o.serials as string[];
  } else if (
    Array.isArray(o.files) &&
    o.files.length > 0 &&
    o.files.every((f) => typeof f === 'object' && f !== null && str((f as Record<string, unknown>).serial))
  ) {
    serials = o.files.map((f) => (f as { serial: string }).serial);
  }
  return {
    path,
    lot: str(o.lot),
    product: str(o.product),
    productId: str(o.productId),
    quantity: typeof q === 'number' ? q : null,
    serials: serials === null ? null : [...new Set(serials)].sort(),
  };
}
