/**
 * @module A lot's content identity: SHA-256 over the sorted, distinct SHA-256 of its input files, one per
 * line (no trailing newline). It changes exactly when a file is added to the lot, so it defines the lot's
 * revisions, binds a certificate to its inputs, and lets the store, the evaluation, the reports and the
 * queue agree on "the same data" — one definition for all of them.
 */
import { createHash } from 'node:crypto';

export function lotContentHash(fileHashes: readonly string[]): string {
  return createHash('sha256')
    .update([...new Set(fileHashes)].sort().join('\n'))
    .digest('hex');
}
