/**
 * @module A lot's content identity: SHA-256 over the sorted, distinct SHA-256 of its input files, one per
 * line (no trailing newline), then any content marks (an engineer's resolution of a conflict between
 * files, one line each). It changes exactly when a file is added to the lot or a mark recorded, so it defines the lot's
 * revisions, binds a certificate to its inputs, and lets the store, the evaluation, the reports and the
 * queue agree on "the same data" — one definition for all of them.
 */
import { createHash } from 'node:crypto';

export function lotContentHash(fileHashes: readonly string[], marks: readonly string[] = []): string {
  // Marks (an engineer's resolution of a conflict) follow the file list, so a lot without any keeps the
  // hash it always had.
  const lines = [...[...new Set(fileHashes)].sort(), ...[...new Set(marks)].sort()];
  return createHash('sha256').update(lines.join('\n')).digest('hex');
}
