/**
 * @module SeededRandom — the synthetic factory's only source of randomness.
 *
 * Every stream is a `pure-rand` xoroshiro128+ generator whose 128-bit state is the SHA-256 of a
 * label path (`<seed>/unit/<serial>` …). Streams are therefore independent of each other and of the
 * order in which they are created: adding units, injecting a shift or writing another layout never
 * changes the draws of an unrelated unit, which is what makes injections exactly measurable.
 */
import { createHash } from 'node:crypto';
import { xoroshiro128plusFromState } from 'pure-rand/generator/xoroshiro128plus';
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';

/** A seed as the user gives it: a number or any string. */
export type Seed = number | string;

/** 128-bit generator state from a label path (never all-zero, which xoroshiro cannot leave). */
function stateFor(path: string): number[] {
  const digest = createHash('sha256').update(path).digest();
  const state: number[] = [digest.readInt32LE(0), digest.readInt32LE(4), digest.readInt32LE(8), digest.readInt32LE(12)];
  if (!state.some((word) => word !== 0)) state[0] = 1;
  return state;
}

/** A named, seeded random stream with the distributions the process model needs. */
export class SeededRandom {
  readonly #rng: RandomGenerator;
  readonly #path: string;
  #spareNormal: number | null = null;

  /**
   * @param seed - the lot seed (or any root seed)
   * @param labels - optional sub-stream path, e.g. `['unit', 'SN000123']`
   */
  constructor(seed: Seed, ...labels: readonly (string | number)[]) {
    this.#path = [String(seed), ...labels.map(String)].join('/');
    this.#rng = xoroshiro128plusFromState(stateFor(this.#path));
  }

  /** An independent stream below this one; same labels → same stream, whatever happened before. */
  fork(...labels: readonly (string | number)[]): SeededRandom {
    return new SeededRandom(this.#path, ...labels);
  }

  /** Uniform in [0, 1), 53 random bits. */
  uniform(): number {
    return uniformFloat64(this.#rng);
  }

  /** Uniform integer in [min, max] (both inclusive). */
  integer(min: number, max: number): number {
    return min + Math.floor(this.uniform() * (max - min + 1));
  }

  /** True with probability p. */
  chance(p: number): boolean {
    return this.uniform() < p;
  }

  /**
   * Standard normal variate by the Marsaglia polar method (Marsaglia & Bray 1964): draws pairs
   * inside the unit disc and keeps the second variate for the next call.
   */
  normal(): number {
    if (this.#spareNormal !== null) {
      const spare = this.#spareNormal;
      this.#spareNormal = null;
      return spare;
    }
    let u = 0;
    let v = 0;
    let s = 0;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    this.#spareNormal = v * factor;
    return u * factor;
  }

  /** One element, uniformly. Throws on an empty list (a programming error). */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() from an empty list');
    return items[this.integer(0, items.length - 1)] as T;
  }

  /** The first `count` elements of a seeded Fisher–Yates shuffle (a sample without replacement). */
  sample<T>(items: readonly T[], count: number): T[] {
    const copy = items.slice();
    const n = Math.min(count, copy.length);
    for (let i = 0; i < n; i++) {
      const j = this.integer(i, copy.length - 1);
      const tmp = copy[i] as T;
      copy[i] = copy[j] as T;
      copy[j] = tmp;
    }
    return copy.slice(0, n);
  }
}
