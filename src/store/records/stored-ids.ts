/**
 * @module The ids of dictionary names (parameters, corners) and lots, looked up or created inside a
 * write transaction and remembered once committed. Committed entries never change, so the cache is
 * safe across transactions; ids a transaction (or savepoint) created are held apart until it commits.
 */
import { LotProductConflictError } from '../store-errors.js';
import { nowInstant } from '../stored-values.js';
import type { StoreTrx } from '../dialect/store-dialect.js';
import type { LotRef, PreparedFile } from './prepared-file.js';

/** Ids created by a transaction (or savepoint) that has not committed yet. */
export class PendingIds {
  readonly parameters = new Map<string, number>();
  readonly corners = new Map<string, number>();
  readonly lots = new Map<string, LotRef>();
  /** SHA-256 of station limit sets written (they are never changed or deleted once committed). */
  readonly limitSets = new Set<string>();

  addAll(other: PendingIds): void {
    for (const [k, v] of other.parameters) this.parameters.set(k, v);
    for (const [k, v] of other.corners) this.corners.set(k, v);
    for (const [k, v] of other.lots) this.lots.set(k, v);
    for (const k of other.limitSets) this.limitSets.add(k);
  }
}

export class StoredIds {
  readonly #parameters = new Map<string, number>();
  readonly #corners = new Map<string, number>();
  readonly #lots = new Map<string, LotRef>();
  readonly #limitSets = new Set<string>();
  /**
   * Answers made wholly from committed ids, by the names array asked about: a station program's files
   * share one sorted names array (prepared-file.ts), and committed ids never change.
   */
  readonly #answered = {
    parameters: new WeakMap<readonly string[], Map<string, number>>(),
    corners: new WeakMap<readonly string[], Map<string, number>>(),
  };

  /** Call once the transaction that created `pending` has committed. */
  remember(pending: PendingIds): void {
    for (const [k, v] of pending.parameters) this.#parameters.set(k, v);
    for (const [k, v] of pending.corners) this.#corners.set(k, v);
    for (const [k, v] of pending.lots) this.#lots.set(k, v);
    for (const k of pending.limitSets) this.#limitSets.add(k);
  }

  /** Whether a station limit set is known to be stored (committed, or written by this pending transaction). */
  hasLimitSet(sha256: string, pending: PendingIds): boolean {
    return this.#limitSets.has(sha256) || pending.limitSets.has(sha256);
  }

  /** The stored lots of a file's runs, created under the file's product when new. Throws LotProductConflictError. */
  async lots(trx: StoreTrx, prepared: PreparedFile, pending: PendingIds): Promise<Map<string, LotRef>> {
    const refs = new Map<string, LotRef>();
    const missing: string[] = [];
    for (const lot of prepared.lots) {
      const cached = this.#lots.get(lot);
      // A cached lot under another product is read again: it may have been moved (lotqa lot move) since.
      if (cached && cached.productId === prepared.file.productId) refs.set(lot, cached);
      else missing.push(lot);
    }
    if (missing.length > 0) {
      const select = () => trx.selectFrom('lots').select(['id', 'lot', 'product_id']).where('lot', 'in', missing).execute();
      let found = await select();
      if (found.length < missing.length) {
        const known = new Set(found.map((f) => f.lot));
        const createdAt = nowInstant();
        const fresh = missing
          .filter((l) => !known.has(l))
          .map((lot) => ({ lot, product_id: prepared.file.productId, created_at: createdAt }));
        await trx
          .insertInto('lots')
          .values(fresh)
          .onConflict((oc) => oc.column('lot').doNothing())
          .execute();
        found = await select();
      }
      for (const row of found) {
        const ref = { id: row.id, productId: row.product_id };
        refs.set(row.lot, ref);
        pending.lots.set(row.lot, ref);
      }
    }
    for (const [lot, ref] of refs) {
      if (ref.productId !== prepared.file.productId)
        throw new LotProductConflictError(lot, ref.productId, prepared.file.productId, prepared.file.path);
    }
    return refs;
  }

  /** Ids of parameter names, inserting the missing ones. */
  async parameters(trx: StoreTrx, names: readonly string[], pending: PendingIds): Promise<Map<string, number>> {
    return (
      this.#answered.parameters.get(names) ??
      this.#remembered(this.#answered.parameters, names, dictionaryIds(trx, 'parameters', names, this.#parameters, pending.parameters))
    );
  }

  /** Ids of corner names, inserting the missing ones. */
  async corners(trx: StoreTrx, names: readonly string[], pending: PendingIds): Promise<Map<string, number>> {
    return (
      this.#answered.corners.get(names) ??
      this.#remembered(this.#answered.corners, names, dictionaryIds(trx, 'corners', names, this.#corners, pending.corners))
    );
  }

  /** Keeps an answer for `names` when every id in it was already committed (none created or looked up now). */
  async #remembered(
    answered: WeakMap<readonly string[], Map<string, number>>,
    names: readonly string[],
    answer: Promise<{ ids: Map<string, number>; allCommitted: boolean }>,
  ): Promise<Map<string, number>> {
    const { ids, allCommitted } = await answer;
    if (allCommitted) answered.set(names, ids);
    return ids;
  }
}

/** Ids for dictionary names, inserting the missing ones (select first, so existing names never burn ids). */
async function dictionaryIds(
  trx: StoreTrx,
  table: 'parameters' | 'corners',
  names: readonly string[],
  cache: Map<string, number>,
  pending: Map<string, number>,
): Promise<{ ids: Map<string, number>; allCommitted: boolean }> {
  const ids = new Map<string, number>();
  const missing = names.filter((n) => {
    const id = cache.get(n);
    if (id !== undefined) ids.set(n, id);
    return id === undefined;
  });
  if (missing.length === 0) return { ids, allCommitted: true };
  const select = () => trx.selectFrom(table).select(['id', 'name']).where('name', 'in', missing).execute();
  let found = await select();
  if (found.length < missing.length) {
    const known = new Set(found.map((f) => f.name));
    // Sorted, so two transactions adding overlapping names lock them in the same order (no deadlock).
    const fresh = missing.filter((n) => !known.has(n)).map((name) => ({ name }));
    await trx
      .insertInto(table)
      .values(fresh)
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    found = await select();
  }
  for (const row of found) {
    ids.set(row.name, row.id);
    pending.set(row.name, row.id);
  }
  return { ids, allCommitted: false };
}
