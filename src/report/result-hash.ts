/**
 * @module The one hash of a LotResult. Decisions, certificates and `lotqa verify` all name a result by
 * the SHA-256 of its canonical JSON, so the evaluation, the decision store and the reports must agree on
 * exactly one serialisation: the JSON Canonicalization Scheme (RFC 8785): object keys sorted by UTF-16
 * code units, no whitespace, numbers and strings as ECMAScript `JSON.stringify` writes them.
 */
import { createHash } from 'node:crypto';
import type { LotResult } from '../domain/lot-result.js';

/** A value that cannot be hashed faithfully (NaN, Infinity, a function…): the result must be fixed first. */
export class CanonicalJsonError extends Error {
  override readonly name = 'CanonicalJsonError';
  constructor(
    readonly path: string,
    detail: string,
  ) {
    super(`Cannot canonicalise the value at ${path}: ${detail}. Store non-finite statistics as null.`);
  }
}

/**
 * Canonical JSON (RFC 8785 / JCS) of a plain JSON value. Keys sorted, no whitespace. Properties whose
 * value is `undefined` are left out (as `JSON.stringify` does); non-finite numbers are refused rather than
 * silently turned into `null`, so two different results can never share a hash by accident.
 */
export function canonicalJson(value: unknown): string {
  const parts: string[] = [];
  write(value, '$', parts);
  return parts.join('');
}

function write(value: unknown, path: string, out: string[]): void {
  if (value === null) {
    out.push('null');
    return;
  }
  switch (typeof value) {
    case 'boolean':
      out.push(value ? 'true' : 'false');
      return;
    case 'string':
      out.push(JSON.stringify(value));
      return;
    case 'number':
      if (!Number.isFinite(value)) throw new CanonicalJsonError(path, `${String(value)} is not a JSON number`);
      // ECMAScript Number serialisation is exactly what RFC 8785 §3.2.2.3 prescribes; -0 becomes 0.
      out.push(JSON.stringify(value));
      return;
    case 'object': {
      if (Array.isArray(value)) {
        if (isFlat(value)) {
          // Arrays of finite numbers or strings (chart points, serials) serialise identically via JSON.stringify.
          out.push(JSON.stringify(value));
          return;
        }
        out.push('[');
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out.push(',');
          const item: unknown = value[i];
          if (item === undefined) out.push('null');
          else write(item, `${path}[${i}]`, out);
        }
        out.push(']');
        return;
      }
      const record = value as Record<string, unknown>;
      // Default sort compares UTF-16 code units, which is the order RFC 8785 §3.2.3 requires.
      const keys = Object.keys(record).sort();
      out.push('{');
      let first = true;
      for (const key of keys) {
        const v = record[key];
        if (v === undefined) continue;
        if (!first) out.push(',');
        first = false;
        out.push(JSON.stringify(key), ':');
        write(v, `${path}.${key}`, out);
      }
      out.push('}');
      return;
    }
    default:
      throw new CanonicalJsonError(path, `a ${typeof value} is not JSON`);
  }
}

function isFlat(values: readonly unknown[]): boolean {
  for (const v of values) {
    if (typeof v === 'string') continue;
    if (typeof v === 'number' && Number.isFinite(v)) continue;
    return false;
  }
  return true;
}

/** Lower-case hex SHA-256 of a string (UTF-8) or bytes. */
export function sha256Hex(data: string | Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** THE hash of a LotResult: SHA-256 of its canonical JSON. Stored with every decision, printed on the CoC. */
export function resultSha256(result: LotResult): string {
  return sha256Hex(canonicalJson(result));
}

/**
 * SHA-256 over the sorted list of input-file hashes (one per line), so a certificate can bind every input
 * file without printing hundreds of hashes.
 */
export function fileListSha256(fileHashes: readonly string[]): string {
  return sha256Hex([...fileHashes].sort().join('\n'));
}
