/**
 * @module Group commit: many concurrent callers, one writer. A call that arrives while a write is in
 * flight waits and joins the next write with every other call that arrived meanwhile, so under load
 * the number of writes (transactions, round trips) falls with the load, and with one caller at a time
 * nothing waits at all. Each call gets its own outcome: a batch may succeed for some items and fail for
 * others. (DataLoader batches within one tick and caches; this batches across the time a write takes.)
 */

import { counted } from '../counted.js';

export type ItemOutcome<R> = { readonly ok: true; readonly value: R } | { readonly ok: false; readonly error: Error };

export interface GroupCommitOptions<T> {
  /** Most items in one write. @defaultValue 64 */
  readonly maxItems?: number;
  /** Weight of an item (e.g. its measurement count) and the most weight in one write. */
  readonly weight?: (item: T) => number;
  readonly maxWeight?: number;
}

interface Waiting<T, R> {
  readonly item: T;
  resolve(value: R): void;
  reject(error: Error): void;
}

export class GroupCommit<T, R> {
  readonly #write: (items: readonly T[]) => Promise<readonly ItemOutcome<R>[]>;
  readonly #maxItems: number;
  readonly #weight: (item: T) => number;
  readonly #maxWeight: number;
  #queue: Waiting<T, R>[] = [];
  #writing = false;
  #writes = 0;
  #items = 0;

  /** `write` gets the batch and returns one outcome per item, in order (it should not throw; if it does, every item in the batch gets that error). */
  constructor(write: (items: readonly T[]) => Promise<readonly ItemOutcome<R>[]>, options: GroupCommitOptions<T> = {}) {
    this.#write = write;
    this.#maxItems = Math.max(1, options.maxItems ?? 64);
    this.#weight = options.weight ?? (() => 0);
    this.#maxWeight = options.maxWeight ?? Number.POSITIVE_INFINITY;
  }

  /** Resolves with this item's result once the write that carried it has finished. */
  submit(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.#queue.push({ item, resolve, reject });
      if (!this.#writing) void this.#drain();
    });
  }

  /** Writes made and items carried so far (items / writes is the mean batch size). */
  get stats(): { readonly writes: number; readonly items: number } {
    return { writes: this.#writes, items: this.#items };
  }

  async #drain(): Promise<void> {
    this.#writing = true;
    try {
      while (this.#queue.length > 0) {
        const batch = this.#take();
        this.#writes++;
        this.#items += batch.length;
        let outcomes: readonly ItemOutcome<R>[];
        try {
          outcomes = await this.#write(batch.map((w) => w.item));
          if (outcomes.length !== batch.length)
            throw new Error(`group commit: ${counted(outcomes.length, 'outcome')} for ${counted(batch.length, 'item')}`);
        } catch (err) {
          const error = err instanceof Error ? err : new Error(String(err));
          outcomes = batch.map(() => ({ ok: false, error }));
        }
        batch.forEach((w, i) => {
          // A missing outcome must fail its caller, not throw here: that would leave the rest of the batch
          // waiting forever (found by a PostgreSQL cut in the fault tests).
          const o = outcomes[i] ?? { ok: false, error: new Error('group commit: the write returned no outcome for this item') };
          if (o.ok) w.resolve(o.value);
          else w.reject(o.error);
        });
      }
    } finally {
      this.#writing = false;
    }
  }

  /** The oldest waiting items up to the limits (always at least one). */
  #take(): Waiting<T, R>[] {
    let weight = 0;
    let n = 0;
    while (n < this.#queue.length && n < this.#maxItems) {
      const w = this.#weight(this.#queue[n]!.item);
      if (n > 0 && weight + w > this.#maxWeight) break;
      weight += w;
      n++;
    }
    return this.#queue.splice(0, n);
  }
}
