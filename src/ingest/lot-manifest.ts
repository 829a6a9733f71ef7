/**
 * @module A lot's manifest (`manifest.json` beside its station files, written by the ATE cell or
 * `lotqa generate`): the lot, its product, the quantity ordered and, when it lists them, the serials
 * (`serials: [...]`, or `files: [{ serial }]` as lotqa's generator writes it). The quantity and the
 * serial list are a contract the lot is held to (evaluate/lot-data-holds.ts).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LotqaError } from '../errors/lotqa-error.js';

export class LotManifestError extends LotqaError {
  override name = 'LotManifestError';
}

export interface LotManifest {
  readonly path: string;
  readonly lot: string | null;
  readonly product: string | null;
  /** Units ordered, or null when the manifest does not say. */
  readonly quantity: number | null;
  /** The serials the lot is made of, sorted and distinct, or null when the manifest does not list them. */
  readonly serials: readonly string[] | null;
}

/** Reads `manifest.json` in `dir`, or null when there is none; a manifest that is not what it should be is an error naming it. */
export function readLotManifestIn(dir: string): LotManifest | null {
  const path = join(dir, 'manifest.json');
  if (!existsSync(path)) return null;
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
    quantity: typeof q === 'number' ? q : null,
    serials: serials === null ? null : [...new Set(serials)].sort(),
  };
}
