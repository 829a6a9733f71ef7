/**
 * The bucket sort behind sortedCopy gives exactly what Float64Array.prototype.sort gives (the independent
 * recomputation), on its own path (finite, spread, no zero) and on every input it hands to the radix sort.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bucketSortInPlace, sortedCopy } from '../../../src/spc/descriptive.js';

function lcg(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return s / 2147483648;
  };
}

/** Same length, and every element the same double (Object.is: −0 and +0 differ, NaN equals NaN). */
function sameDoubles(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false;
  return true;
}

describe('bucket sort of a chart series', () => {
  it('orders readings of every shape like the typed-array sort: normal, rounded, skewed, clustered, with outliers', () => {
    const random = lcg(31);
    const normal = (): number => random() + random() + random() + random() - 2;
    const shapes: Array<() => number> = [
      () => Math.round((3 + 0.2 * normal()) * 1000) / 1000,
      () => -2.5 + 0.01 * normal(),
      () => 10 ** (-9 + 2 * random()),
      () => Math.exp(3 * normal()),
      () => Math.round(random() * 3) + 1,
      // a tight cluster and a few far outliers: too many moves for the insertion sort, the radix sort takes it
      () => (random() < 0.002 ? 1e6 * (random() + 1) : 1 + 1e-3 * random()),
      () => (random() < 0.5 ? -1e-300 : 1e-300) * (1 + random()),
      () => 1.5,
    ];
    for (const [k, shape] of shapes.entries())
      for (const n of [2, 3, 512, 513, 2_000, 10_000]) {
        const values = Float64Array.from({ length: n }, shape);
        const expected = values.slice().sort();
        expect(sameDoubles(bucketSortInPlace(values.slice()), expected), `shape ${k}, ${n} values`).toBe(true);
        expect(sameDoubles(sortedCopy(values), expected), `sortedCopy, shape ${k}, ${n} values`).toBe(true);
      }
  });

  it('sorts already sorted, reversed and sawtooth series', () => {
    const up = Float64Array.from({ length: 5_000 }, (_, i) => 1 + i / 7);
    const down = up.slice().reverse();
    const saw = Float64Array.from({ length: 5_000 }, (_, i) => 1 + (i % 100));
    for (const values of [up, down, saw]) expect(sameDoubles(bucketSortInPlace(values.slice()), values.slice().sort())).toBe(true);
  });

  it('leaves −0, +0, the infinities, NaN and the extreme doubles where the typed-array sort puts them', () => {
    const random = lcg(3);
    const specials = [0, -0, Infinity, -Infinity, Number.NaN, Number.MAX_VALUE, -Number.MAX_VALUE, Number.MIN_VALUE];
    for (const special of specials) {
      const values = Float64Array.from({ length: 1_000 }, (_, i) => (i % 97 === 5 ? special : 0.5 + random()));
      expect(sameDoubles(bucketSortInPlace(values.slice()), values.slice().sort()), String(special)).toBe(true);
    }
    // −MAX…MAX: the range overflows to Infinity and cannot be scaled.
    const wide = Float64Array.from({ length: 600 }, (_, i) => (i % 2 === 0 ? Number.MAX_VALUE : -Number.MAX_VALUE) * random());
    expect(sameDoubles(bucketSortInPlace(wide.slice()), wide.slice().sort())).toBe(true);
  });

  it('orders any finite doubles like the typed-array sort (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 700 }), fc.boolean(), (xs, rounded) => {
        const values = Float64Array.from(xs, (x) => (rounded && Number.isFinite(x) ? Number(x.toPrecision(2)) : x));
        return sameDoubles(bucketSortInPlace(values.slice()), values.slice().sort());
      }),
      { numRuns: 300 },
    );
  });

  it('sorts one array after another of other lengths alike, and a subarray view without touching the rest', () => {
    const random = lcg(17);
    for (const n of [10_000, 600, 10_000, 20_000, 512, 9_999]) {
      const values = Float64Array.from({ length: n }, () => Number((5 + random()).toPrecision(4)));
      expect(sameDoubles(bucketSortInPlace(values.slice()), values.slice().sort()), `${n} values`).toBe(true);
    }
    const whole = Float64Array.from({ length: 3_000 }, (_, i) => 3_000 - i);
    const view = whole.subarray(1_000, 2_000);
    const expected = view.slice().sort();
    bucketSortInPlace(view);
    expect(sameDoubles(view, expected)).toBe(true);
    expect(whole[999]).toBe(2_001);
    expect(whole[2_000]).toBe(1_000);
  });
});
