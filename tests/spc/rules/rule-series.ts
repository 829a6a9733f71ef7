/**
 * Hand-built series (centre 0, σ 1, limits ±3) in which exactly one pattern occurs at a known place.
 * The background repeats 0.5, 1.5, −0.5, −1.5: no run longer than 2 on a side, no trend longer than 3
 * points, no alternation longer than 4, never 15 in zone C or 8 outside it, nothing beyond 2σ.
 */
export function background(n = 40): number[] {
  return Array.from({ length: n }, (_, i) => [0.5, 1.5, -0.5, -1.5][i % 4] as number);
}

export function withSegment(segment: number[], at: number, total = 40): number[] {
  const b = background(total);
  b.splice(at, segment.length, ...segment);
  return b;
}

export const SERIES = {
  /** points 10 (3.5) and 25 (−3.2) beyond the limits */
  beyond: (() => {
    const b = background();
    b[10] = 3.5;
    b[25] = -3.2;
    return b;
  })(),
  /** 9 points above the CL at 12..20 (21 is below) */
  nine: withSegment([0.5, 1.5, 0.5, 0.2, 0.7, 0.3, 1.2, 0.4, 0.6, -0.5], 12),
  /** 8 points above the CL at 12..19 (20 is below) */
  eight: withSegment([0.5, 1.5, 0.5, 0.2, 0.7, 0.3, 1.2, 0.4, -0.5], 12),
  /** 6 points increasing at 13..18 */
  trend: withSegment([-1.2, -0.8, -0.1, 0.3, 0.9, 1.3], 13),
  /** 14 points alternating at 14..27 */
  alternating: withSegment([0.5, -0.5, 1.5, -0.6, 0.4, -1.4, 0.6, -0.5, 1.3, -0.4, 0.5, -1.5, 0.6, -0.6, -1.0], 14),
  /** 2 of 3 beyond +2σ at 12..14 */
  twoOfThree: withSegment([2.5, 0.5, 2.2], 12),
  /** 4 of 5 beyond +1σ at 12..16 */
  fourOfFive: withSegment([1.2, 1.4, 0.3, 1.1, 1.6, -0.5], 12),
  /** 15 points within 1σ at 12..26 */
  stratification: withSegment([0.2, -0.3, 0.4, 0.1, -0.2, 0.3, -0.4, 0.2, 0.1, -0.3, 0.4, -0.1, 0.2, -0.2, 0.3], 12),
  /** 8 points beyond 1σ on both sides at 13..20 */
  mixture: withSegment([1.5, -1.5, -1.2, 1.8, 1.3, -1.6, -1.4, 1.2, 0.3], 13),
};

export const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);
