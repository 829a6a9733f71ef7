/**
 * @module Serialises write transactions of several Store instances on the same SQLite file within one
 * process. better-sqlite3 is synchronous: if two connections of one process interleaved their
 * transactions, the second would busy-wait for a lock that the first can never release (same
 * thread), and fail with SQLITE_BUSY. Across processes SQLite's own busy timeout does the waiting.
 */

const tails = new Map<string, Promise<void>>();

/** Runs `fn` after every earlier holder of `key` has finished. */
export async function withSqliteWriteLock<T>(key: string, fn: () => Promise<T>): Promise<T> {
  const previous = tails.get(key) ?? Promise.resolve();
  let release!: () => void;
  const mine = new Promise<void>((resolve) => {
    release = resolve;
  });
  const tail = previous.then(() => mine);
  tails.set(key, tail);
  await previous;
  try {
    return await fn();
  } finally {
    release();
    if (tails.get(key) === tail) tails.delete(key);
  }
}
