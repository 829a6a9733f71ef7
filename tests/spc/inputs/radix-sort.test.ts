/**
 * The radix sort behind sortedCopy gives exactly what Float64Array.prototype.sort gives (the independent
 * recomputation): the same values in the same order, −0 before +0, infinities at the ends, NaN last.
 */
import { describe, expect, it } from 'vitest';
import { radixSortInPlace, sortedCopy } from '../../../src/spc/descriptive.js';

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

describe('radix sort of a chart series', () => {
  it('orders like the typed-array sort on readings of every sign and scale, rounded and not', () => {
    const random = lcg(11);
    const shapes: Array<() => number> = [
      () => -3 + 6 * random(),
      () => Number((-40 + 10 * random()).toPrecision(5)),
      () => 10 ** (-12 + 6 * random()),
      () => -(10 ** (-3 + 9 * random())),
      () => Math.round(random() * 4) - 2,
      () => (random() < 0.5 ? 0 : -0),
      () => 1e-310 * (random() - 0.5),
    ];
    for (const [k, shape] of shapes.entries())
      for (const n of [512, 513, 2_000, 10_000]) {
        const values = Float64Array.from({ length: n }, shape);
        const expected = values.slice().sort();
        const sorted = sortedCopy(values);
        expect(sameDoubles(sorted, expected), `shape ${k}, ${n} values`).toBe(true);
      }
  });

  it('puts −0 before +0 and the infinities at the ends, and leaves NaN last', () => {
    const random = lcg(5);
    const specials = [0, -0, Infinity, -Infinity, Number.MAX_VALUE, -Number.MIN_VALUE, Number.MIN_VALUE];
    const values = Float64Array.from({ length: 1_000 }, (_, i) => (i % 10 === 0 ? specials[i % 7]! : random() - 0.5));
    expect(sameDoubles(radixSortInPlace(values.slice()), values.slice().sort())).toBe(true);
    const withNaN = values.slice();
    withNaN[17] = Number.NaN;
    const sorted = radixSortInPlace(withNaN.slice());
    expect(sameDoubles(sorted, withNaN.slice().sort())).toBe(true);
    expect(Number.isNaN(sorted[sorted.length - 1])).toBe(true);
    expect(Object.is(sortedCopy(Float64Array.of(0, -0, 0, -0))[1], -0)).toBe(true);
  });

  it('sorts one array after another of other lengths alike (its counts and second buffer are kept between calls)', () => {
    const random = lcg(23);
    for (const n of [10_000, 600, 10_000, 20_000, 512, 9_999]) {
      const values = Float64Array.from({ length: n }, () => Number((-5 + 10 * random()).toPrecision(4)));
      expect(sameDoubles(radixSortInPlace(values.slice()), values.slice().sort()), `${n} values`).toBe(true);
    }
  });

  it('sorts a subarray view in place without touching the rest of its buffer', () => {
    const whole = Float64Array.from({ length: 3_000 }, (_, i) => 3_000 - i);
    const view = whole.subarray(1_000, 2_000);
    const expected = view.slice().sort();
    radixSortInPlace(view);
    expect(sameDoubles(view, expected)).toBe(true);
    expect(whole[999]).toBe(2_001);
    expect(whole[2_000]).toBe(1_000);
  });
});
