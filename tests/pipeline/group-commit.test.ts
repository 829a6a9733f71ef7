/**
 * Group commit: callers that arrive while a write is in flight share the next write; each caller gets
 * its own outcome; limits split large batches; a lone caller never waits.
 */
import { describe, expect, it } from 'vitest';
import { GroupCommit, type ItemOutcome } from '../../src/pipeline/group-commit.js';

/** A writer whose writes wait for `release()`, recording each batch. */
function heldWriter<T>(outcome: (item: T) => ItemOutcome<string> = (item) => ({ ok: true, value: `w:${String(item)}` })) {
  const batches: T[][] = [];
  let releases: (() => void)[] = [];
  const write = async (items: readonly T[]): Promise<ItemOutcome<string>[]> => {
    batches.push([...items]);
    await new Promise<void>((resolve) => releases.push(resolve));
    return items.map(outcome);
  };
  const release = async (): Promise<void> => {
    const r = releases;
    releases = [];
    r.forEach((f) => f());
    await new Promise((resolve) => setImmediate(resolve));
  };
  return { batches, write, release };
}

describe('group commit', () => {
  it('writes a lone item at once, and the items that arrive during that write together in the next one', async () => {
    const w = heldWriter<number>();
    const gc = new GroupCommit(w.write);
    const first = gc.submit(1);
    expect(w.batches).toEqual([[1]]); // no waiting for company
    const rest = [gc.submit(2), gc.submit(3), gc.submit(4)];
    await w.release();
    expect(await first).toBe('w:1');
    expect(w.batches).toEqual([[1], [2, 3, 4]]);
    await w.release();
    expect(await Promise.all(rest)).toEqual(['w:2', 'w:3', 'w:4']);
    expect(gc.stats).toEqual({ writes: 2, items: 4 });
  });

  it('rejects only the items whose outcome failed', async () => {
    const w = heldWriter<number>((n) =>
      n % 2 === 0 ? { ok: false, error: new Error(`item ${n} refused`) } : { ok: true, value: `w:${n}` },
    );
    const gc = new GroupCommit(w.write);
    const all = Promise.allSettled([1, 2, 3].map((n) => gc.submit(n)));
    await w.release();
    await w.release();
    const settled = await all;
    expect(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message))).toEqual([
      'w:1',
      'item 2 refused',
      'w:3',
    ]);
  });

  it('gives every item of a batch the error when the write itself throws, and goes on with the next batch', async () => {
    let calls = 0;
    const gc = new GroupCommit<number, number>((items) => {
      calls++;
      if (calls === 1) return Promise.reject(new Error('connection lost'));
      return Promise.resolve(items.map((n) => ({ ok: true as const, value: n * 10 })));
    });
    const a = expect(gc.submit(1)).rejects.toThrow('connection lost');
    const b = gc.submit(2);
    await a;
    expect(await b).toBe(20);
    expect(await gc.submit(3)).toBe(30);
  });

  it('rejects every item when the writer returns the wrong number of outcomes', async () => {
    const gc = new GroupCommit<number, number>(() => Promise.resolve([]));
    await expect(gc.submit(1)).rejects.toThrow('0 outcomes for 1 item');
  });

  it('splits batches at the item and weight limits, in arrival order; an item heavier than the limit goes alone', async () => {
    const w = heldWriter<number>();
    const gc = new GroupCommit(w.write, { maxItems: 3, weight: (n) => n, maxWeight: 10 });
    const all = [1, 2, 3, 4, 5, 6, 20, 1].map((n) => gc.submit(n));
    for (let i = 0; i < 6; i++) await w.release();
    await Promise.all(all);
    expect(w.batches).toEqual([[1], [2, 3, 4], [5], [6], [20], [1]]);
  });
});
