/**
 * @module The LotResult as a JSON file: canonical JSON (sorted keys), so the file's SHA-256 is the
 * result hash printed on the certificate and `sha256sum lot-result.json` checks it by hand.
 */
import type { LotResult } from '../domain/lot-result.js';
import { canonicalJson } from './result-hash.js';

export function writeLotResultJson(result: LotResult): string {
  return canonicalJson(result);
}
